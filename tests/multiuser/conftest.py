"""Fixtures for multi-user mode: a prepared PostgreSQL database with a real app role, an
in-process multi-user app and client on it, and a helper that signs someone up and gets
them a token.

The database is prepared once per session (``prepare_database``: migrations as the
superuser, then the non-superuser, non-owner app role and its grants); each test starts
from emptied tables. Reuse these for any test of the service::

    def test_x(mu_client: TestClient, mu: MultiUser) -> None:
        ann = mu.person("ann")
        mu_client.get("/api/v1/episodes", headers=ann.headers)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from crampwise.web.app import AppState, WebSettings, create_app
from tests.accounts.conftest import cheap_hashes, redis_url
from tests.diary.conftest import _never_the_real_diary, pg_url
from tests.web.helpers import TEST_HOST, TestClient

PASSWORD = "correct horse battery"
SECRET = "test-secret-" + "x" * 40
TEST_PROXY = "testclient"  # the address the in-process client connects from


@dataclass(frozen=True)
class ServiceDb:
    """A prepared database: ``admin_url`` owns the tables, ``app_url`` is the app role."""

    admin_url: str
    app_url: str
    role: str


@pytest.fixture(scope="session")
def service_db_session(pg_url: str) -> Iterator[ServiceDb]:
    """A database of its own (not ``pg_url``, whose schema other tests drop and re-create
    around every test), prepared once: migrations as the superuser, then the app role."""
    from crampwise.storage.roles import prepare_database

    suffix = uuid.uuid4().hex[:8]
    role, database = f"crampwise_app_{suffix}", f"crampwise_mu_{suffix}"
    admin_url = make_url(pg_url).set(database=database).render_as_string(False)
    app_url = make_url(admin_url).set(username=role, password="app-role-pw").render_as_string(False)
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # made here, so they are dropped here whatever happens next
        conn.execute(text(f'CREATE DATABASE "{database}"'))
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER PASSWORD 'app-role-pw'"))
    try:
        prepare_database(admin_url, app_url)
        yield ServiceDb(admin_url, app_url, role)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        engine.dispose()


@pytest.fixture
def service_db(service_db_session: ServiceDb) -> ServiceDb:
    """The prepared database with every table emptied (the schema and the role stay)."""
    engine = create_engine(service_db_session.admin_url)
    with engine.begin() as conn:
        tables = [
            name
            for (name,) in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
        ]
        if tables:
            listed = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return service_db_session


def multi_user_settings(db: ServiceDb, **changes: Any) -> WebSettings:
    base: dict[str, Any] = {
        "database_url": db.app_url,
        "secret_key": SECRET.encode(),
        "allowed_hosts": (TEST_HOST,),
        "multi_user": True,
        "trusted_proxies": (TEST_PROXY,),
    }
    return WebSettings(**{**base, **changes})


@pytest.fixture
def admin_engine(service_db: ServiceDb) -> Iterator[Engine]:
    """An engine on the prepared database as the tables' owner (RLS does not bind it): to
    check what is really stored."""
    engine = create_engine(service_db.admin_url)
    yield engine
    engine.dispose()


@pytest.fixture
def mu_app(service_db: ServiceDb) -> FastAPI:
    return create_app(multi_user_settings(service_db))


@pytest.fixture
def mu_client(mu_app: FastAPI) -> Iterator[TestClient]:
    """A client of the in-process multi-user app (no cookies or token of its own)."""
    with TestClient(mu_app, raise_server_exceptions=True) as c:
        yield c


@dataclass
class Person:
    id: int
    email: str
    password: str
    token: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class MultiUser:
    client: TestClient
    db: ServiceDb

    def person(self, name: str, password: str = PASSWORD) -> Person:
        """Sign ``name``@example.org up through the API and get a token for them."""
        return sign_up_with_token(self.client, f"{name}@example.org", password)

    @property
    def state(self) -> AppState:
        state = self.client.app.state.crampwise  # type: ignore[attr-defined]
        assert isinstance(state, AppState)
        return state


def sign_up_with_token(client: TestClient, email: str, password: str = PASSWORD) -> Person:
    made = client.post("/api/v1/accounts", json={"email": email, "password": password})
    assert made.status_code == 201, made.text
    got = client.post(
        "/api/v1/tokens", json={"email": email, "password": password, "name": "tests"}
    )
    assert got.status_code == 201, got.text
    token = got.json()["token"]
    return Person(made.json()["id"], email, password, token, {"Authorization": f"Bearer {token}"})


@pytest.fixture
def mu(mu_client: TestClient, service_db: ServiceDb) -> MultiUser:
    return MultiUser(mu_client, service_db)


__all__ = [
    "PASSWORD",
    "MultiUser",
    "Person",
    "ServiceDb",
    "_never_the_real_diary",
    "cheap_hashes",
    "multi_user_settings",
    "pg_url",
    "redis_url",
    "sign_up_with_token",
]
