"""Failed logins over the API: one answer whether the email exists, and 429 with Retry-After
per account and per address, with the counters in PostgreSQL or in Redis (shared by workers,
so a second app on the same counters refuses too)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from crampwise.accounts.ratelimit import PER_ACCOUNT, PER_ADDRESS
from crampwise.web.app import create_app
from tests.multiuser.conftest import PASSWORD, MultiUser, ServiceDb, multi_user_settings
from tests.web.helpers import TestClient


@pytest.fixture(params=["database", "redis"])
def counters(request: pytest.FixtureRequest) -> str | None:
    """The Redis URL, or None for the database's counters."""
    if request.param == "database":
        return None
    url: str = request.getfixturevalue("redis_url")
    return url


def _app(db: ServiceDb, redis: str | None) -> FastAPI:
    return create_app(multi_user_settings(db, redis_url=redis))


@pytest.fixture
def two_workers(service_db: ServiceDb, counters: str | None) -> Iterator[list[TestClient]]:
    """Two apps (as two workers would be) on the same database and counters."""
    with TestClient(_app(service_db, counters)) as a, TestClient(_app(service_db, counters)) as b:
        yield [a, b]


def _token(client: TestClient, email: str, password: str, via: str = "") -> httpx.Response:
    headers = {"X-Forwarded-For": via} if via else {}
    body = {"email": email, "password": password, "name": "t"}
    return client.post("/api/v1/tokens", json=body, headers=headers)


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    mu: MultiUser, mu_client: TestClient
) -> None:
    mu.person("ann")
    answers = [
        _token(mu_client, email, "wrong password!")
        for email in ("ann@example.org", "nobody@example.org")
    ]
    assert [a.status_code for a in answers] == [401, 401]
    assert answers[0].json() == answers[1].json()
    assert answers[0].headers["www-authenticate"] == answers[1].headers["www-authenticate"]


def test_too_many_failures_for_one_account_are_429_on_every_worker(
    two_workers: list[TestClient],
) -> None:
    a, b = two_workers
    assert (
        a.post(
            "/api/v1/accounts", json={"email": "ann@example.org", "password": PASSWORD}
        ).status_code
        == 201
    )
    for i in range(PER_ACCOUNT):
        # Spread over both workers and several addresses: the count is per account.
        worker = two_workers[i % 2]
        assert (
            _token(worker, "ann@example.org", "wrong password!", f"198.51.100.{i}").status_code
            == 401
        )
    for worker in two_workers:
        refused = _token(worker, "ann@example.org", PASSWORD, "198.51.100.200")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        assert refused.json()["error"]["status"] == 429


def test_too_many_failures_from_one_address_are_429(two_workers: list[TestClient]) -> None:
    a, b = two_workers
    for i in range(PER_ADDRESS):
        answer = _token(two_workers[i % 2], f"user{i}@example.org", "wrong password!", "192.0.2.7")
        assert answer.status_code == 401
    assert _token(b, "someone@example.org", "wrong password!", "192.0.2.7").status_code == 429
    assert _token(a, "someone@example.org", "wrong password!", "192.0.2.8").status_code == 401
