"""Insights: what the diary suggests, with the two charts served as SVG images.

The charts are <img> sources rather than inline SVG: matplotlib writes style attributes,
which the page's Content-Security-Policy (no 'unsafe-inline') would block inline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crampwise.errors import NotFoundError
from crampwise.web.app import app_state
from crampwise.web.templating import render

if TYPE_CHECKING:
    from crampwise.analysis.design import DayTable
    from crampwise.analysis.insights import Insights

router = APIRouter(include_in_schema=False)
SVG = "image/svg+xml"


def _insights(request: Request) -> Insights:
    from crampwise.analysis.insights import build_insights  # statistics: loaded on demand

    store = app_state(request).store()
    return build_insights(store.list_episodes(), store.list_days())


@router.get("/diary/insights")
def insights_page(request: Request) -> Response:
    result = _insights(request)
    return render(request, "insights.html", {"i": result})


def _day_table(request: Request) -> DayTable:
    """Only the day table: each chart is its own request, so it computes just what it draws."""
    from crampwise.analysis.design import build_day_table

    store = app_state(request).store()
    table = build_day_table(store.list_episodes(), store.list_days())
    if table is None:
        raise NotFoundError("there is nothing to chart yet")
    return table


@router.get("/diary/charts/cramps.svg")
def cramps_chart(request: Request) -> Response:
    from crampwise.analysis.charts import cramps_over_time_svg

    svg = cramps_over_time_svg(_day_table(request))
    return Response(svg, media_type=SVG, headers=_NO_STORE)


@router.get("/diary/charts/effects.svg")
def effects_chart(request: Request) -> Response:
    from crampwise.analysis.charts import factor_effects_svg
    from crampwise.analysis.triggers import analyse_triggers

    svg = factor_effects_svg(analyse_triggers(_day_table(request)))
    return Response(svg, media_type=SVG, headers=_NO_STORE)


# Health data: never kept in a shared cache.
_NO_STORE = {"cache-control": "no-store"}
