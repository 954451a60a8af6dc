"""Everything the diary says, in one object: summary counts, triggers and trend.

Takes plain records (no database), so the CLI, the web layer and the tests share it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crampwise.analysis.design import DayTable, build_day_table
from crampwise.analysis.trend import Trend, analyse_trend
from crampwise.analysis.triggers import TriggerReport, analyse_triggers
from crampwise.diary.records import DayFactors, Episode

STEPS = 5
"""How many times ``build_insights`` calls ``progress(1)``: size a progress bar with it."""
EMPTY_MESSAGE = (
    "Your diary is empty for this period. Log cramps with the diary and record your days; "
    "insights appear after a few weeks."
)


@dataclass(frozen=True, slots=True)
class Summary:
    start: date
    end: date
    days_covered: int
    days_with_factors: int
    cramps: int
    cramps_per_week: float
    median_severity: float | None
    median_minutes: float | None


@dataclass(frozen=True, slots=True)
class Insights:
    summary: Summary | None
    """None for an empty diary."""
    triggers: TriggerReport | None
    trend: Trend | None
    messages: tuple[str, ...] = ()
    table: DayTable | None = field(default=None, repr=False, compare=False)
    """The day table behind the analysis, kept for charts; not part of ``to_dict``."""

    @property
    def empty(self) -> bool:
        return self.summary is None

    def to_dict(self) -> dict[str, Any]:
        summary: dict[str, Any] | None = None
        if self.summary is not None:
            s = self.summary
            summary = {
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "days_covered": s.days_covered,
                "days_with_factors": s.days_with_factors,
                "cramps": s.cramps,
                "cramps_per_week": s.cramps_per_week,
                "median_severity": s.median_severity,
                "median_minutes": s.median_minutes,
            }
        return {
            "empty": self.empty,
            "summary": summary,
            "triggers": self.triggers.to_dict() if self.triggers else None,
            "trend": self.trend.to_dict() if self.trend else None,
            "messages": list(self.messages),
        }


def build_insights(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    *,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Insights:
    """Summary, triggers and trend up to ``today`` (default: the last day on record)."""
    step = progress or (lambda _n: None)
    if today is not None:
        episodes = [e for e in episodes if e.day <= today]
        days = [d for d in days if d.day <= today]
    table = build_day_table(episodes, days, end=today)
    step(1)
    if table is None or (not episodes and not days):
        step(STEPS - 1)
        return Insights(None, None, None, (EMPTY_MESSAGE,))
    first, last = table.days[0], table.days[-1]
    triggers = analyse_triggers(table, progress=step)  # three steps
    trend = analyse_trend(episodes, today=last, first_day=first)
    step(1)
    cramps = len(episodes)
    summary = Summary(
        start=first,
        end=last,
        days_covered=table.n_days,
        days_with_factors=int(table.recorded.sum()),
        cramps=cramps,
        cramps_per_week=round(7 * cramps / table.n_days, 2),
        median_severity=statistics.median(e.severity for e in episodes) if episodes else None,
        median_minutes=(
            statistics.median(e.duration_minutes for e in episodes) if episodes else None
        ),
    )
    messages = [
        f"{_count(cramps, 'cramp')} over {_count(table.n_days, 'day')} "
        f"({summary.cramps_per_week:.1f} a week); "
        f"daily factors recorded on {summary.days_with_factors} of those days."
    ]
    return Insights(summary, triggers, trend, tuple(messages), table)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
