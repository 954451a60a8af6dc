"""History: cramps newest first, recorded days, saved assessments; delete an entry."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary.dates import DateRange, date_range
from crampwise.diary.factors import factors_by_id
from crampwise.errors import field_path
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import verified_form

router = APIRouter(include_in_schema=False)

SHOWN = 200  # the newest entries; the export has everything


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


@router.get("/diary/history")
def history(request: Request) -> Response:
    period = page_range(request)
    store = app_state(request).store()
    episodes = list(reversed(store.list_episodes(period.start, period.end)))[:SHOWN]
    days = list(reversed(store.list_days(period.start, period.end)))[:SHOWN]
    assessments = list(reversed(store.list_assessments()))[:SHOWN]
    context = {
        "episodes": episodes,
        "days": days,
        "assessments": assessments,
        "factors": factors_by_id(),
        "period": period,
    }
    return render(request, "history.html", context)


@router.post("/diary/episodes/{episode_id}/delete")
async def delete_episode(request: Request, episode_id: int) -> Response:
    await verified_form(request)
    store = app_state(request).store
    await run_in_threadpool(lambda: store().delete_episode(episode_id))
    return RedirectResponse("/diary/history", status_code=303)
