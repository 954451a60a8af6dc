"""Hand-made diaries whose every value is chosen, for exact checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from crampwise.diary.factors import load_factors
from crampwise.diary.records import DayFactors, Episode, FactorValue

FACTORS = load_factors()
"""The shipped factor definitions; the analysis takes them as an argument."""

START = date(2024, 1, 1)
NEUTRAL: dict[str, FactorValue] = {
    "water_litres": 2.0,
    "exercise_minutes": 0.0,
    "exercise_intensity": "none",
    "hours_on_feet": 4.0,
    "footwear": "everyday",
    "alcohol_units": 0.0,
    "caffeine_drinks": 1.0,
    "stretching_done": False,
    "mineral_rich_foods": False,
    "medicine_change": False,
}


def make_days(
    n: int, change: Callable[[int], dict[str, FactorValue]] = lambda _i: {}
) -> list[DayFactors]:
    """``n`` days of neutral values, each updated by ``change(i)``."""
    return [
        DayFactors(day=START + timedelta(days=i), values={**NEUTRAL, **change(i)}) for i in range(n)
    ]


def make_episodes(counts: list[int], activity: str = "in_bed") -> list[Episode]:
    """``counts[i]`` night cramps on day ``i``."""
    out = []
    for i, n in enumerate(counts):
        for k in range(n):
            out.append(
                Episode(
                    started_at=datetime.combine(START + timedelta(days=i), time(2, k)),
                    duration_minutes=2.0,
                    sites=("calf",),
                    severity=5,
                    side="left",
                    activity=activity,
                )
            )
    return out
