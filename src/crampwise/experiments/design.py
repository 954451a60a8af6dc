"""The randomised block design of an N-of-1 experiment.

The experiment is a run of *pairs* of blocks. Within each pair one block is the remedy and
the other the person's usual routine, in an order drawn at random, so that a trend over the
weeks (cramps easing with the season, say) cannot pass for an effect of the remedy. The first
``washout_days`` of every block are not counted: the previous block's routine may still be
acting (carry-over), as the AHRQ user's guide and CENT 2015 advise.

The draw uses ``random.Random(seed)``: the same seed, start and lengths give the same schedule
on any machine, and the seed is recorded with the experiment so it can be reproduced.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal, get_args

from crampwise.errors import FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.experiments.remedies import Remedy

Arm = Literal["remedy", "usual"]
ARMS: tuple[Arm, ...] = get_args(Arm)

PAIRS_MIN, PAIRS_MAX, PAIRS_DEFAULT = 1, 12, 3
BLOCK_DAYS_MAX = 28
SEED_MAX = 2**31 - 1
MIN_COUNTED_DAYS = 2
"""Each block keeps at least two counted days after its washout."""


@dataclass(frozen=True, slots=True)
class ScheduledDay:
    """One calendar day of the schedule."""

    date: date
    arm: Arm
    counted: bool
    """False on the washout days at the start of each block: cramps then are not analysed."""
    pair: int
    """0-based pair number."""
    block: int
    """0-based block number over the whole experiment (pair * 2 + 0 or 1)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "arm": self.arm,
            "counted": self.counted,
            "pair": self.pair,
            "block": self.block,
        }


@dataclass(frozen=True, slots=True)
class Schedule:
    """The whole plan: which routine on which day, and how it was drawn."""

    remedy: str
    start: date
    pairs: int
    block_days: int
    washout_days: int
    seed: int
    days: tuple[ScheduledDay, ...]

    @property
    def end(self) -> date:
        """The last day of the experiment."""
        return self.days[-1].date

    @property
    def order(self) -> tuple[tuple[Arm, Arm], ...]:
        """The arm order of each pair, as drawn."""
        return tuple(
            (self.days[p * 2 * self.block_days].arm, self.days[(p * 2 + 1) * self.block_days].arm)
            for p in range(self.pairs)
        )

    def day(self, when: date) -> ScheduledDay | None:
        """The scheduled day for a date, or None outside the experiment."""
        offset = (when - self.start).days
        if 0 <= offset < len(self.days):
            return self.days[offset]
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON form; :func:`schedule_from_dict` reads it back exactly."""
        return {
            "remedy": self.remedy,
            "start": self.start.isoformat(),
            "pairs": self.pairs,
            "block_days": self.block_days,
            "washout_days": self.washout_days,
            "seed": self.seed,
            "schedule": [d.to_dict() for d in self.days],
        }


def _problems(
    pairs: object, block_days: object, washout_days: object, seed: object
) -> list[FieldProblem]:
    out: list[FieldProblem] = []

    def whole(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    if not whole(pairs) or not PAIRS_MIN <= pairs <= PAIRS_MAX:  # type: ignore[operator]
        out.append(FieldProblem("pairs", f"{pairs!r} is not allowed: a whole number from 1 to 12"))
    if not whole(washout_days) or not 0 <= washout_days < BLOCK_DAYS_MAX:  # type: ignore[operator]
        out.append(
            FieldProblem(
                "washout_days",
                f"{washout_days!r} is not allowed: a whole number from 0 to {BLOCK_DAYS_MAX - 1}",
            )
        )
    elif not whole(block_days) or not (
        washout_days + MIN_COUNTED_DAYS <= block_days <= BLOCK_DAYS_MAX  # type: ignore[operator]
    ):
        low = washout_days + MIN_COUNTED_DAYS  # type: ignore[operator]
        out.append(
            FieldProblem(
                "block_days",
                f"{block_days!r} is not allowed: a whole number from {low} to {BLOCK_DAYS_MAX}"
                f" (the {washout_days}-day washout plus at least {MIN_COUNTED_DAYS} counted days)",
            )
        )
    if not whole(seed) or not 0 <= seed <= SEED_MAX:  # type: ignore[operator]
        out.append(
            FieldProblem("seed", f"{seed!r} is not allowed: a whole number from 0 to {SEED_MAX}")
        )
    return out


def new_seed() -> int:
    """A fresh seed for a new experiment (recorded, so the schedule can be re-drawn)."""
    return random.SystemRandom().randint(0, SEED_MAX)


def design(
    remedy: str,
    *,
    start: date,
    seed: int,
    pairs: int = PAIRS_DEFAULT,
    block_days: int = 7,
    washout_days: int = 2,
) -> Schedule:
    """A randomised block schedule: ``pairs`` pairs of ``block_days``-day blocks.

    Within each pair the remedy block comes first or second with probability 1/2, drawn
    independently per pair from ``random.Random(seed)``. The first ``washout_days`` of every
    block are marked ``counted=False``. Raises InvalidInputError naming each bad field
    (``pairs``, ``block_days``, ``washout_days``, ``seed``).

    Callers with a :class:`~crampwise.experiments.remedies.Remedy` use
    :func:`design_for` to take its block length and washout as defaults.
    """
    problems = _problems(pairs, block_days, washout_days, seed)
    if not isinstance(start, date):
        problems.append(FieldProblem("start", f"{start!r} is not a date (YYYY-MM-DD)"))
    if problems:
        raise InvalidInputError("the experiment design is not valid", problems)
    rng = random.Random(seed)
    days: list[ScheduledDay] = []
    for pair in range(pairs):
        first: Arm = "remedy" if rng.random() < 0.5 else "usual"
        second: Arm = "usual" if first == "remedy" else "remedy"
        for half, arm in enumerate((first, second)):
            block = pair * 2 + half
            for k in range(block_days):
                when = start + timedelta(days=block * block_days + k)
                days.append(ScheduledDay(when, arm, k >= washout_days, pair, block))
    return Schedule(remedy, start, pairs, block_days, washout_days, seed, tuple(days))


def schedule_from_dict(data: Mapping[str, Any]) -> Schedule:
    """Rebuild a Schedule from :meth:`Schedule.to_dict` output.

    The days are re-drawn from the recorded seed and checked against the stored list, so a
    hand-edited or corrupted schedule is refused (InvalidInputError) rather than analysed.
    """
    try:
        start = date.fromisoformat(str(data["start"]))
        remedy = str(data["remedy"])
        params = {k: data[k] for k in ("pairs", "block_days", "washout_days", "seed")}
    except (KeyError, ValueError) as exc:
        raise InvalidInputError(f"the stored schedule is not valid ({exc})") from None
    schedule = design(remedy, start=start, **params)
    stored: Sequence[Mapping[str, Any]] | None = data.get("schedule")
    if stored is not None:
        expected = [d.to_dict() for d in schedule.days]
        # Compare only the keys the caller stored (the contract has date/arm/counted).
        if len(stored) != len(expected) or any(
            {k: e[k] for k in s if k in e} != dict(s) for s, e in zip(stored, expected, strict=True)
        ):
            raise InvalidInputError(
                "the stored schedule does not match its seed",
                [FieldProblem("schedule", "differs from the schedule the seed draws")],
            )
    return schedule


def design_for(
    remedy: Remedy,
    *,
    start: date,
    seed: int,
    pairs: int | None = None,
    block_days: int | None = None,
) -> Schedule:
    """:func:`design` with the remedy's own block length and washout as the defaults."""
    return design(
        remedy.id,
        start=start,
        seed=seed,
        pairs=PAIRS_DEFAULT if pairs is None else pairs,
        block_days=remedy.block_days if block_days is None else block_days,
        washout_days=remedy.washout_days,
    )
