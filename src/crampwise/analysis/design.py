"""The day-level table: cramps per calendar day, and each factor's exposure that day and the
day before.

A day with no factor record has every exposure missing (NaN), never "not exposed": a blank
diary page says nothing about water or exercise. Cramp counts, by contrast, are 0 on days
with no episode, because episodes are logged as they happen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from crampwise.diary.records import DayFactors, Episode

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from crampwise.diary.factors import FactorDefinition

LAGS = (0, 1)
"""0 = the same day, 1 = the day before."""


@dataclass(frozen=True, slots=True)
class ExposureColumn:
    name: str
    """The exposure name from factors.yaml, e.g. ``low_water``."""
    label: str
    lag: int
    values: NDArray[np.float64]
    """1.0 exposed, 0.0 not exposed, NaN not recorded; one entry per day of the table."""

    @property
    def key(self) -> str:
        return self.name if self.lag == 0 else f"{self.name}_previous_day"


@dataclass(frozen=True, slots=True)
class DayTable:
    days: tuple[date, ...]
    counts: NDArray[np.float64]
    columns: tuple[ExposureColumn, ...]
    recorded: NDArray[np.bool_]
    """True on days that have a factor record."""

    @property
    def n_days(self) -> int:
        return len(self.days)

    def time_basis(self, knot_every: int = 182) -> NDArray[np.float64]:
        """Piecewise-linear time in years, with a bend every ``knot_every`` days.

        Adjusting for slow drift stops a season or a gradual worsening from being credited
        to a factor that happens to change over the same months.
        """
        import numpy as np

        t = np.arange(self.n_days, dtype=float)
        cols = [t / 365.25]
        for knot in range(knot_every, self.n_days - knot_every // 2, knot_every):
            cols.append(np.maximum(t - knot, 0.0) / 365.25)
        return np.column_stack(cols)


def daily_counts(episodes: Sequence[Episode], first: date, n_days: int) -> NDArray[np.float64]:
    import numpy as np

    counts = np.zeros(n_days)
    for day, n in Counter(e.day for e in episodes).items():
        i = (day - first).days
        if 0 <= i < n_days:
            counts[i] = n
    return counts


def build_day_table(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    *,
    factors: Sequence[FactorDefinition],
    start: date | None = None,
    end: date | None = None,
) -> DayTable | None:
    """The table over every calendar day from ``start`` to ``end`` (by default the first and
    last day with any record), with two exposure columns (same day, day before) for each
    of ``factors`` (``crampwise.diary.factors.load_factors()``, loaded by the caller).
    None when there is nothing to analyse."""
    import numpy as np

    dates = [e.day for e in episodes] + [d.day for d in days]
    if not dates and (start is None or end is None):
        return None
    first = start or min(dates)
    last = end or max(dates)
    if last < first:
        return None
    n = (last - first).days + 1
    span = tuple(first + timedelta(days=i) for i in range(n))
    by_day = {d.day: d for d in days if first <= d.day <= last}
    recorded = np.array([day in by_day for day in span], dtype=bool)
    # The day before the table starts may still be on record (a --from filter).
    day_before = first - timedelta(days=1)
    before = next((d for d in days if d.day == day_before), None)

    columns: list[ExposureColumn] = []
    for definition in factors:
        exposure = definition.exposure
        same = np.full(n, np.nan)
        for i, day in enumerate(span):
            record = by_day.get(day)
            if record is None:
                continue
            flag = exposure.exposed(record.values.get(definition.id))
            if flag is not None:
                same[i] = 1.0 if flag else 0.0
        previous = np.concatenate(([np.nan], same[:-1]))
        if before is not None:
            flag = exposure.exposed(before.values.get(definition.id))
            if flag is not None:
                previous[0] = 1.0 if flag else 0.0
        columns.append(ExposureColumn(exposure.name, exposure.label, 0, same))
        columns.append(ExposureColumn(exposure.name, exposure.label, 1, previous))
    return DayTable(
        days=span,
        counts=daily_counts(episodes, first, n),
        columns=tuple(columns),
        recorded=recorded,
    )
