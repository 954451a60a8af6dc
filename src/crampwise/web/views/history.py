"""History: cramps newest first, recorded days, saved assessments; delete an entry."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary.factors import factors_by_id
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import verified_form

router = APIRouter(include_in_schema=False)

SHOWN = 200  # the newest entries; the export has everything


@router.get("/diary/history")
def history(request: Request) -> Response:
    store = app_state(request).store()
    episodes = list(reversed(store.list_episodes()))[:SHOWN]
    days = list(reversed(store.list_days()))[:SHOWN]
    assessments = list(reversed(store.list_assessments()))[:SHOWN]
    context = {
        "episodes": episodes,
        "days": days,
        "assessments": assessments,
        "factors": factors_by_id(),
    }
    return render(request, "history.html", context)


@router.post("/diary/episodes/{episode_id}/delete")
async def delete_episode(request: Request, episode_id: int) -> Response:
    await verified_form(request)
    store = app_state(request).store
    await run_in_threadpool(lambda: store().delete_episode(episode_id))
    return RedirectResponse("/diary/history", status_code=303)
