"""History a page at a time: keyset pages of cramps and days, newest first, with true totals.

A page seeks past the last row of the previous one on the index it is ordered by (episodes:
``(started_at, id)``, migration 0003; days: the ``day`` key), so page 500 of a 100k-row
diary costs what page 1 costs. The cursor handed to clients is opaque (base64url of the
last row's key); :func:`read_cursor` refuses anything else with the field named. ``offset``
paging (``crampwise history --page K``) is offered too: it walks the same index.

Saved checks are also written here once per check (:func:`save_check_once`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy import Select, func, insert, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.diary.store import DiaryStore, assessment_from_row, episode_from_row
from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError
from crampwise.storage.models import metadata

T = TypeVar("T")
Direction = Literal["older", "newer"]

MAX_LIMIT = 1000
"""The most entries one page may hold (API ``limit``, ``crampwise history --limit``)."""

DUPLICATE_WINDOW = timedelta(hours=12)
"""A check saved again within this time with the same answers and result is the same check."""

_EPISODES = metadata.tables["episodes"]
_DAYS = metadata.tables["days"]
_CHECKS = metadata.tables["saved_assessments"]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page, newest first: its entries, the total in the date range, and the cursors of
    the pages either side (None at an end)."""

    items: list[T]
    total: int
    older: str | None
    newer: str | None


# ---------------------------------------------------------------- cursors


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str:
    padded = cursor + "=" * (-len(cursor) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")


def episode_cursor(ep: Episode) -> str:
    return _encode(f"e|{ep.started_at.isoformat()}|{ep.id}")


def day_cursor(d: DayFactors) -> str:
    return _encode(f"d|{d.day.isoformat()}")


def read_cursor(cursor: str, kind: Literal["e", "d"], field: str) -> tuple[Any, ...]:
    """The key a cursor holds, or InvalidInputError naming ``field`` (e.g. ``query.cursor``)."""
    try:
        parts = _decode(cursor).split("|")
        if kind == "e" and len(parts) == 3 and parts[0] == "e":
            return datetime.fromisoformat(parts[1]), int(parts[2])
        if kind == "d" and len(parts) == 2 and parts[0] == "d":
            return (date.fromisoformat(parts[1]),)
    except (ValueError, UnicodeError, binascii.Error):
        pass
    raise InvalidInputError(
        "invalid page cursor",
        [FieldProblem(field, "is not a cursor this diary handed out; start from the first page")],
    )


def check_limit(limit: int, field: str) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError(
            "invalid page size", [FieldProblem(field, f"must be from 1 to {MAX_LIMIT}")]
        )
    return limit


# ---------------------------------------------------------------- pages


def episodes_page(
    store: DiaryStore,
    start: date | None,
    end: date | None,
    limit: int,
    *,
    cursor: tuple[Any, ...] | None = None,
    direction: Direction = "older",
    offset: int = 0,
) -> Page[Episode]:
    """Cramps newest first: ``limit`` of them older than ``cursor`` (a key from
    :func:`read_cursor`), or — ``direction="newer"`` — the ``limit`` just newer than it."""
    key = tuple_(_EPISODES.c.started_at, _EPISODES.c.id)
    in_range = _episode_range(start, end)
    query = select(_EPISODES).where(*in_range)
    if cursor is not None:
        query = query.where(
            key < tuple_(*cursor) if direction == "older" else key > tuple_(*cursor)
        )
    return _page(
        store,
        query,
        select(func.count()).select_from(_EPISODES).where(*in_range),
        (_EPISODES.c.started_at, _EPISODES.c.id),
        limit,
        cursor,
        direction,
        offset,
        lambda rows: [episode_from_row(row) for row in rows],
        episode_cursor,
    )


def days_page(
    store: DiaryStore,
    start: date | None,
    end: date | None,
    limit: int,
    *,
    cursor: tuple[Any, ...] | None = None,
    direction: Direction = "older",
    offset: int = 0,
) -> Page[DayFactors]:
    """Recorded days newest first, paged as :func:`episodes_page` pages cramps."""
    in_range: list[ColumnElement[bool]] = []
    if start is not None:
        in_range.append(_DAYS.c.day >= start)
    if end is not None:
        in_range.append(_DAYS.c.day <= end)
    query = select(_DAYS.c.day).where(*in_range)
    if cursor is not None:
        (day,) = cursor
        query = query.where(_DAYS.c.day < day if direction == "older" else _DAYS.c.day > day)

    def records(rows: list[Any]) -> list[DayFactors]:
        if not rows:
            return []
        # A page is a run of consecutive recorded days: the store reads exactly those.
        found = store.list_days(rows[-1].day, rows[0].day)
        return list(reversed(found))

    return _page(
        store,
        query,
        select(func.count()).select_from(_DAYS).where(*in_range),
        (_DAYS.c.day,),
        limit,
        cursor,
        direction,
        offset,
        records,
        day_cursor,
    )


def _episode_range(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if start is not None:
        out.append(_EPISODES.c.started_at >= datetime.combine(start, time()))
    if end is not None:
        out.append(_EPISODES.c.started_at < datetime.combine(end + timedelta(days=1), time()))
    return out


def _page(
    store: DiaryStore,
    query: Select[Any],
    count: Select[Any],
    order: tuple[Any, ...],
    limit: int,
    cursor: tuple[Any, ...] | None,
    direction: Direction,
    offset: int,
    build: Callable[[list[Any]], list[T]],
    cursor_of: Callable[[T], str],
) -> Page[T]:
    check_limit(limit, "limit")
    if offset < 0:
        raise InvalidInputError("invalid page", [FieldProblem("offset", "cannot be negative")])
    newest_first = [c.desc() for c in order]
    oldest_first = [c.asc() for c in order]
    ordered = query.order_by(*(newest_first if direction == "older" else oldest_first))
    with store.connection() as conn:
        # One more row than asked says whether another page follows.
        rows = list(conn.execute(ordered.offset(offset).limit(limit + 1)))
        total = conn.execute(count).scalar_one()
    more = len(rows) > limit
    rows = rows[:limit]
    if direction == "newer":
        rows.reverse()
    items = build(rows)
    if not items:
        return Page(items, total, None, None)
    if direction == "older":
        has_older, has_newer = more, cursor is not None or offset > 0
    else:
        has_older, has_newer = True, more
    return Page(
        items,
        total,
        cursor_of(items[-1]) if has_older else None,
        cursor_of(items[0]) if has_newer else None,
    )


# ---------------------------------------------------------------- saved checks


def save_check_once(
    store: DiaryStore,
    case: dict[str, Any],
    result: dict[str, Any],
    knowledge_version: str,
    now: datetime | None = None,
) -> tuple[SavedAssessment, bool]:
    """Save a check unless the same check was saved in the last :data:`DUPLICATE_WINDOW`:
    the same answers (the case), the same result and the same knowledge version — the same
    result page saved again (a double click, the button pressed three times, a reload).

    Returns the saved check and whether it is new. The lookup and the insert are one
    write transaction, so even simultaneous presses save it once.
    """
    now = now or datetime.now()
    record = SavedAssessment(now, case, result, knowledge_version)  # checks the JSON
    wanted = _canonical(case), _canonical(result)
    recent = (
        select(_CHECKS)
        .where(_CHECKS.c.created_at >= now - DUPLICATE_WINDOW)
        .where(_CHECKS.c.knowledge_version == knowledge_version)
        .order_by(_CHECKS.c.created_at.desc(), _CHECKS.c.id.desc())
    )
    with store.connection(write=True) as conn:
        for row in conn.execute(recent):
            if (_canonical(row.case_json), _canonical(row.result_json)) == wanted:
                return assessment_from_row(row), False
        inserted = conn.execute(
            insert(_CHECKS)
            .values(
                created_at=record.created_at,
                knowledge_version=record.knowledge_version,
                case_json=record.case,
                result_json=record.result,
            )
            .returning(*_CHECKS.c)
        ).one()
    return assessment_from_row(inserted), True


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def saved_checks(store: DiaryStore, limit: int | None = None) -> list[SavedAssessment]:
    """The saved checks, newest first (all of them, or the newest ``limit``)."""
    query = select(_CHECKS).order_by(_CHECKS.c.created_at.desc(), _CHECKS.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with store.connection() as conn:
        return [assessment_from_row(row) for row in conn.execute(query)]


def saved_check(store: DiaryStore, check_id: int) -> SavedAssessment:
    with store.connection() as conn:
        row = conn.execute(select(_CHECKS).where(_CHECKS.c.id == check_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"no saved check with id {check_id}")
    return assessment_from_row(row)


def count_checks(store: DiaryStore) -> int:
    with store.connection() as conn:
        return conn.execute(select(func.count()).select_from(_CHECKS)).scalar_one()


__all__ = [
    "DUPLICATE_WINDOW",
    "MAX_LIMIT",
    "Page",
    "check_limit",
    "count_checks",
    "day_cursor",
    "days_page",
    "episode_cursor",
    "episodes_page",
    "read_cursor",
    "save_check_once",
    "saved_check",
    "saved_checks",
]
