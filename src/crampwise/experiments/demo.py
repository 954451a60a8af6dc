"""A finished example experiment for ``crampwise demo``, woven into the demo diary.

The demo diary plants a stretching effect (a rate ratio of 0.6 on days with
``stretching_done``; ``crampwise.analysis.synthetic``). The example tests exactly that remedy,
calf stretches before bed, in 3 pairs of 7-day blocks that end a week before the diary does,
and makes the diary agree with it: remedy days record stretching and usual days do not, and
the cramps of each day whose stretching changed are thinned (or added) by the planted ratio,
so the diary's own insights and the experiment tell one story. Check-ins follow the plan on
most days, with a few missed or slipped, as real ones do. The same seed gives the same
experiment; only the dates move with the diary.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from crampwise.diary.records import DayFactors, Episode
from crampwise.experiments.design import SEED_MAX, design
from crampwise.experiments.store import CheckIn, Experiment

REMEDY = "calf_stretch_bedtime"
FACTOR = "stretching_done"
PAIRS, BLOCK_DAYS, WASHOUT_DAYS = 3, 7, 2
DAYS_AFTER = 7
"""The experiment ends this many days before the diary's last day: it is finished."""
STRETCH_RATIO = 0.6
"""The demo diary's planted rate ratio for stretching (``synthetic.PLANTED_EFFECTS``)."""
FOLLOWED, MISSED = 0.88, 0.08
"""Share of days checked in as planned, and of days without a check-in (the rest slipped)."""


def demo_experiment(
    days: Sequence[DayFactors], episodes: Sequence[Episode], seed: int
) -> tuple[list[DayFactors], list[Episode], list[Experiment]]:
    """The diary (changed to agree with the experiment) and the example experiment.

    A diary shorter than the experiment plus a week gets no experiment and is returned as
    it is. Nothing is written: the caller adds the experiment to its import plan.
    """
    if not days:
        return list(days), list(episodes), []
    last = max(d.day for d in days)
    length = PAIRS * 2 * BLOCK_DAYS
    start = last - timedelta(days=DAYS_AFTER + length - 1)
    if start < min(d.day for d in days):
        return list(days), list(episodes), []
    schedule = design(
        REMEDY,
        start=start,
        seed=seed % (SEED_MAX + 1),
        pairs=PAIRS,
        block_days=BLOCK_DAYS,
        washout_days=WASHOUT_DAYS,
    )
    rng = random.Random(f"crampwise-demo-experiment-{seed}")
    stretched = {d.date: d.arm == "remedy" for d in schedule.days}
    was = {d.day: d.values.get(FACTOR) is True for d in days}
    new_days = [_with_stretching(d, stretched) for d in days]
    new_episodes = _rethin(episodes, stretched, was, rng)
    checkins = []
    for d in schedule.days:
        draw = rng.random()
        if draw < MISSED:
            continue
        done = stretched[d.date] if draw < MISSED + FOLLOWED else not stretched[d.date]
        checkins.append(CheckIn(d.date, done, datetime.combine(d.date, time(21, 30))))
    created = datetime.combine(start - timedelta(days=1), time(20, 0))
    return new_days, new_episodes, [Experiment(schedule, created, None, None, tuple(checkins))]


def _with_stretching(d: DayFactors, stretched: dict[date, bool]) -> DayFactors:
    if d.day not in stretched:
        return d
    return replace(d, values={**d.values, FACTOR: stretched[d.day]})


def _rethin(
    episodes: Sequence[Episode],
    stretched: dict[date, bool],
    was: dict[date, bool],
    rng: random.Random,
) -> list[Episode]:
    """Each day whose stretching changed gets cramps at the rate its new value plants."""
    out: list[Episode] = []
    for ep in sorted(episodes, key=lambda e: e.started_at):
        day = ep.started_at.date()
        now, before = stretched.get(day), was.get(day, False)
        if now is None or now == before:
            out.append(ep)
        elif now:  # stretching added: keep each cramp with the planted ratio
            if rng.random() < STRETCH_RATIO:
                out.append(ep)
        else:  # stretching taken away: 1/0.6 as many, so some cramps come twice
            out.append(ep)
            if rng.random() < 1 / STRETCH_RATIO - 1:
                later = min(ep.started_at + timedelta(minutes=47), _end_of(day))
                out.append(replace(ep, started_at=later, id=None))
    return out


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59))


__all__ = ["REMEDY", "demo_experiment"]
