"""Bring a database up to the newest schema with Alembic, configured in code.

Opening the diary runs this every time, so the common case (already at the newest revision)
is one SELECT and never imports Alembic: ``crampwise log`` stays quick. Otherwise the
migration runs under a lock (SQLite: the write lock, taken with BEGIN IMMEDIATE;
PostgreSQL: an advisory lock), in one transaction, after checking the revision again: two
processes opening a brand-new diary at once migrate it once, and neither fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from crampwise.errors import StorageError
from crampwise.storage.database import WRITE_OPTION, connect

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
# pg_advisory_xact_lock key: any fixed 64-bit number; this one spells "crampwis".
_PG_LOCK_KEY = 0x6372616D70776973


def head_revision() -> str:
    """The newest revision id, read from the file names (``0002_….py`` -> ``"0002"``).

    A test checks that this agrees with Alembic's own idea of the head.
    """
    revisions = [
        m.group(1)
        for p in (MIGRATIONS_DIR / "versions").iterdir()
        if (m := _REVISION_FILE.match(p.name))
    ]
    return max(revisions)


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for a database Alembic never touched."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision`` (default: the newest); a no-op when already there."""
    target = head_revision() if revision == "head" else revision
    with connect(engine) as connection:
        try:
            if current_revision(connection) == target:
                return
            connection.rollback()  # end the unlocked read before taking the lock
            with _migration_lock(connection):
                # Another process may have migrated while this one waited for the lock.
                if current_revision(connection) != target:
                    _run_alembic(connection, target)
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            raise StorageError(
                f"cannot prepare the diary database: {type(exc).__name__}: {reason}"
            ) from exc


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """One transaction that holds the database's migration lock until it commits."""
    if connection.dialect.name == "sqlite":
        connection.execution_options(**{WRITE_OPTION: True})  # BEGIN IMMEDIATE
    with connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        yield


def _run_alembic(connection: Connection, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, target)
