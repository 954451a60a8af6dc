"""Which database to use, an engine for it, and a first connection that explains failures.

``CRAMPWISE_DATABASE_URL`` takes any SQLAlchemy URL (``sqlite:///path``,
``postgresql+psycopg://user@host/db``); without it the diary is a SQLite file in the user's
data directory, so it never leaves the machine. A setting that cannot work is a
:class:`DatabaseSettingsError`: one sentence, exit status 2, never a traceback.

PostgreSQL connections are pooled per process: ``CRAMPWISE_DB_POOL_SIZE`` connections are
kept open (default 15) and up to ``CRAMPWISE_DB_MAX_OVERFLOW`` more (default 5) are opened
for a burst and closed after it. Each worker of ``crampwise serve --multi-user`` has its own
pool, so ``workers x (pool size + overflow)`` must stay below the server's
``max_connections`` (100 by default) less what migrations and other clients need.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError

from crampwise.errors import DatabaseSettingsError, FieldProblem, InvalidInputError, StorageError

ENV_VAR = "CRAMPWISE_DATABASE_URL"
POOL_SIZE_VAR = "CRAMPWISE_DB_POOL_SIZE"
MAX_OVERFLOW_VAR = "CRAMPWISE_DB_MAX_OVERFLOW"
# Why 15 + 5: SQLAlchemy's 5 + 10 keeps only 5 connections and opens and closes the rest
# for each burst, so under load a request past the fifth in a worker paid for a new
# PostgreSQL backend (a fork and an authentication; benchmarks/load counts them). A worker
# runs up to 40 requests in threads; 4 workers x (15 + 5) = 80 stays inside PostgreSQL's
# default max_connections of 100.
DEFAULT_POOL_SIZE = 15
DEFAULT_MAX_OVERFLOW = 5
MAX_POOL = 1000  # a larger number is a typo, not a plan
EXAMPLES = "sqlite:///path/to/diary.sqlite3 or postgresql+psycopg://user@host/dbname"
POSTGRES_EXTRA = "pip install 'crampwise[postgres]'"
# Execution option: a SQLite transaction that takes the write lock at BEGIN (see make_engine).
WRITE_OPTION = "crampwise_write"

__all__ = [
    "DEFAULT_MAX_OVERFLOW",
    "DEFAULT_POOL_SIZE",
    "ENV_VAR",
    "MAX_OVERFLOW_VAR",
    "PING_AFTER_IDLE_VAR",
    "POOL_SIZE_VAR",
    "StorageError",  # defined in crampwise.errors; importable from here as before
    "connect",
    "default_url",
    "for_writing",
    "make_engine",
    "ping_when_idle",
    "pool_settings",
    "require_postgres",
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


def pool_settings(pool_size: int | None = None, max_overflow: int | None = None) -> dict[str, int]:
    """The PostgreSQL pool's size and overflow: the arguments given, else the environment
    (``CRAMPWISE_DB_POOL_SIZE``, ``CRAMPWISE_DB_MAX_OVERFLOW``), else the defaults."""
    size = pool_size if pool_size is not None else _env_int(POOL_SIZE_VAR, DEFAULT_POOL_SIZE, 1)
    overflow = (
        max_overflow
        if max_overflow is not None
        else _env_int(MAX_OVERFLOW_VAR, DEFAULT_MAX_OVERFLOW, 0)
    )
    if not 1 <= size <= MAX_POOL or not 0 <= overflow <= MAX_POOL:
        raise DatabaseSettingsError(
            f"the database pool must hold 1 to {MAX_POOL} connections with 0 to {MAX_POOL} "
            f"more in a burst, not {size} and {overflow}."
        )
    return {"pool_size": size, "max_overflow": overflow}


def _env_int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= MAX_POOL:
        raise DatabaseSettingsError(
            f"{name} must be a whole number from {minimum} to {MAX_POOL}, not {raw!r}."
        )
    return value


def require_postgres(url: str, variable: str) -> URL:
    """``url`` parsed, or a DatabaseSettingsError naming ``variable`` unless it is a PostgreSQL
    URL (multi-user mode: row-level security and several workers need a server)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.get_backend_name() != "postgresql":
        raise DatabaseSettingsError(
            f"{variable} must be a PostgreSQL URL (postgresql+psycopg://user:password@host/db): "
            "multi-user mode needs PostgreSQL, not SQLite or another database."
        )
    return parsed


def make_engine(
    url: str, *, pool_size: int | None = None, max_overflow: int | None = None
) -> Engine:
    """An engine for ``url``; for SQLite, creates the directory and sets the pragmas.

    ``pool_size`` and ``max_overflow`` size a PostgreSQL pool (None: :func:`pool_settings`);
    SQLite ignores them."""
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
            # connect_timeout: a server that never answers is an error, not a hang.
            engine = create_engine(
                parsed,
                connect_args={"connect_timeout": 10},
                **pool_settings(pool_size, max_overflow),
            )
            ping_when_idle(engine)
            return engine
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


PING_AFTER_IDLE = 5.0
"""Seconds a pooled connection may sit unused before it is pinged at its next checkout
(``CRAMPWISE_DB_PING_AFTER_IDLE`` overrides it; 0 pings at every checkout)."""
PING_AFTER_IDLE_VAR = "CRAMPWISE_DB_PING_AFTER_IDLE"
_CHECKED_IN = "crampwise_checked_in"


def ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection at checkout when it has been idle, so a server restart
    between two commands of a long-lived app is harmless.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout: one more round trip and one more
    PostgreSQL transaction for each of a request's transactions, which under load doubled
    the transactions a request cost (benchmarks/load). A connection handed back moments ago
    is as good as the ping would say; one idle for ``PING_AFTER_IDLE`` seconds is pinged,
    and a dead one is replaced before anyone uses it (the pool retries the checkout).
    """

    raw = os.environ.get(PING_AFTER_IDLE_VAR, "").strip()
    try:
        limit = float(raw) if raw else PING_AFTER_IDLE
    except ValueError:
        limit = -1.0
    if not 0 <= limit <= 86_400:
        raise DatabaseSettingsError(
            f"{PING_AFTER_IDLE_VAR} must be a number of seconds from 0 to 86400, not {raw!r}."
        )

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since < limit:
            return  # new, or just handed back
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection was dead: {exc}") from exc
        if not alive:
            raise DisconnectionError("a pooled connection was dead")

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)


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
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    # SQLite answers "database is locked" at once, without its busy handler, when a new
    # file is switched to WAL while another connection is doing the same or migrating it
    # (seen with four processes opening one new diary at once): wait as busy_timeout would.
    import sqlite3

    deadline = time.monotonic() + 30
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
