"""The home page: what crampwise does, start a check, the diary at a glance."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crampwise.web.app import app_state
from crampwise.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    store = app_state(request).store()
    today = date.today()
    recent = store.list_episodes(today - timedelta(days=29), today)
    counts = store.counts()
    context = {
        "counts": counts,
        "last_30_days": len(recent),
        "last_cramp": recent[-1] if recent else None,
    }
    return render(request, "home.html", context)
