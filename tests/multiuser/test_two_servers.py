"""Statelessness, over real HTTP: two `crampwise serve --multi-user` processes on different
ports, one database and one Redis. A browser logs in on one and carries on on the other; a
token made on one works on the other; the CSRF token of one is good on the other."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.multiuser.conftest import PASSWORD, ServiceDb
from tests.web.live import LiveServer, free_port, launch, wait_until_running

pytestmark = pytest.mark.slow  # two servers (one with two workers) start: ~5 s


@pytest.fixture
def servers(service_db: ServiceDb, redis_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    env = {
        **os.environ,
        "CRAMPWISE_DATABASE_URL": service_db.app_url,
        "CRAMPWISE_ADMIN_DATABASE_URL": service_db.admin_url,
        "CRAMPWISE_SECRET_KEY": "two-servers-" + "k" * 40,
        "CRAMPWISE_REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
    }
    # Started together, as workers on two machines would be: both prepare the database.
    started = [
        launch(free_port(), ["--multi-user", "--workers", str(workers)], env) for workers in (2, 1)
    ]
    try:
        for server, ready in started:
            wait_until_running(server, ready, 60)
        yield started[0][0], started[1][0]
    finally:
        for server, _ in started:
            server.stop()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_a_session_and_a_token_from_one_server_work_on_the_other(
    servers: tuple[LiveServer, LiveServer],
) -> None:
    one, two = servers
    assert "(multi-user, 2 workers) is running at" in "\n".join(one.lines)
    with httpx.Client(base_url=one.url) as a, httpx.Client(base_url=two.url) as b:
        made = a.post("/api/v1/accounts", json={"email": "ann@example.org", "password": PASSWORD})
        assert made.status_code == 201, made.text
        # Log in with the browser's form on the first server.
        page = a.get("/login")
        login = a.post(
            "/login",
            data={
                "csrf_token": _csrf(page.text),
                "email": "ann@example.org",
                "password": PASSWORD,
                "next": "/account",
            },
        )
        assert login.status_code == 303, login.text
        # The second server knows the session, and the first server's CSRF token.
        b.cookies.update(a.cookies)
        account = b.get("/account")
        assert account.status_code == 200 and "ann@example.org" in account.text
        logged = b.post(
            "/diary/episodes",
            data={
                "csrf_token": _csrf(page.text),
                "started_at": "2024-03-01T22:15",
                "duration_minutes": "2",
                "severity": "6",
                "sites": "calf",
            },
        )
        assert logged.status_code == 303, logged.text
        assert "2024-03-01" in a.get("/diary/history").text
        # A token made on the second works on the first (each worker of it).
        body = {"email": "ann@example.org", "password": PASSWORD, "name": "script"}
        token = b.post("/api/v1/tokens", json=body).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=one.url) as fresh:
            for _ in range(4):
                episodes = fresh.get("/api/v1/episodes", headers=auth)
                assert episodes.status_code == 200 and len(episodes.json()) == 1
        # Logging out on the first ends the session on the second.
        out = a.post("/logout", data={"csrf_token": _csrf(page.text)})
        assert out.status_code == 303
        assert b.get("/account").status_code == 303
    for server in servers:
        assert not any("Traceback" in line for line in server.lines), server.lines
