"""What the charts say in words, and where their ratio axis is labelled. No matplotlib here:
the insights page builds the charts' alt text from these without drawing anything.

The words state the key numbers (a chart's alt text is all a screen reader user gets of it);
the ticks cover the whole axis shown, ends included, with plain numbers (0.5, 0.75, 1, 1.5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crampwise.analysis.triggers import TriggerReport, TriggerResult, fmt_ratio, subject

if TYPE_CHECKING:
    from datetime import date

    from crampwise.analysis.design import DayTable

CRAMPS_TITLE = "Cramps over time"
EFFECTS_TITLE = "Factors and your cramps (rate ratios)"
NOTHING_YET = "No factor has enough data yet."
PERIOD_DAYS = 28
"""Cramps per week are compared over the first and the last 4 weeks of the chart."""

NICE_RATIOS = (
    *(0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9),
    *(1, 1.25, 1.5, 2, 3, 4, 5, 10, 20, 50, 100),
)
"""Where the ratio axis may start, end or have a labelled tick."""
TICK_PRIORITY = (
    *(1, 2, 0.5, 10, 0.1, 5, 0.2, 100, 0.01, 50, 0.02, 20, 0.05),
    *(3, 1.5, 0.75, 1.25, 0.8, 4, 0.25, 0.9),
)
"""Ticks inside the axis are added in this order while they keep clear of each other."""
EDGE_PAD = 1.04
"""An interval ending just inside a tick still gets a little room before the axis ends."""


@dataclass(frozen=True, slots=True)
class ChartText:
    title: str
    alt: str
    """The key numbers in a few sentences: the page's alt text."""
    desc: str
    """The alt text and, for the factor chart, every number: the SVG's <desc>."""


def ratio_range(lows: Sequence[float], highs: Sequence[float]) -> tuple[float, float]:
    """The axis limits: nice ratios just outside every interval (and outside 0.8 to 1.25, so
    the line at 1 is never at an edge), kept within 0.01 to 100."""
    low = min([*lows, 0.8]) / EDGE_PAD
    high = max([*highs, 1.25]) * EDGE_PAD
    start = max((t for t in NICE_RATIOS if t <= low), default=NICE_RATIOS[0])
    end = min((t for t in NICE_RATIOS if t >= high), default=NICE_RATIOS[-1])
    return float(start), float(end)


def ratio_ticks(start: float, end: float, max_ticks: int) -> tuple[float, ...]:
    """Labelled ticks: ``start``, ``end`` and 1 (the line of no difference) always, then 2,
    0.5 and so on while each stays at least 1/(max_ticks + 0.5) of the axis from the others,
    so that labels do not collide and no stretch of the axis is left unlabelled."""
    if not 0 < start < 1 < end:
        raise ValueError(f"the ratio axis must run across 1, not from {start} to {end}")
    gap = math.log(end / start) / (max_ticks + 0.5)
    chosen = [start, end, 1.0]
    for t in TICK_PRIORITY:
        if start < t < end and all(abs(math.log(t / c)) >= gap for c in chosen):
            chosen.append(float(t))
    return tuple(sorted(chosen))


def factor_label(r: TriggerResult) -> str:
    return f"{r.label}{' (day before)' if r.lag else ''}"


def _estimate(r: TriggerResult) -> str:
    assert r.rate_ratio is not None and r.ci_low is not None and r.ci_high is not None
    return (
        f"{subject(r.label, r.lag)}: {fmt_ratio(r.rate_ratio)} times the cramps "
        f"(95% interval {fmt_ratio(r.ci_low)} to {fmt_ratio(r.ci_high)})"
    )


def effects_chart_text(report: TriggerReport) -> ChartText:
    """'Chart of rate ratios ... Clear associations: Low-water days: 1.9 times the cramps
    (95% interval 1.6 to 2.3); ... No clear association for the other 15.'"""
    shown = [r for r in report.results if r.rate_ratio is not None]
    if not shown:
        return ChartText(EFFECTS_TITLE, NOTHING_YET, NOTHING_YET)
    clear = [r for r in shown if r.status == "clear_association"]
    links = "link" if len(shown) == 1 else "links"
    sentences = [
        f"Chart of rate ratios with 95% intervals for {len(shown)} factor {links}, "
        "on a log scale where 1 means no difference."
    ]
    if clear:
        label = "Clear association" if len(clear) == 1 else "Clear associations"
        sentences.append(f"{label}: {'; '.join(_estimate(r) for r in clear)}.")
        others = len(shown) - len(clear)
        if others:
            sentences.append(f"No clear association for the other {others}.")
    else:
        sentences.append("No clear association for any of them.")
    alt = " ".join(sentences)
    every = "; ".join(_estimate(r) for r in shown)
    return ChartText(EFFECTS_TITLE, alt, f"{alt} Every link: {every}.")


def cramps_chart_text(table: DayTable, smooth_days: int | None = None) -> ChartText:
    """'Chart of cramps per day from 2 December 2025 to 1 December 2026: 521 cramps over 365
    days, 10.0 a week on average. Cramps per week went from 9.8 in the first 4 weeks to 7.5
    in the last 4 weeks; the busiest 4 weeks, from 3 March 2026, had 14.0 a week.'"""
    counts = [float(c) for c in table.counts]
    n = len(counts)
    total = round(sum(counts))
    days = "day" if n == 1 else "days"
    cramps = "cramp" if total == 1 else "cramps"
    sentences = [
        f"Chart of cramps per day from {_day(table.days[0])} to {_day(table.days[-1])}: "
        f"{total} {cramps} over {n} {days}, {7 * total / n:.1f} a week on average."
    ]
    window = PERIOD_DAYS if n >= 2 * PERIOD_DAYS else n // 2
    if window >= 7:
        span = "4 weeks" if window == PERIOD_DAYS else f"{window} days"
        first, last = _per_week(counts[:window]), _per_week(counts[-window:])
        change = f"Cramps per week went from {first:.1f} in the first {span} to {last:.1f} in "
        sentences.append(f"{change}the last {span}.")
        if n >= 3 * window:
            sums = [sum(counts[i : i + window]) for i in range(n - window + 1)]
            top = max(range(len(sums)), key=sums.__getitem__)  # the earliest busiest stretch
            sentences[-1] = sentences[-1][:-1] + (
                f"; the busiest {span}, from {_day(table.days[top])}, "
                f"had {_per_week(counts[top : top + window]):.1f} a week."
            )
    alt = " ".join(sentences)
    line = f" The line is a {smooth_days}-day average." if smooth_days else ""
    return ChartText(CRAMPS_TITLE, alt, alt + line)


def _per_week(counts: Sequence[float]) -> float:
    return 7 * sum(counts) / len(counts)


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"
