"""Analyse an experiment: count cramps per counted day by arm, then the model and the words.

Days are analysed by the arm the schedule gave them (intention to treat): the random order is
what makes the comparison fair, and a day's check-in cannot be verified. Check-ins measure
adherence and are reported beside the result. A cramp counts on the calendar date it started;
cramps on washout days, outside the experiment or after ``today`` are not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crampwise.experiments.design import ARMS, Schedule
from crampwise.experiments.model import (
    PRIOR_RATE,
    PRIOR_SHAPE,
    BlockTotal,
    Dispersion,
    posterior,
)
from crampwise.experiments.verdict import SEEK_CARE, CaveatFacts, Numbers, caveats, decide

PRIOR_TEXT = (
    f"Each routine's cramp rate starts from a weak Gamma prior (shape {PRIOR_SHAPE:g}, rate"
    f" {PRIOR_RATE:g} per day: a mean of {PRIOR_SHAPE / PRIOR_RATE:g} cramps a day, worth about"
    " one day of diary), the same for both routines, so the prior rate ratio is centred on 1."
)


@dataclass(frozen=True, slots=True)
class Tally:
    """What the diary and the check-ins say about the counted days so far."""

    blocks: tuple[BlockTotal, ...]
    cramps: dict[str, int]
    days: dict[str, int]
    remedy_done: int
    remedy_not_done: int
    remedy_missing: int
    usual_done: int
    planned_days: int
    stopped_early: bool


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def tally(
    schedule: Schedule,
    cramp_dates: Iterable[date | datetime],
    checkins: Mapping[date, bool],
    today: date,
) -> Tally:
    """Count counted days, cramps and check-ins per arm and block, up to and including today."""
    per_day = Counter(_as_date(d) for d in cramp_dates)
    blocks: dict[int, list[int]] = {}
    arm_of: dict[int, str] = {}
    done = not_done = missing = usual_done = 0
    for day in schedule.days:
        arm_of[day.block] = day.arm
        totals = blocks.setdefault(day.block, [0, 0])
        if not day.counted or day.date > today:
            continue
        totals[0] += 1
        totals[1] += per_day.get(day.date, 0)
        answer = checkins.get(day.date)
        if day.arm == "remedy":
            if answer is True:
                done += 1
            elif answer is False:
                not_done += 1
            else:
                missing += 1
        elif answer is True:
            usual_done += 1
    totals_by_block = tuple(
        BlockTotal(block, arm_of[block], d, c) for block, (d, c) in sorted(blocks.items())
    )
    return Tally(
        blocks=totals_by_block,
        cramps={a: sum(b.cramps for b in totals_by_block if b.arm == a) for a in ARMS},
        days={a: sum(b.days for b in totals_by_block if b.arm == a) for a in ARMS},
        remedy_done=done,
        remedy_not_done=not_done,
        remedy_missing=missing,
        usual_done=usual_done,
        planned_days=sum(1 for d in schedule.days if d.counted),
        stopped_early=today < schedule.end,
    )


@dataclass(frozen=True)
class ExperimentResult:
    """The analysis of one experiment so far. ``to_dict`` is the JSON the CLI and API give."""

    remedy: str
    today: date
    rate_ratio: float | None
    """Posterior median of remedy rate ÷ usual rate; None until both arms have counted days."""
    interval: tuple[float, float] | None
    p_benefit: float | None
    p_benefit_20: float | None
    cramps: dict[str, int]
    days: dict[str, int]
    adherence: float | None
    """Share of the remedy's counted days so far checked in as done (no check-in = not done)."""
    checkins: dict[str, int]
    dispersion: Dispersion | None
    verdict_id: str
    verdict: str
    caveats: list[str]
    complete: bool
    planned_days: int
    prior: str = PRIOR_TEXT
    seek_care: str = SEEK_CARE

    def to_dict(self) -> dict[str, Any]:
        def r4(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "remedy": self.remedy,
            "as_of": self.today.isoformat(),
            "rate_ratio": r4(self.rate_ratio),
            "interval": None if self.interval is None else [r4(x) for x in self.interval],
            "p_benefit": r4(self.p_benefit),
            "p_benefit_20": r4(self.p_benefit_20),
            "cramps": dict(self.cramps),
            "days": dict(self.days),
            "rates": {
                a: (round(self.cramps[a] / self.days[a], 4) if self.days[a] else None) for a in ARMS
            },
            "adherence": r4(self.adherence),
            "checkins": dict(self.checkins),
            "dispersion": None if self.dispersion is None else self.dispersion.to_dict(),
            "verdict": self.verdict,
            "verdict_id": self.verdict_id,
            "caveats": list(self.caveats),
            "complete": self.complete,
            "planned_days": self.planned_days,
            "prior": self.prior,
            "seek_care": self.seek_care,
        }


def analyse(
    schedule: Schedule,
    cramp_dates: Iterable[date | datetime],
    checkins: Mapping[date, bool],
    today: date,
) -> ExperimentResult:
    """The result of ``schedule`` with the diary's cramps and the daily check-ins, as of today.

    ``cramp_dates`` holds one entry per cramp: its start date (or start datetime; the date is
    used). ``checkins`` maps a date to the answer to "did you do it today?" (absent = no
    check-in). Works at any point: before the start, part-way (stopped early) or after the end.
    Deterministic: the same input always gives the same numbers.
    """
    t = tally(schedule, cramp_dates, checkins, today)
    enough = min(t.days.values()) > 0
    post = posterior(t.blocks) if enough else None
    numbers = Numbers(
        rate_ratio=post.rate_ratio if post else 1.0,
        lower=post.lower if post else 0.0,
        upper=post.upper if post else float("inf"),
        p_benefit=post.p_benefit if post else 0.5,
        p_benefit_20=post.p_benefit_20 if post else 0.5,
        days_remedy=t.days["remedy"],
        days_usual=t.days["usual"],
    )
    verdict_id, words = decide(numbers)
    counted = sum(t.days.values())
    facts = CaveatFacts(
        counted_days=counted,
        cramps=sum(t.cramps.values()),
        washout_days=schedule.washout_days,
        remedy_days=t.days["remedy"],
        remedy_done=t.remedy_done,
        remedy_missing=t.remedy_missing,
        usual_done=t.usual_done,
        planned_days=t.planned_days,
        stopped_early=t.stopped_early,
        phi_median=post.dispersion.phi_median if post else 1.0,
        dispersion_checked=post.dispersion.checked if post else True,
    )
    return ExperimentResult(
        remedy=schedule.remedy,
        today=today,
        rate_ratio=post.rate_ratio if post else None,
        interval=(post.lower, post.upper) if post else None,
        p_benefit=post.p_benefit if post else None,
        p_benefit_20=post.p_benefit_20 if post else None,
        cramps=t.cramps,
        days=t.days,
        adherence=(t.remedy_done / t.days["remedy"]) if t.days["remedy"] else None,
        checkins={
            "remedy_done": t.remedy_done,
            "remedy_not_done": t.remedy_not_done,
            "remedy_missing": t.remedy_missing,
            "usual_done": t.usual_done,
        },
        dispersion=post.dispersion if post else None,
        verdict_id=verdict_id,
        verdict=words,
        caveats=caveats(facts) if counted else [],
        complete=not t.stopped_early,
        planned_days=t.planned_days,
    )
