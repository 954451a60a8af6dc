"""History: cramps and days newest first, a page at a time with the true totals; each entry
can be edited (``views/diary.py``), deleted after a confirmation, and the delete undone.

Both lists are keyset pages (``crampwise.diary.pages``): ``?cramps=<cursor>`` and
``?days=<cursor>`` page each on its own, ``from``/``to`` filter both. A cursor starts with
``o`` (the page older than that entry) or ``n`` (the page newer than it).

Deleting takes two steps that work without JavaScript: the Delete link opens a page that
asks, and its form posts the delete. That form carries the entry, signed; the page after the
delete offers it back with an Undo button, and posting the same form again (a reload) shows
that page again. Undo adds the entry once, however often it is pressed (``diary/undo.py``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary import pages, undo
from crampwise.diary.dates import DateRange, date_range, parse_day
from crampwise.diary.factors import factors_by_id
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore
from crampwise.errors import InvalidInputError, NotFoundError, field_path
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import text, verified_form

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
"""Entries per list on the page; the export has everything."""
RECENT_CHECKS = 3
TOKEN_FIELD = "entry"
_PURPOSE = "undo-delete"  # inside the signed payload: an interview state is never an entry
DONE = {"edited": "Your change is saved.", "restored": "The entry is back in your diary."}


def page_range(request: Request) -> DateRange:
    """The page's ``?from=&to=`` (blank is open-ended), by the diary's one range rule:
    ``from`` after ``to`` is a 422 page naming ``query.from``."""
    query = request.query_params
    return date_range(
        query.get("from") or None,
        query.get("to") or None,
        start_field=field_path(["query", "from"]),
        end_field=field_path(["query", "to"]),
    )


def _position(request: Request, name: str, kind: Any) -> dict[str, Any]:
    """``?cramps=o<cursor>`` -> the keyset arguments of that list's page."""
    raw = request.query_params.get(name) or ""
    if not raw:
        return {}
    field = field_path(["query", name])
    if raw[0] not in "on":
        pages.read_cursor("", kind, field)  # raises, naming the field
    key = pages.read_cursor(raw[1:], kind, field)
    return {"cursor": key, "direction": "older" if raw[0] == "o" else "newer"}


def _links(request: Request, name: str, page: pages.Page[Any]) -> dict[str, str | None]:
    """The addresses of this list's older and newer pages (the other list stays where it is)."""
    keep = [(k, v) for k, v in request.query_params.multi_items() if k not in (name, "done")]

    def link(cursor: str | None, prefix: str) -> str | None:
        if cursor is None:
            return None
        return "/diary/history?" + urlencode([*keep, (name, prefix + cursor)])

    return {"older": link(page.older, "o"), "newer": link(page.newer, "n")}


def _list_context(request: Request, store: DiaryStore) -> dict[str, Any]:
    period = page_range(request)
    cramps = pages.episodes_page(
        store, period.start, period.end, PAGE_SIZE, **_position(request, "cramps", "e")
    )
    days = pages.days_page(
        store, period.start, period.end, PAGE_SIZE, **_position(request, "days", "d")
    )
    checks = pages.saved_checks(store, RECENT_CHECKS)
    return {
        "period": period,
        "cramps": cramps,
        "cramp_links": _links(request, "cramps", cramps),
        "days": days,
        "day_links": _links(request, "days", days),
        "checks": checks,
        "checks_total": pages.count_checks(store),
        "factors": factors_by_id(),
        "page_size": PAGE_SIZE,
        "done": DONE.get(request.query_params.get("done", "")),
        "undo": None,
        "confirm": None,
    }


@router.get("/diary/history")
async def history(request: Request) -> Response:
    store = app_state(request).store
    context = await run_in_threadpool(lambda: _list_context(request, store()))
    return render(request, "history.html", context)


# ---------------------------------------------------------------- delete, confirmed


def _entry(store: DiaryStore, kind: str, key: str) -> Episode | DayFactors:
    if kind == "episode":
        return store.get_episode(_episode_id(key))
    when = parse_day(key, "day")
    found = store.get_day(when)
    if found is None:
        raise NotFoundError(f"nothing is recorded for {when.isoformat()}")
    return found


def _episode_id(key: str) -> int:
    if not key.isdigit() or not 1 <= int(key) < 2**63:
        raise NotFoundError(f"no episode with id {key}")
    return int(key)


def _confirm_page(request: Request, kind: str, key: str, entry: Episode | DayFactors) -> Response:
    token = app_state(request).signer.dumps({"purpose": _PURPOSE, **undo.as_data(entry)})
    path = "episodes" if kind == "episode" else "days"
    context = {
        "confirm": {"kind": kind, "entry": entry, "action": f"/diary/{path}/{key}/delete"},
        "token": token,
        "token_field": TOKEN_FIELD,
        "factors": factors_by_id(),
        "undo": None,
    }
    return render(request, "history.html", context)


@router.get("/diary/episodes/{key}/delete")
@router.get("/diary/days/{key}/delete")
async def confirm_delete(request: Request, key: str) -> Response:
    kind = "episode" if "/episodes/" in request.url.path else "day"
    store = app_state(request).store
    entry = await run_in_threadpool(lambda: _entry(store(), kind, key))
    return _confirm_page(request, kind, key, entry)


@router.post("/diary/episodes/{key}/delete")
@router.post("/diary/days/{key}/delete")
async def delete_entry(request: Request, key: str) -> Response:
    form = await verified_form(request)
    kind = "episode" if "/episodes/" in request.url.path else "day"
    store = app_state(request).store
    carried = _carried(request, form)
    if text(form, "confirm") != "yes" or carried is None or not _is(carried, kind, key):
        # Not the confirmation form: ask first.
        entry = await run_in_threadpool(lambda: _entry(store(), kind, key))
        return _confirm_page(request, kind, key, entry)

    def delete() -> None:
        try:
            if isinstance(carried, Episode):
                store().delete_episode(_episode_id(key))
            else:
                store().delete_day(parse_day(key, "day"))
        except NotFoundError:
            pass  # deleted already: this is the same form posted again (a reload)

    await run_in_threadpool(delete)
    context = await run_in_threadpool(lambda: _list_context(request, store()))
    context["undo"] = {"entry": carried, "token": text(form, TOKEN_FIELD)}
    context["token_field"] = TOKEN_FIELD
    return render(request, "history.html", context)


def _carried(request: Request, form: FormData) -> Episode | DayFactors | None:
    data = app_state(request).signer.loads(text(form, TOKEN_FIELD))
    if not isinstance(data, dict) or data.get("purpose") != _PURPOSE:
        return None
    return undo.from_data(data)


def _is(entry: Episode | DayFactors, kind: str, key: str) -> bool:
    if isinstance(entry, Episode):
        return kind == "episode" and str(entry.id) == key
    return kind == "day" and entry.day.isoformat() == key


@router.post("/diary/undo")
async def undo_delete(request: Request) -> Response:
    form = await verified_form(request)
    entry = _carried(request, form)
    if entry is None:
        raise InvalidInputError(
            "This entry could not be put back: the form was not made by this diary, or "
            "crampwise's key changed. Nothing was changed."
        )
    store = app_state(request).store
    await run_in_threadpool(lambda: undo.restore(store(), entry))
    where = "episodes" if isinstance(entry, Episode) else "days"
    return RedirectResponse(f"/diary/history?done=restored#{where}", status_code=303)
