"""The PostgreSQL pool's size: arguments, then CRAMPWISE_DB_POOL_SIZE / _MAX_OVERFLOW, then
the defaults; a value that cannot work is one sentence naming the setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import QueuePool

from crampwise.errors import DatabaseSettingsError
from crampwise.storage import database
from crampwise.storage.database import (
    DEFAULT_MAX_OVERFLOW,
    DEFAULT_POOL_SIZE,
    MAX_OVERFLOW_VAR,
    POOL_SIZE_VAR,
    make_engine,
    pool_settings,
)

PG = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # never connected to: engines are lazy


@pytest.fixture(autouse=True)
def _no_pool_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (POOL_SIZE_VAR, MAX_OVERFLOW_VAR, database.PING_AFTER_IDLE_VAR):
        monkeypatch.delenv(name, raising=False)


def _pool(**kwargs: int) -> tuple[int, int]:
    engine = make_engine(PG, **kwargs)
    try:
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        return pool.size(), pool._max_overflow
    finally:
        engine.dispose()


def test_defaults_keep_more_connections_than_they_open_for_a_burst() -> None:
    assert _pool() == (DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW) == (15, 5)


def test_the_environment_sets_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOL_SIZE_VAR, " 3 ")
    monkeypatch.setenv(MAX_OVERFLOW_VAR, "0")
    assert _pool() == (3, 0)


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOL_SIZE_VAR, "3")
    assert _pool(pool_size=1, max_overflow=0) == (1, 0)
    assert _pool(pool_size=7) == (7, DEFAULT_MAX_OVERFLOW)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        (POOL_SIZE_VAR, "0"),
        (POOL_SIZE_VAR, "ten"),
        (POOL_SIZE_VAR, "1001"),
        (MAX_OVERFLOW_VAR, "-1"),
        (MAX_OVERFLOW_VAR, "2.5"),
    ],
)
def test_a_bad_setting_is_named(name: str, raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, raw)
    with pytest.raises(DatabaseSettingsError, match=name):
        make_engine(PG)


def test_a_bad_argument_is_refused() -> None:
    with pytest.raises(DatabaseSettingsError, match="1 to 1000"):
        pool_settings(pool_size=0)


def test_sqlite_ignores_the_pool_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(POOL_SIZE_VAR, "not a number")
    engine = make_engine(f"sqlite:///{tmp_path}/d.sqlite3")  # no DatabaseSettingsError
    assert engine.dialect.name == "sqlite"
    engine.dispose()


def _counting_pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection: Any) -> bool:
        pings.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return pings


def _backend(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.mark.postgres
def test_a_connection_just_handed_back_is_not_pinged(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        pings = _counting_pings(engine, monkeypatch)
        first = _backend(engine)
        assert [_backend(engine) for _ in range(3)] == [first] * 3
        assert pings == []
    finally:
        engine.dispose()
    monkeypatch.setenv(database.PING_AFTER_IDLE_VAR, "0")  # every checkout counts as idle
    engine = make_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        pings = _counting_pings(engine, monkeypatch)
        first = _backend(engine)  # a new connection: nothing to check
        assert _backend(engine) == first and pings == [1]
    finally:
        engine.dispose()


@pytest.mark.parametrize("raw", ["-1", "soon", "86401"])
def test_a_bad_ping_setting_is_named(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(database.PING_AFTER_IDLE_VAR, raw)
    with pytest.raises(DatabaseSettingsError, match=database.PING_AFTER_IDLE_VAR):
        make_engine(PG)


@pytest.mark.postgres
def test_a_dead_idle_connection_is_replaced_before_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(database.PING_AFTER_IDLE_VAR, "0")
    engine = make_engine(pg_url, pool_size=1, max_overflow=0)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        before = _backend(engine)
        with admin.connect() as conn:  # as a server restart would, under the idle pool
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        assert _backend(engine) != before  # no error reached the caller
    finally:
        engine.dispose()
        admin.dispose()
