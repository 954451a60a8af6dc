"""The ``owner_id`` column every owned table has, and the execution option that fills it.

Kept apart from :mod:`crampwise.storage.ownership` (which imports the tables) so the table
modules can use it without an import cycle. The database default is ``LOCAL_OWNER`` (0),
so SQL written by hand against the local diary keeps working; no account has id 0, and on
PostgreSQL row-level security refuses such a row to the app role of multi-user mode.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer

from crampwise.errors import StorageError

OWNER_OPTION = "crampwise_owner"
"""Execution option holding the owner (an account id) every statement is scoped to; set on
each connection by ``DiaryStore`` (``crampwise.diary.store``) and nowhere else."""

LOCAL_OWNER = 0
"""The owner of the single-user local diary; rows from before owners existed migrate to it."""


def _owner_default(context: Any) -> int:
    # A context-sensitive default: every INSERT into an owned table (executemany included)
    # gets the owner of the connection it runs on.
    owner = context.execution_options.get(OWNER_OPTION)
    if owner is None:
        raise StorageError("a row of an owned table cannot be written without an owner")
    return int(owner)


def owner_column(*, primary_key: bool = False) -> Column[int]:
    """``owner_id``: NOT NULL, filled from the connection's owner on insert."""
    return Column(
        "owner_id",
        Integer,
        nullable=False,
        primary_key=primary_key,
        autoincrement=False,
        default=_owner_default,
        server_default=str(LOCAL_OWNER),
    )


__all__ = ["LOCAL_OWNER", "OWNER_OPTION", "owner_column"]
