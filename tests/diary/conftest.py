"""Fixtures: a diary per test on SQLite (tmp_path) and on PostgreSQL.

PostgreSQL tests get one fresh, uniquely named database for the session (dropped at the
end) and an emptied schema per test. When the server is unreachable they skip with the
reason, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from crampwise.diary.store import DiaryStore, open_store

PG_ADMIN_URL = os.environ.get(
    "CRAMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def _never_the_real_diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Anything that opens "the default diary" in a test lands in tmp_path, never in the
    # user's data directory.
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite3'}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh database crampwise_test_<random>, dropped after the session."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"crampwise_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc.orig}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
        pytest.skip(reason)
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables yet) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'diary.sqlite3'}"
        return
    url: str = request.getfixturevalue("pg_url")
    reset_postgres(url)
    yield url
    reset_postgres(url)


@pytest.fixture
def store(db_url: str) -> Iterator[DiaryStore]:
    with open_store(db_url) as s:
        yield s


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite diary that the CLI (via CRAMPWISE_DATABASE_URL) also uses."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    return url


class Cli:
    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        from crampwise.cli import main

        return self.runner.invoke(main, list(args), input=input, catch_exceptions=False)

    def counts(self) -> dict[str, int]:
        with open_store(self.url) as s:
            return s.counts()


@pytest.fixture
def cli(sqlite_url: str) -> Cli:
    return Cli(sqlite_url)
