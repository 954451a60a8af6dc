"""Which database to use, and an engine for it.

``CRAMPWISE_DATABASE_URL`` takes any SQLAlchemy URL (``sqlite:///path``,
``postgresql+psycopg://user@host/db``); without it the diary is a SQLite file in the user's
data directory, so it never leaves the machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from crampwise.errors import CrampwiseError, FieldProblem, InvalidInputError

ENV_VAR = "CRAMPWISE_DATABASE_URL"


class StorageError(CrampwiseError):
    """The diary database cannot be opened or written: the message says which and why."""

    http_status = 503
    exit_code = 1


def default_url() -> str:
    """The URL from the environment, else the SQLite file in the user's data directory."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    import platformdirs  # only needed when no URL is configured

    return f"sqlite:///{Path(platformdirs.user_data_dir('crampwise')) / 'diary.sqlite3'}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite, creates the directory and sets the pragmas."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInputError(
            "the database URL is not valid",
            [FieldProblem(ENV_VAR, "expected e.g. sqlite:///path/diary.sqlite3")],
        ) from None
    if parsed.get_backend_name() != "sqlite":
        # pool_pre_ping: a server restart between two commands of a long-lived app is harmless.
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot prepare the diary database: cannot create {folder}: {exc.strerror}"
            ) from None
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_pragmas)
    # pysqlite's own transaction handling skips BEGIN before DDL; emitting BEGIN ourselves
    # makes migrations and every write truly atomic (SQLAlchemy's documented recipe).
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # foreign_keys: SQLite ignores ON DELETE CASCADE without it.  WAL + NORMAL: a crash
    # loses at most the last transaction, never corrupts the file, and readers never block.
    dbapi_connection.isolation_level = None  # we send BEGIN ourselves, see make_engine
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()
