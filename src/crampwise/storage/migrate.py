"""Bring a database up to the newest schema with Alembic, configured in code.

Opening the diary runs this every time, so the common case (already at the newest revision)
is one SELECT and never imports Alembic: ``crampwise log`` stays quick.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from crampwise.storage.database import StorageError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


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
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
            target = head_revision() if revision == "head" else revision
            if current == target:
                return
            connection.rollback()  # let Alembic open its own transaction per migration
            _run_alembic(connection, target)
            connection.commit()
    except SQLAlchemyError as exc:
        raise StorageError(
            f"cannot prepare the diary database: {type(exc).__name__}: {exc.orig or exc}"
            if hasattr(exc, "orig")
            else f"cannot prepare the diary database: {exc}"
        ) from exc


def _run_alembic(connection: Connection, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, target)
