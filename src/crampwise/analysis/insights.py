"""Everything the diary says, in one object: summary counts, triggers and trend.

Takes plain records (no database), so the CLI, the web layer and the tests share it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from crampwise.analysis.design import DayTable, build_day_table
from crampwise.analysis.readout import FactorReadout, factor_readout
from crampwise.analysis.trend import Trend, analyse_trend
from crampwise.analysis.triggers import TriggerReport, analyse_triggers
from crampwise.diary.plausible import covered_period
from crampwise.diary.records import DayFactors, Episode

if TYPE_CHECKING:
    from crampwise.diary.factors import FactorDefinition

STEPS = 5
"""How many times ``build_insights`` calls ``progress(1)``: size a progress bar with it."""
MAX_LISTED = 10
"""Left-out days named in the message; the JSON lists them all."""
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
    left_out: tuple[date, ...] = ()
    """Days with entries left out of the analysis as far from the rest of the diary."""

    @property
    def empty(self) -> bool:
        return self.summary is None

    @property
    def readout(self) -> FactorReadout | None:
        """The factor results in words, as the terminal and the web page show them."""
        return factor_readout(self.triggers) if self.triggers is not None else None

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
            "left_out": [d.isoformat() for d in self.left_out],
        }


def build_insights(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    *,
    factors: Sequence[FactorDefinition],
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Insights:
    """Summary, triggers and trend up to ``today`` (default: the last day on record), for
    the daily ``factors`` given (``load_factors()``, loaded by the caller).

    Only the period the diary covers is analysed (``diary.plausible.covered_period``):
    entries isolated far from the rest, such as one cramp typed with a wrong year, are
    left out and named in the messages instead of stretching the rates over decades.
    """
    step = progress or (lambda _n: None)
    if today is not None:
        episodes = [e for e in episodes if e.day <= today]
        days = [d for d in days if d.day <= today]
    episodes, days, left_out = covered_entries(episodes, days)
    notes = [_left_out_message(left_out)] if left_out else []
    table = build_day_table(episodes, days, factors=factors, end=today)
    step(1)
    if table is None or (not episodes and not days):
        step(STEPS - 1)
        return Insights(None, None, None, (EMPTY_MESSAGE,))
    first, last = table.days[0], table.days[-1]
    triggers = analyse_triggers(table, progress=step)  # three steps
    trend = analyse_trend(episodes, today=last, first_day=first)
    step(1)
    summary = _summary(episodes, table)
    messages = [
        f"{_count(summary.cramps, 'cramp')} over {_count(table.n_days, 'day')} "
        f"({summary.cramps_per_week:.1f} a week); "
        f"daily factors recorded on {summary.days_with_factors} of those days.",
        *notes,
    ]
    return Insights(summary, triggers, trend, tuple(messages), table, left_out)


def covered_entries(
    episodes: Sequence[Episode], days: Sequence[DayFactors]
) -> tuple[Sequence[Episode], Sequence[DayFactors], tuple[date, ...]]:
    """The entries within the period the diary covers, and the days left out."""
    period = covered_period([e.day for e in episodes] + [d.day for d in days])
    if period is None or not period.left_out:
        return episodes, days, ()
    kept_episodes = [e for e in episodes if e.day in period]
    kept_days = [d for d in days if d.day in period]
    return kept_episodes, kept_days, period.left_out


def _summary(episodes: Sequence[Episode], table: DayTable) -> Summary:
    cramps = len(episodes)
    return Summary(
        start=table.days[0],
        end=table.days[-1],
        days_covered=table.n_days,
        days_with_factors=int(table.recorded.sum()),
        cramps=cramps,
        cramps_per_week=round(7 * cramps / table.n_days, 2),
        median_severity=statistics.median(e.severity for e in episodes) if episodes else None,
        median_minutes=(
            statistics.median(e.duration_minutes for e in episodes) if episodes else None
        ),
    )


def _left_out_message(left_out: Sequence[date]) -> str:
    shown = ", ".join(d.isoformat() for d in left_out[:MAX_LISTED])
    more = f" and {len(left_out) - MAX_LISTED} more" if len(left_out) > MAX_LISTED else ""
    return (
        f"Left out entries on {_count(len(left_out), 'day')} far from the rest of the diary "
        f"({shown}{more}): check their year, then edit or delete them."
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
