"""Which database to use, an engine for it, and a first connection that explains failures.

``CRAMPWISE_DATABASE_URL`` takes any SQLAlchemy URL (``sqlite:///path``,
``postgresql+psycopg://user@host/db``); without it the diary is a SQLite file in the user's
data directory, so it never leaves the machine. A setting that cannot work is a
:class:`DatabaseSettingsError`: one sentence, exit status 2, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from crampwise.errors import DatabaseSettingsError, FieldProblem, InvalidInputError, StorageError

ENV_VAR = "CRAMPWISE_DATABASE_URL"
EXAMPLES = "sqlite:///path/to/diary.sqlite3 or postgresql+psycopg://user@host/dbname"
POSTGRES_EXTRA = "pip install 'crampwise[postgres]'"
# Execution option: a SQLite transaction that takes the write lock at BEGIN (see make_engine).
WRITE_OPTION = "crampwise_write"

__all__ = [
    "ENV_VAR",
    "StorageError",  # defined in crampwise.errors; importable from here as before
    "connect",
    "default_url",
    "for_writing",
    "make_engine",
    "safe_url",
]


def default_url() -> str:
    """The URL from the environment, else the SQLite file in the user's data directory."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    import platformdirs  # only needed when no URL is configured

    return f"sqlite:///{Path(platformdirs.user_data_dir('crampwise')) / 'diary.sqlite3'}"


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # an unparsable URL is shown as is; it has no password to hide
        return str(url)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite, creates the directory and sets the pragmas."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInputError(
            "the database URL is not valid",
            [FieldProblem(ENV_VAR, "expected e.g. sqlite:///path/diary.sqlite3")],
        ) from None
    backend = parsed.get_backend_name()
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver the extra installs
    if backend == "sqlite":
        _prepare_folder(parsed)
    try:
        if backend == "postgresql":
            # pool_pre_ping: a server restart between two commands of a long-lived app is
            # harmless. connect_timeout: a server that never answers is an error, not a hang.
            return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        if backend != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
        engine = create_engine(parsed)
    except NoSuchModuleError:
        raise DatabaseSettingsError(
            f"{ENV_VAR} names an unknown kind of database {parsed.drivername!r}: use {EXAMPLES}."
        ) from None
    except ImportError:
        if backend != "postgresql":
            raise
        raise DatabaseSettingsError(
            f"PostgreSQL support is not installed: run {POSTGRES_EXTRA}, "
            f"or point {ENV_VAR} at a SQLite file."
        ) from None
    event.listen(engine, "connect", _sqlite_pragmas)
    # pysqlite's own transaction handling skips BEGIN before DDL; emitting BEGIN ourselves
    # makes migrations and every write truly atomic (SQLAlchemy's documented recipe).
    # BEGIN IMMEDIATE takes the write lock at once, waiting up to busy_timeout: a deferred
    # transaction that read first would fail at once with "database is locked" when it
    # tries to write while another process holds the lock.
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def for_writing(engine: Engine) -> Engine:
    """The same engine (same pool), whose SQLite transactions take the write lock at BEGIN.

    Use it for a transaction that reads before it writes. Elsewhere it changes nothing.
    """
    return engine.execution_options(**{WRITE_OPTION: True})


def connect(engine: Engine) -> Connection:
    """A first connection; a database that cannot be reached is a DatabaseSettingsError."""
    try:
        return engine.connect()
    except DBAPIError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        if engine.dialect.name == "sqlite":
            where = f"cannot open the SQLite file {engine.url.database}"
            hint = "point it at a folder you can write"
        else:
            where = f"cannot connect to the database at {safe_url(engine.url)}"
            hint = "check that the server is running and the URL is right"
        raise DatabaseSettingsError(
            f"cannot prepare the diary database: {where} ({reason}); {hint} ({ENV_VAR})."
        ) from None


def _prepare_folder(parsed: URL) -> None:
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseSettingsError(
            f"cannot prepare the diary database: cannot create the folder {folder} "
            f"({exc.strerror}); point {ENV_VAR} at a folder you can write."
        ) from None


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # busy_timeout first: switching a new file to WAL needs a lock another process may hold.
    # foreign_keys: SQLite ignores ON DELETE CASCADE without it.  WAL + NORMAL: a crash
    # loses at most the last transaction, never corrupts the file, and readers never block.
    dbapi_connection.isolation_level = None  # we send BEGIN ourselves, see make_engine
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=30000")  # a long import holds the lock
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
