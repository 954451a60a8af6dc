"""Simulated experiments with a known true effect: the calibration test's data, and a demo's.

Cramps per day are Poisson with rate ``base_rate × (rate_ratio on remedy days the remedy was
done) × block effect × day effect``; the block and day effects are Gamma with mean 1 and
shape ``block_shape`` / ``day_shape`` (None = no such effect), which is how cramps cluster in
real diaries; ``trend`` lets the base rate drift over the weeks. Check-ins go missing at
random with ``p_missing``; on remedy days the remedy is skipped with ``p_skip`` (then it has
no effect that day, and the check-in, when given, says so). Pure Python (``random.Random``),
so a seed gives the same experiment everywhere.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from crampwise.experiments.design import Schedule


@dataclass(frozen=True, slots=True)
class Scenario:
    """The truth behind a simulated experiment."""

    rate_ratio: float
    base_rate: float = 0.6
    block_shape: float | None = None
    day_shape: float | None = None
    p_missing: float = 0.0
    p_skip: float = 0.0
    trend: float = 0.0
    """Relative change of the base rate from the first day to the last (-0.5: cramps halve
    over the weeks, as after a bad spell: regression to the mean, or the season)."""

    @property
    def itt_rate_ratio(self) -> float:
        """The ratio the analysis estimates: days count as scheduled, skipped days included."""
        return (1.0 - self.p_skip) * self.rate_ratio + self.p_skip


@dataclass(frozen=True, slots=True)
class SimulatedDiary:
    cramp_dates: tuple[date, ...]
    checkins: dict[date, bool]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0.0:
        return 0
    if mean > 30.0:  # normal approximation; never reached by plausible cramp rates
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _effect(rng: random.Random, shape: float | None) -> float:
    return 1.0 if shape is None else rng.gammavariate(shape, 1.0 / shape)


def simulate(schedule: Schedule, scenario: Scenario, rng: random.Random) -> SimulatedDiary:
    """One diary and its check-ins for ``schedule`` under ``scenario``."""
    cramps: list[date] = []
    checkins: dict[date, bool] = {}
    block_effect: dict[int, float] = {}
    last = max(len(schedule.days) - 1, 1)
    for i, day in enumerate(schedule.days):
        if day.block not in block_effect:
            block_effect[day.block] = _effect(rng, scenario.block_shape)
        done = day.arm == "remedy" and rng.random() >= scenario.p_skip
        drift = 1.0 + scenario.trend * i / last
        rate = (
            scenario.base_rate * drift * block_effect[day.block] * _effect(rng, scenario.day_shape)
        )
        if done:
            rate *= scenario.rate_ratio
        cramps.extend([day.date] * _poisson(rng, rate))
        if rng.random() >= scenario.p_missing:
            checkins[day.date] = done
    return SimulatedDiary(tuple(cramps), checkins)
