"""Owner scoping: every statement on an owned table is limited to one owner, in one place.

Each diary, assessment and experiment row has an ``owner_id``. :func:`install` puts one
hook on an engine; for every statement that touches an owned table it adds the owner of
the connection (the execution option ``OWNER_OPTION``, set by ``DiaryStore._transaction``
and nowhere else):

- SELECT: ``owner_id = <owner>`` for each owned table in the FROM list;
- UPDATE and DELETE: the same in the WHERE clause;
- INSERT (executemany too): the ``owner_id`` column's default reads the owner
  (:mod:`crampwise.storage.owner_column`); an INSERT or UPDATE that sets ``owner_id``
  itself to anyone else is refused.

It fails closed: a statement on an owned table with no owner, or one it cannot scope (a
nested SELECT, an outer join, an alias, a UNION, raw SQL naming an owned table) raises
:class:`StorageError` before it reaches the database. On PostgreSQL, row-level security
enforces the same rule underneath (migration 0006, :mod:`crampwise.storage.roles`).

Tests only: the execution option ``UNSCOPED_FOR_TESTS`` (see :func:`unscoped_for_tests`)
switches this filter off on one connection, so a test can show that row-level security
alone still returns nothing of another owner's.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Delete,
    Engine,
    Insert,
    Join,
    Select,
    Table,
    TextClause,
    Update,
    case,
    delete,
    event,
)
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql import visitors
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.sql.elements import ClauseElement, ColumnElement
from sqlalchemy.sql.selectable import AliasedReturnsRows, SelectBase, TextualSelect

from crampwise.errors import StorageError
from crampwise.storage.experiment_tables import experiment_checkins, experiments
from crampwise.storage.models import (
    day_factor_values,
    days,
    diary_revisions,
    episodes,
    saved_assessments,
)
from crampwise.storage.owner_column import LOCAL_OWNER, OWNER_OPTION

OWNED_TABLES: tuple[Table, ...] = (
    # Children before parents, so deleting in this order never trips a foreign key.
    day_factor_values,
    days,
    experiment_checkins,
    experiments,
    episodes,
    saved_assessments,
    diary_revisions,
)
"""Every table whose rows belong to one owner."""

UNSCOPED_FOR_TESTS = "crampwise_unscoped_for_tests"
"""Execution option: the owner filter is off on this connection. For tests only."""

WROTE_KEY = "crampwise_owned_write"
"""``Connection.info`` flag: the transaction ran an INSERT, UPDATE or DELETE on an owned
table (``DiaryStore`` then bumps the owner's revision before it commits)."""

_OWNED = frozenset(OWNED_TABLES)
_OWNED_NAMES = "|".join(t.name for t in OWNED_TABLES)
# Raw SQL naming an owned table after a keyword that reads or writes rows.
_RAW_OWNED = re.compile(
    rf"\b(?:from|join|into|update|table|truncate)\s+[\"`\[]?(?:{_OWNED_NAMES})\b", re.IGNORECASE
)


def install(engine: Engine) -> None:
    """Scope every statement run through ``engine`` (idempotent)."""
    if not event.contains(engine, "before_execute", _before_execute):
        event.listen(engine, "before_execute", _before_execute, retval=True)
        # exec_driver_sql() skips before_execute; its raw SQL is checked just before it runs.
        event.listen(engine, "before_cursor_execute", _before_cursor_execute)


def owner_of(conn: Connection) -> int:
    """The owner ``conn`` is scoped to; StorageError when it has none."""
    owner = conn.get_execution_options().get(OWNER_OPTION)
    if owner is None:
        raise StorageError("no owner is set for this diary connection")
    return int(owner)


def unscoped_for_tests(conn: Connection) -> Connection:
    """``conn`` with the owner filter off (tests only: proves row-level security alone)."""
    return conn.execution_options(**{UNSCOPED_FOR_TESTS: True})


def _before_execute(
    conn: Connection,
    element: Any,
    multiparams: Any,
    params: Any,
    options: dict[str, Any],
) -> tuple[Any, Any, Any]:
    if options.get(UNSCOPED_FOR_TESTS):
        return element, multiparams, params
    if isinstance(element, TextClause | TextualSelect | ExecutableDDLElement | str):
        _refuse_raw(element)
        return element, multiparams, params
    if not isinstance(element, ClauseElement):
        return element, multiparams, params
    owned = _owned_tables(element)
    if not owned:
        return element, multiparams, params
    owner = options.get(OWNER_OPTION)
    if owner is None:
        raise StorageError(
            "this diary connection has no owner, so it may not touch the diary's tables"
        )
    return _scoped(conn, element, owned, owner, multiparams, params), multiparams, params


def _owned_tables(element: ClauseElement) -> list[Table]:
    """The owned tables ``element`` reads or writes at its top level, in one walk over it
    (this runs for every statement). Refuses the shapes a WHERE clause cannot scope: a
    nested SELECT, an alias or subquery, an outer join, over an owned table."""
    owned: list[Table] = []
    suspects: list[Any] = []
    for node in visitors.iterate(element):
        if isinstance(node, Table):
            if node in _OWNED and node not in owned:
                owned.append(node)
        elif node is not element and isinstance(node, SelectBase | AliasedReturnsRows):
            suspects.append(node)
        elif isinstance(node, Join) and (node.isouter or node.full):
            suspects.append(node)
    for _target, _on, _from, flags in getattr(element, "_setup_joins", ()):
        if flags.get("isouter") or flags.get("full"):  # select(...).outerjoin(...)
            suspects.append(element)
    if owned:
        for node in suspects:
            if any(t in _OWNED for t in sql_util.find_tables(node, include_aliases=True)):
                raise _cannot(_SHAPE.get(type(node).__name__, _SHAPE["Select"]))
    return owned


_SHAPE = {
    "Join": "an outer join over a diary table",
    "Select": "a nested SELECT (or an outer join) over a diary table",
    "ScalarSelect": "a nested SELECT over a diary table",
    "CompoundSelect": "a UNION of diary tables",
    "Alias": "an alias of a diary table",
    "Subquery": "a subquery over a diary table",
}


def _scoped(
    conn: Connection, element: Any, owned: list[Table], owner: int, multiparams: Any, params: Any
) -> Any:
    if isinstance(element, Select):
        # Every owned table found outside a (refused) subquery is in the FROM list.
        return element.where(*(_is_owner(t, owner) for t in owned))
    if isinstance(element, Insert | Update | Delete):
        table = element.table
        if not isinstance(table, Table) or any(t is not table for t in owned):
            raise _cannot("a write that reads another diary table")
        _refuse_other_owner(element, owner, multiparams, params)
        conn.info[WROTE_KEY] = True
        if isinstance(element, Insert):
            return element  # owner_id comes from the column default (owner_column)
        return element.where(_is_owner(table, owner))
    if isinstance(element, CompoundSelect):
        raise _cannot("a UNION of diary tables")
    raise _cannot(f"a {type(element).__name__} statement on a diary table")


@lru_cache(maxsize=8192)
def _is_owner(table: Table, owner: int) -> ColumnElement[bool]:
    # Expressions are immutable: one per table and owner is built once and shared (building
    # a comparison costs more than the rest of the hook).
    return table.c.owner_id == owner


def _refuse_other_owner(element: Any, owner: int, multiparams: Any, params: Any) -> None:
    """Only the hook decides a row's owner: setting owner_id by hand is refused unless it
    is the connection's own owner (an UPDATE may never move rows to another owner)."""
    values = getattr(element, "_values", None) or {}
    if any(getattr(key, "key", key) == "owner_id" for key in values):
        raise _cannot("a statement that sets owner_id itself")
    if getattr(element, "_multi_values", ()):
        raise _cannot("a multi-row VALUES list on a diary table")
    rows = multiparams if isinstance(multiparams, list | tuple) else [multiparams]
    for row in [*rows, params]:
        if isinstance(row, dict) and "owner_id" in row and row["owner_id"] != owner:
            raise _cannot("a row for another owner")


def _refuse_raw(element: Any) -> None:
    sql = element if isinstance(element, str) else getattr(element, "text", None)
    if sql is None and isinstance(element, TextualSelect):
        sql = getattr(element.element, "text", None)
    if sql is None and isinstance(element, ExecutableDDLElement):
        sql = getattr(element, "statement", None)
    if isinstance(sql, str) and _RAW_OWNED.search(sql):
        raise _cannot("raw SQL that names a diary table")


def _before_cursor_execute(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    # Compiled statements passed _before_execute already; only driver-level SQL is new here.
    if context is not None and context.compiled is not None:
        return
    if conn.get_execution_options().get(UNSCOPED_FOR_TESTS):
        return
    _refuse_raw(statement)


def _cannot(what: str) -> StorageError:
    return StorageError(f"cannot limit {what} to one owner; write it as a plain statement")


# ---------------------------------------------------------------- owner-wide operations


def erase_owned_rows(conn: Connection) -> dict[str, int]:
    """Delete every row of ``conn``'s owner in every owned table, inside the caller's
    transaction; returns the rows deleted per table. The revision row goes too: a later
    write restarts it from the clock, above any value an old cache entry holds."""
    owner_of(conn)  # no owner: refuse before deleting anything
    gone = {t.name: conn.execute(delete(t)).rowcount for t in OWNED_TABLES}
    conn.info.pop(WROTE_KEY, None)  # no revision bump: its row is gone on purpose
    return gone


def bump_revision(conn: Connection) -> None:
    """Raise the owner's revision: to the clock in microseconds, or by one if that is not
    higher. The clock keeps it from ever repeating after an erase; the upsert keeps two
    writers' first writes from colliding."""
    # Imported here: the PostgreSQL dialect alone costs a tenth of a second at start-up.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as insert_
    else:
        from sqlalchemy.dialects.sqlite import insert as insert_  # type: ignore[assignment]
    now = time.time_ns() // 1000
    statement = insert_(diary_revisions).values(revision=now)
    following = diary_revisions.c.revision + 1
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[diary_revisions.c.owner_id],
            set_={
                "revision": case(
                    (following > statement.excluded.revision, following),
                    else_=statement.excluded.revision,
                )
            },
        )
    )
    conn.info.pop(WROTE_KEY, None)  # the bump itself is not a new write to count


__all__ = [
    "LOCAL_OWNER",
    "OWNED_TABLES",
    "OWNER_OPTION",
    "UNSCOPED_FOR_TESTS",
    "WROTE_KEY",
    "bump_revision",
    "erase_owned_rows",
    "install",
    "owner_of",
    "unscoped_for_tests",
]
