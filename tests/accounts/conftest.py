"""Accounts run on both backends (the diary's fixtures) and Redis when it is reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.diary.conftest import _never_the_real_diary, db_url, pg_url, store

REDIS_URL = os.environ.get("CRAMPWISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """Redis database 15, emptied of this test's keys; a skip (a failure under CI) when down."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis unreachable at {REDIS_URL}: {exc} (CI is set: a failure)")
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    yield REDIS_URL
    for key in client.scan_iter("crampwise:login-failures:*"):
        client.delete(key)
    client.close()


@pytest.fixture(autouse=True)
def cheap_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small parameters, so a test of 20 logins takes a second, not a minute.

    Tests marked ``real_hash_cost`` keep the production parameters.
    """
    if request.node.get_closest_marker("real_hash_cost"):
        return
    from argon2 import PasswordHasher, Type

    from crampwise.accounts import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", lambda: cheap)
    monkeypatch.setattr(passwords, "_dummy_hash", lambda: cheap.hash("dummy"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_hash_cost: use the production argon2 parameters")


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


__all__ = ["_never_the_real_diary", "db_url", "pg_url", "redis_url", "store", "unique"]
