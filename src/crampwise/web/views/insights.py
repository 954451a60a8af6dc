"""Insights: what the diary suggests, with the two charts served as SVG images.

The charts are <img> sources rather than inline SVG: matplotlib writes style attributes,
which the page's Content-Security-Policy (no 'unsafe-inline') would block inline. Each chart
comes in a wide and a narrow layout (``?layout=narrow``), chosen by a <picture> media query,
so its text is at least 12 CSS px on a phone as on a desktop (see ``charts.Layout``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crampwise.diary.factors import load_factors
from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError, field_path
from crampwise.web.app import app_state
from crampwise.web.insights_cache import app_cache
from crampwise.web.templating import render
from crampwise.web.views.history import page_range

if TYPE_CHECKING:
    from crampwise.analysis.charts import ChartImage, Layout
    from crampwise.analysis.design import DayTable
    from crampwise.analysis.insights import Insights

router = APIRouter(include_in_schema=False)
SVG = "image/svg+xml"


def _insights(request: Request) -> Insights:
    period = page_range(request)
    store = app_state(request).store()

    def compute() -> Insights:
        from crampwise.analysis.insights import build_insights  # statistics: on demand

        episodes = store.list_episodes(period.start, period.end)
        days = store.list_days(period.start, period.end)
        return build_insights(episodes, days, factors=load_factors(), today=period.end)

    # Kept per owner and diary revision (web/insights_cache.py); the page only reads it.
    return app_cache(request.app).get(store, "page", (period.start, period.end), compute)


@router.get("/diary/insights")
def insights_page(request: Request) -> Response:
    result = _insights(request)
    period = page_range(request)
    # The charts are their own requests: they get the same range.
    query = urlencode(
        {k: v.isoformat() for k, v in (("from", period.start), ("to", period.end)) if v}
    )
    context = {"i": result, "period": period, "charts": _charts(result, query)}
    return render(request, "insights.html", context)


def _charts(result: Insights, query: str) -> dict[str, ChartImage]:
    """The page's charts, sized and described without drawing them (no matplotlib here)."""
    from crampwise.analysis.chart_text import cramps_chart_text, effects_chart_text
    from crampwise.analysis.charts import NARROW, WIDE, ChartImage, cramps_size, effects_size

    if result.table is None or result.triggers is None:
        return {}

    def image(path: str, sizes: tuple[tuple[float, float], ...], alt: str) -> ChartImage:
        wide, narrow = ((round(w), round(h)) for w, h in sizes)
        return ChartImage(
            src=f"{path}?{query}" if query else path,
            size=wide,
            narrow_src=f"{path}?{query}&layout=narrow" if query else f"{path}?layout=narrow",
            narrow_size=narrow,
            alt=alt,
        )

    report = result.triggers
    return {
        "cramps": image(
            "/diary/charts/cramps.svg",
            (cramps_size(WIDE), cramps_size(NARROW)),
            cramps_chart_text(result.table).alt,
        ),
        "effects": image(
            "/diary/charts/effects.svg",
            (effects_size(report, WIDE), effects_size(report, NARROW)),
            effects_chart_text(report).alt,
        ),
    }


def _layout(request: Request) -> Layout:
    from crampwise.analysis.charts import LAYOUTS

    name = request.query_params.get("layout") or "wide"
    if name not in LAYOUTS:
        raise InvalidInputError(
            f"there is no chart layout '{name}'",
            [FieldProblem(field_path(["query", "layout"]), f"use one of: {', '.join(LAYOUTS)}")],
        )
    return LAYOUTS[name]


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

    layout = _layout(request)
    svg = cramps_over_time_svg(_day_table(request), layout)
    return Response(svg, media_type=SVG, headers=_NO_STORE)


@router.get("/diary/charts/effects.svg")
def effects_chart(request: Request) -> Response:
    from crampwise.analysis.charts import factor_effects_svg
    from crampwise.analysis.triggers import analyse_triggers

    layout = _layout(request)  # before the analysis: a wrong layout fails fast
    svg = factor_effects_svg(analyse_triggers(_day_table(request)), layout)
    return Response(svg, media_type=SVG, headers=_NO_STORE)


# Health data: never kept in a shared cache.
_NO_STORE = {"cache-control": "no-store"}
