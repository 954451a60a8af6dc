"""The diary over JSON: /api/v1/episodes, /api/v1/days, /api/v1/factors.

Handlers are plain ``def`` so the (blocking) database calls run in the thread pool.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from crampwise.diary.dates import date_range, parse_day
from crampwise.diary.factors import load_factors
from crampwise.diary.pages import MAX_LIMIT, Page, days_page, episodes_page, read_cursor
from crampwise.diary.plausible import check_not_far_before
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DayMode, DiaryStore
from crampwise.diary.validate import day_from_dict, day_to_dict, episode_from_dict, episode_to_dict
from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError, field_path
from crampwise.web.api.body import json_object
from crampwise.web.api.models import DayOut, EpisodeIn, EpisodeOut
from crampwise.web.api.schemas import DIARY_DATE, ISO_DATE, day_schema, json_body
from crampwise.web.app import app_state
from crampwise.web.errors import ERROR_RESPONSES
from crampwise.web.security import require_json

T = TypeVar("T")

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["diary"])
JSON_ONLY = [Depends(require_json)]

# Dates are strings checked here: pydantic's lax date parsing would take "0" as 1970-01-01.
DATE = {"format": "date"}
From = Annotated[
    str | None,
    Query(alias="from", pattern=ISO_DATE, description="first day", json_schema_extra=DATE),
]
To = Annotated[
    str | None,
    Query(alias="to", pattern=ISO_DATE, description="last day", json_schema_extra=DATE),
]
Day = Annotated[str, Path(pattern=DIARY_DATE, description="YYYY-MM-DD", json_schema_extra=DATE)]
Mode = Annotated[
    DayMode,
    Query(
        description="merge (default): keep the factors already recorded for the date and set "
        "the ones sent; replace: the day becomes exactly what is sent"
    ),
]
# SQLite integers are 64-bit: a larger id is simply not there, never an overflow.
EpisodeId = Annotated[int, Path(ge=1, le=2**63 - 1)]


Limit = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description="page size: at most this many entries, newest first (without it: "
        "every entry, oldest first)",
    ),
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=200,
        description="where the page starts: an opaque value, taken from the Link header's "
        'rel="next" address (only with limit)',
    ),
]
TOTAL_HEADER = "X-Total-Count"
CURSOR_FIELD = field_path(["query", "cursor"])
PAGED: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            TOTAL_HEADER: {
                "description": "how many entries the date range holds",
                "schema": {"type": "integer"},
            },
            "Link": {
                "description": "with limit, when more follow: "
                '<address of the next page>; rel="next"',
                "schema": {"type": "string"},
            },
        }
    }
}


def _no_cursor(cursor: str | None) -> None:
    if cursor is not None:
        problem = FieldProblem(CURSOR_FIELD, "goes with limit: use the Link header's address")
        raise InvalidInputError("invalid page", [problem])


def _page_headers(request: Request, response: Response, total: int, older: str | None) -> None:
    """``X-Total-Count`` and, when another page follows, GitHub's ``Link: <…>; rel="next"``
    (the same address with the next cursor: from, to and limit kept)."""
    response.headers[TOTAL_HEADER] = str(total)
    if older is not None:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        url = request.url.replace_query_params(**dict(params), cursor=older)
        response.headers["Link"] = f'<{url}>; rel="next"'


def _store(request: Request) -> DiaryStore:
    return app_state(request).store()


Store = Annotated[DiaryStore, Depends(_store)]


def _day_body(body: dict[str, Any]) -> dict[str, Any]:
    # The diary's validator reads a falsy 'values' as "none"; over JSON, false or 0 is a mistake.
    when = body.get("date")
    if isinstance(when, str) and not re.fullmatch(DIARY_DATE, when.strip()):
        # Guard until the diary's validator bounds day dates: year 1 breaks the analysis.
        raise InvalidInputError(
            "invalid day", [FieldProblem("date", "must be a date from 1900 on, YYYY-MM-DD")]
        )
    values = body.get("values")
    if values is not None and not isinstance(values, dict):
        raise InvalidInputError(
            "invalid day", [FieldProblem("values", "must be an object of factor id to value")]
        )
    return body


def query_range(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """The ``from``/``to`` query as days; ``from`` after ``to`` is a 422 on ``query.from``."""
    period = date_range(
        start,
        end,
        start_field=field_path(["query", "from"]),
        end_field=field_path(["query", "to"]),
    )
    return period.start, period.end


def _episode(body: EpisodeIn, store: DiaryStore, stored_day: date | None = None) -> Episode:
    episode = episode_from_dict(body.model_dump(exclude_unset=True))
    if episode.day != stored_day:  # an entry kept on its own date is not asked about again
        check_not_far_before([episode.day], ["started_at"], store)
    return episode


def _update_day(store: DiaryStore, record: DayFactors, mode: DayMode) -> DayFactors:
    check_not_far_before([record.day], ["date"], store)
    return store.update_day(record, mode=mode)


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """How one list (episodes or days) is read whole, read a page at a time, and shown."""

    read_all: Callable[[date | None, date | None], list[T]]
    read_page: Callable[..., Page[T]]
    cursor_kind: Literal["e", "d"]
    to_dict: Callable[[T], dict[str, Any]]


def _listed(
    listing: Listing[T],
    store: DiaryStore,
    period: tuple[date | None, date | None],
    limit: int | None,
    cursor: str | None,
    request: Request,
    response: Response,
) -> list[dict[str, Any]]:
    """Without ``limit`` the whole list, oldest first; with it one page, newest first, with
    the total and the next page's address in the headers."""
    if limit is None:
        _no_cursor(cursor)
        found = listing.read_all(*period)
        response.headers[TOTAL_HEADER] = str(len(found))
        return [listing.to_dict(item) for item in found]
    key = read_cursor(cursor, listing.cursor_kind, CURSOR_FIELD) if cursor is not None else None
    page = listing.read_page(store, *period, limit, cursor=key)
    _page_headers(request, response, page.total, page.older)
    return [listing.to_dict(item) for item in page.items]


# ------------------------------------------------------------------ episodes


@router.get("/episodes", response_model=list[EpisodeOut], responses=PAGED)
def list_episodes(
    request: Request,
    response: Response,
    store: Store,
    start: From = None,
    end: To = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> list[dict[str, Any]]:
    """Cramps; ``from`` and ``to`` are inclusive days. Without ``limit``: all of them,
    oldest first. With ``limit``: at most that many, newest first, the total in
    ``X-Total-Count`` and the next page's address in ``Link: <…>; rel="next"``."""
    period = query_range(start, end)
    listing = Listing(store.list_episodes, episodes_page, "e", episode_to_dict)
    return _listed(listing, store, period, limit, cursor, request, response)


@router.post("/episodes", response_model=EpisodeOut, status_code=201, dependencies=JSON_ONLY)
def add_episode(body: EpisodeIn, store: Store) -> dict[str, Any]:
    """Log a cramp. Domain rules (not in the future, no site twice) give 422 too."""
    return episode_to_dict(store.add_episode(_episode(body, store)))


@router.get("/episodes/{episode_id}", response_model=EpisodeOut)
def get_episode(episode_id: EpisodeId, store: Store) -> dict[str, Any]:
    return episode_to_dict(store.get_episode(episode_id))


@router.put("/episodes/{episode_id}", response_model=EpisodeOut, dependencies=JSON_ONLY)
def update_episode(episode_id: EpisodeId, body: EpisodeIn, store: Store) -> dict[str, Any]:
    """Replace a cramp entry with the one sent."""
    stored_day = store.get_episode(episode_id).day  # 404 before any other check
    return episode_to_dict(store.update_episode(episode_id, _episode(body, store, stored_day)))


@router.delete("/episodes/{episode_id}", status_code=204, response_class=Response)
def delete_episode(episode_id: EpisodeId, store: Store) -> Response:
    store.delete_episode(episode_id)
    return Response(status_code=204)


# ------------------------------------------------------------------ days


@router.get("/days", response_model=list[DayOut], responses=PAGED)
def list_days(
    request: Request,
    response: Response,
    store: Store,
    start: From = None,
    end: To = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> list[dict[str, Any]]:
    """Recorded days: all of them oldest first, or with ``limit`` a page newest first
    (paged as ``GET /episodes`` is)."""
    period = query_range(start, end)
    listing = Listing(store.list_days, days_page, "d", day_to_dict)
    return _listed(listing, store, period, limit, cursor, request, response)


@router.post(
    "/days",
    response_model=DayOut,
    status_code=201,
    openapi_extra=json_body(day_schema()),
)
async def set_day(request: Request, mode: Mode = "merge") -> dict[str, Any]:
    """Record a day and return what the date now holds. With ``mode=merge`` (the default)
    the factors sent are added to those already recorded for the date; with
    ``mode=replace`` the day becomes exactly what is sent. Not a day in the future."""
    record = day_from_dict(_day_body(await json_object(request)))
    store = app_state(request).store
    return day_to_dict(await run_in_threadpool(lambda: _update_day(store(), record, mode)))


@router.get("/days/{day}", response_model=DayOut)
def get_day(day: Day, store: Store) -> dict[str, Any]:
    found = store.get_day(parse_day(day, "day"))
    if found is None:
        raise NotFoundError(f"nothing is recorded for {day}")
    return day_to_dict(found)


@router.put("/days/{day}", response_model=DayOut, openapi_extra=json_body(day_schema(False)))
async def put_day(day: Day, request: Request, mode: Mode = "merge") -> dict[str, Any]:
    """Record the day at this date; ``mode`` as for POST /days (merge by default)."""
    body = await json_object(request)
    if "date" in body:
        raise InvalidInputError(
            "invalid day", [FieldProblem("date", "the date is in the address; leave it out")]
        )
    record = day_from_dict({"date": parse_day(day, "day").isoformat(), **_day_body(body)})
    store = app_state(request).store
    return day_to_dict(await run_in_threadpool(lambda: _update_day(store(), record, mode)))


@router.delete("/days/{day}", status_code=204, response_class=Response)
def delete_day(day: Day, store: Store) -> Response:
    store.delete_day(parse_day(day, "day"))
    return Response(status_code=204)


@router.get("/factors", response_model=list[dict[str, Any]])
def list_factors() -> list[dict[str, Any]]:
    """The daily factors a day may record, with their types and allowed values."""
    return [f.model_dump(exclude={"exposure"}) for f in load_factors()]
