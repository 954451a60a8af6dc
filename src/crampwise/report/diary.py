"""The report's diary section: how often, how bad, where, the trend and the factor links.

Everything comes from the analysis the insights page uses (``build_insights``, the trend's
rate comparison, the factor readout's caveat); this module only words it for a clinician
and adds the counts by site. The chart is the same SVG as on the insights page, carried as
a data URI: it stays vector in the PDF, and the web page's Content-Security-Policy allows
``data:`` images where it would block an inline SVG's style attributes.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from crampwise.analysis.charts import ChartImage
from crampwise.diary.records import SITES, DayFactors, Episode

if TYPE_CHECKING:
    from crampwise.analysis.insights import Insights, Summary
    from crampwise.analysis.trend import RateComparison
    from crampwise.diary.factors import FactorDefinition


@dataclass(frozen=True, slots=True)
class SiteCount:
    site: str
    cramps: int
    percent: int
    """Share of cramps that involved this site (a cramp may involve several)."""


@dataclass(frozen=True, slots=True)
class Estimate:
    rate_ratio: float
    ci_low: float | None
    ci_high: float | None
    clear: bool
    """A clear association after Holm's correction."""


@dataclass(frozen=True, slots=True)
class Association:
    """One daily factor: its rate ratio on the same day and on the day after."""

    factor: str
    same_day: Estimate | None
    day_before: Estimate | None
    """The factor recorded the day before the cramps."""

    @property
    def clear(self) -> bool:
        return any(e is not None and e.clear for e in (self.same_day, self.day_before))


@dataclass(frozen=True, slots=True)
class TrendLine:
    direction: str
    """"worse", "better" or "no clear change"."""
    recent_per_week: float
    before_per_week: float
    before_weeks: int
    rate_ratio: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class DiarySection:
    summary: Summary
    severity_range: tuple[int, int] | None
    minutes_range: tuple[float, float] | None
    sites: tuple[SiteCount, ...]
    trend: TrendLine | None
    trend_notes: tuple[str, ...]
    """New kinds of cramp (at rest, on walking), or why there is no trend yet."""
    associations: tuple[Association, ...]
    not_estimated: int
    """Factor links with too few days to estimate."""
    method: str
    caveat: str
    chart: ChartImage
    left_out: tuple[date, ...]


def diary_section(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    *,
    factors: Sequence[FactorDefinition],
    end: date | None,
) -> DiarySection | None:
    """The section for the entries given, analysed up to ``end``; None for an empty diary."""
    from crampwise.analysis.insights import build_insights

    insights = build_insights(episodes, days, factors=factors, today=end)
    s = insights.summary
    if s is None or insights.table is None:
        return None
    shown = [e for e in episodes if s.start <= e.day <= s.end]
    severities = [e.severity for e in shown]
    minutes = [e.duration_minutes for e in shown]
    return DiarySection(
        summary=s,
        severity_range=(min(severities), max(severities)) if severities else None,
        minutes_range=(min(minutes), max(minutes)) if minutes else None,
        sites=_sites(shown),
        trend=_trend_line(insights),
        trend_notes=_trend_notes(insights),
        associations=_associations(insights),
        not_estimated=sum(
            r.status == "not_enough_data"
            for r in (insights.triggers.results if insights.triggers else ())
        ),
        method=insights.triggers.method if insights.triggers else "",
        caveat=insights.readout.caveat if insights.readout else "",
        chart=_chart(insights),
        left_out=insights.left_out,
    )


def _sites(shown: Sequence[Episode]) -> tuple[SiteCount, ...]:
    counts = Counter(site for e in shown for site in e.sites)
    total = len(shown)
    return tuple(
        SiteCount(site, counts[site], round(100 * counts[site] / total))
        for site in SITES  # the vocabulary's order: toes, foot, calf, thigh …
        if counts[site]
    )


def _trend_line(insights: Insights) -> TrendLine | None:
    trend = insights.trend
    if trend is None or trend.comparison is None or trend.direction is None:
        return None
    c: RateComparison = trend.comparison
    words = {"worse": "worse", "better": "better", "same": "no clear change"}
    return TrendLine(
        direction=words[trend.direction],
        recent_per_week=c.recent_per_week,
        before_per_week=c.before_per_week,
        before_weeks=round(c.before_days / 7),
        rate_ratio=c.rate_ratio,
        ci_low=c.ci_low,
        ci_high=c.ci_high,
    )


def _trend_notes(insights: Insights) -> tuple[str, ...]:
    trend = insights.trend
    if trend is None:
        return ()
    # The frequency sentence is replaced by the figures; the others (new kinds of cramp,
    # "not enough history") are kept as the person's own report shows them.
    first = 1 if trend.comparison is not None else 0
    return trend.messages[first:]


def _associations(insights: Insights) -> tuple[Association, ...]:
    """The estimated factors, one row each (same day and day before side by side)."""
    if insights.triggers is None:
        return ()
    rows: dict[str, dict[int, Estimate]] = {}
    labels: dict[str, str] = {}
    for r in insights.triggers.results:
        if r.status == "not_enough_data" or r.rate_ratio is None:
            continue
        clear = r.status == "clear_association"
        rows.setdefault(r.name, {})[r.lag] = Estimate(r.rate_ratio, r.ci_low, r.ci_high, clear)
        labels[r.name] = r.label
    return tuple(Association(labels[name], lags.get(0), lags.get(1)) for name, lags in rows.items())


def _chart(insights: Insights) -> ChartImage:
    from crampwise.analysis.chart_text import cramps_chart_text
    from crampwise.analysis.charts import NARROW, WIDE, cramps_over_time_svg, cramps_size

    table = insights.table
    assert table is not None

    def size(w: float, h: float) -> tuple[int, int]:
        return round(w), round(h)

    return ChartImage(
        src=_data_uri(cramps_over_time_svg(table, WIDE)),
        size=size(*cramps_size(WIDE)),
        narrow_src=_data_uri(cramps_over_time_svg(table, NARROW)),
        narrow_size=size(*cramps_size(NARROW)),
        alt=cramps_chart_text(table).alt,
    )


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
