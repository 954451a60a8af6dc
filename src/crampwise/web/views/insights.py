"""Insights: what the diary suggests, with the two charts served as SVG images.

The charts are <img> sources rather than inline SVG: matplotlib writes style attributes,
which the page's Content-Security-Policy (no 'unsafe-inline') would block inline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crampwise.diary.factors import load_factors
from crampwise.errors import NotFoundError
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.history import page_range

if TYPE_CHECKING:
    from crampwise.analysis.design import DayTable
    from crampwise.analysis.insights import Insights

router = APIRouter(include_in_schema=False)
SVG = "image/svg+xml"


def _insights(request: Request) -> Insights:
    from crampwise.analysis.insights import build_insights  # statistics: loaded on demand

    period = page_range(request)
    store = app_state(request).store()
    episodes = store.list_episodes(period.start, period.end)
    days = store.list_days(period.start, period.end)
    return build_insights(episodes, days, factors=load_factors(), today=period.end)


@router.get("/diary/insights")
def insights_page(request: Request) -> Response:
    result = _insights(request)
    period = page_range(request)
    # The charts are their own requests: they get the same range.
    query = urlencode(
        {k: v.isoformat() for k, v in (("from", period.start), ("to", period.end)) if v}
    )
    context = {"i": result, "period": period, "chart_query": f"?{query}" if query else ""}
    return render(request, "insights.html", context)


def _day_table(request: Request) -> DayTable:
    """Only the day table: each chart is its own request, so it computes just what it draws."""
    from crampwise.analysis.design import build_day_table
    from crampwise.analysis.insights import covered_entries

    period = page_range(request)
    store = app_state(request).store()
    # The same period as the page: entries far from the rest of the diary are left out.
    episodes, days, _left_out = covered_entries(
        store.list_episodes(period.start, period.end), store.list_days(period.start, period.end)
    )
    table = build_day_table(episodes, days, factors=load_factors(), end=period.end)
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
