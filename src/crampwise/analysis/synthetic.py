"""Synthetic cramp diaries with known (planted) effects, for demos, tests and benchmarks.

Each day gets a value for every factor of the definitions passed in (``factors.yaml``
when the caller loads it): realistic, correlated values for the shipped factors
(``_realistic_values``), and plain uniform ones for any other definition. The day's cramp count is
Poisson with rate ``baseline_per_day`` times the rate ratio of every exposure present that
day (``same_day``) and the day before (``previous_day``). The planted truth is data
(``PLANTED_EFFECTS``), so tests compare the analysis against it:

- low water 2.0 and stretching 0.6: the two effects the recovery test checks;
- caffeine and tight shoes 1.0: the two NULL factors (no effect at all, same day or next);
- small effects, for realism: long exercise 1.3 (and 1.2 the day after), hard exercise
  1.2, long on feet 1.25, alcohol 1.3, mineral-rich foods 0.9, a medicine change 1.5.

About 3% of days have no factor record (a forgotten diary page); cramps still happen.
Episodes are mostly at night in bed, some during or after exercise on exercise days. The
optional worsening doubles the rate over the last four weeks and adds new cramps while
sitting, walking and standing, which the baseline never has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from crampwise.diary.records import NOTHING, DayFactors, Episode, FactorValue

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from crampwise.diary.factors import FactorDefinition


def _same_day() -> dict[str, float]:
    return {
        "low_water": 2.0,
        "stretching": 0.6,
        "caffeine": 1.0,
        "tight_shoes": 1.0,
        "long_exercise": 1.3,
        "hard_exercise": 1.2,
        "long_on_feet": 1.25,
        "alcohol": 1.3,
        "mineral_foods": 0.9,
        "medicine_change": 1.5,
    }


def _previous_day() -> dict[str, float]:
    return {"long_exercise": 1.2}


@dataclass(frozen=True)
class Effects:
    """The planted truth. Rate ratios are keyed by exposure name; missing names mean 1.0."""

    baseline_per_day: float = 1.15
    same_day: dict[str, float] = field(default_factory=_same_day)
    previous_day: dict[str, float] = field(default_factory=_previous_day)
    missing_day_share: float = 0.03
    worsening: bool = False
    worsening_days: int = 28
    worsening_ratio: float = 2.0
    worsening_daytime_share: float = 0.35
    """Share of episodes in the worsening weeks that start sitting, walking or standing."""

    def rate_ratio(self, name: str, lag: int = 0) -> float:
        table = self.same_day if lag == 0 else self.previous_day
        return table.get(name, 1.0)


PLANTED_EFFECTS = Effects()
NULL_FACTORS = ("caffeine", "tight_shoes")
"""Exposures with rate ratio exactly 1.0 on the same day and the day after."""


def _factor_values(
    rng: np.random.Generator,
    plain_rng: np.random.Generator,
    day: date,
    definitions: Sequence[FactorDefinition],
) -> dict[str, FactorValue]:
    """A value for each definition. The realistic values are always drawn, and other
    factors draw from their own stream, so a seed gives the same shipped values whichever
    factors are defined."""
    realistic = _realistic_values(rng, day)
    values: dict[str, FactorValue] = {}
    for d in definitions:
        values[d.id] = realistic[d.id] if d.id in realistic else _plain_value(plain_rng, d)
    return values


def _plain_value(rng: np.random.Generator, d: FactorDefinition) -> FactorValue:
    """A uniform value within what the definition allows (for factors added to the file)."""
    if d.type == "bool":
        return bool(rng.random() < 0.5)
    if d.type == "choice":
        return str(rng.choice(list(d.choices)))
    low = d.minimum if d.minimum is not None else 0.0
    high = d.maximum if d.maximum is not None else low + 10.0
    return round(float(rng.uniform(low, high)), 1)


def _realistic_values(rng: np.random.Generator, day: date) -> dict[str, FactorValue]:
    weekend = day.weekday() >= 5
    minutes = 0.0 if rng.random() < 0.55 else float(round(rng.lognormal(3.7, 0.55)))
    if minutes == 0:
        intensity = "none"
    else:
        intensity = str(rng.choice(["light", "moderate", "hard"], p=[0.35, 0.45, 0.2]))
    drinks = 0 if rng.random() < (0.45 if weekend else 0.65) else 1 + int(rng.poisson(2.2))
    return {
        "water_litres": round(float(min(max(rng.normal(1.8, 0.5), 0.3), 5.0)), 1),
        "exercise_minutes": min(minutes, 300.0),
        "exercise_intensity": intensity,
        "hours_on_feet": float(round(min(max(rng.normal(4.0 if weekend else 5.5, 2.0), 0), 16))),
        "footwear": str(
            rng.choice(
                ["supportive", "everyday", "tight_or_new", "high_heels", "barefoot"],
                p=[0.35, 0.45, 0.12, 0.05, 0.03],
            )
        ),
        "alcohol_units": float(drinks),
        "caffeine_drinks": float(rng.poisson(2.0)),
        "stretching_done": bool(rng.random() < 0.4),
        "mineral_rich_foods": bool(rng.random() < 0.6),
        "medicine_change": bool(rng.random() < 0.01),
    }


def _episode(
    rng: np.random.Generator,
    day: date,
    values: dict[str, FactorValue],
    daytime_new: bool,
    latest: datetime | None,
) -> Episode:
    """One cramp on ``day``; one drawn for later than ``latest`` starts at ``latest``."""
    exercised = isinstance(values.get("exercise_minutes"), float) and bool(
        values["exercise_minutes"]
    )
    if daytime_new:
        activity = str(rng.choice(["sitting", "walking", "standing"], p=[0.4, 0.4, 0.2]))
        clock = time(int(rng.integers(9, 20)), int(rng.integers(0, 60)))
    elif exercised and rng.random() < 0.2:
        activity = "exercising" if rng.random() < 0.3 else "after_exercise"
        clock = time(int(rng.integers(7, 21)), int(rng.integers(0, 60)))
    else:  # a night cramp, in the small hours or late evening of this calendar day
        activity = "in_bed"
        hour = int(rng.choice([0, 1, 2, 3, 4, 5, 22, 23]))
        clock = time(hour, int(rng.integers(0, 60)))
    first = str(rng.choice(["calf", "toes", "foot", "thigh"], p=[0.55, 0.25, 0.15, 0.05]))
    sites = ("toes", "foot") if first == "toes" and rng.random() < 0.3 else (first,)
    helped: bool | None = bool(rng.random() < 0.7)
    started = datetime.combine(day, clock)
    # Drawn in this order so that a seed keeps giving the same diary.
    minutes = round(float(min(max(rng.lognormal(0.7, 0.6), 0.25), 12.0)) * 4) / 4
    severity = int(min(max(round(rng.normal(5.0, 1.6)), 1), 9))
    side = str(rng.choice(["left", "right", "both"], p=[0.45, 0.45, 0.1]))
    action = str(rng.choice(["stretched", "massaged", "walked", NOTHING]))
    if action == NOTHING:
        helped = None  # nothing was done, so nothing helped or failed to
    return Episode(
        started_at=min(started, latest) if latest is not None else started,
        duration_minutes=minutes,
        sites=sites,
        severity=severity,
        side=side,
        activity=activity,
        actions=(action,),
        helped=helped,
    )


def generate_diary(
    seed: int,
    days: int,
    end: date | None = None,
    effects: Effects | None = None,
    *,
    factors: Sequence[FactorDefinition],
) -> tuple[list[DayFactors], list[Episode]]:
    """A diary of ``days`` days ending on ``end`` (default yesterday, so every cramp is in
    the past), recording the ``factors`` given (``load_factors()``, loaded by the caller).
    The same seed gives the same values; only the dates move with ``end``. When ``end`` is
    today, cramps drawn for later today are moved back to a minute ago."""
    import numpy as np

    if days < 1:
        raise ValueError("days must be at least 1")
    effects = effects or PLANTED_EFFECTS
    end = end or date.today() - timedelta(days=1)
    # The store rejects cramps in the future; only a diary ending today can produce them.
    latest = datetime.now() - timedelta(minutes=1) if end >= date.today() else None
    rng = np.random.default_rng(seed)
    plain_rng = np.random.default_rng([seed, 1])
    definitions = tuple(factors)
    first = end - timedelta(days=days - 1)

    records: list[DayFactors] = []
    episodes: list[Episode] = []
    previous: dict[str, bool] = {}
    for i in range(days):
        day = first + timedelta(days=i)
        values = _factor_values(rng, plain_rng, day, definitions)
        exposed = {d.exposure.name: bool(d.exposure.exposed(values.get(d.id))) for d in definitions}
        rate = effects.baseline_per_day
        for name, flag in exposed.items():
            if flag:
                rate *= effects.rate_ratio(name, 0)
            if previous.get(name):
                rate *= effects.rate_ratio(name, 1)
        worsening_now = effects.worsening and i >= days - effects.worsening_days
        if worsening_now:
            rate *= effects.worsening_ratio
        previous = exposed
        if rng.random() >= effects.missing_day_share:
            records.append(DayFactors(day=day, values=values))
        for _ in range(int(rng.poisson(rate))):
            daytime_new = worsening_now and rng.random() < effects.worsening_daytime_share
            episodes.append(_episode(rng, day, values, daytime_new, latest))
    episodes.sort(key=lambda e: e.started_at)
    return records, episodes
