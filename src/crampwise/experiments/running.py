"""Running experiments: start, check in, stop, and read status and result from the diary.

The one place the CLI, the JSON API and the web pages share: each front end parses its
input, calls one function here and renders what comes back. The dates come in as
arguments (``today``, ``now``) so every rule can be tested against a fixed calendar.

Rules, in the words of the README:

- one experiment at a time: a new one is refused while another is planned or running;
- an experiment starts today or later (the order is drawn before the days it governs) and at
  most ``MAX_DAYS_AHEAD`` days ahead;
- a remedy the latest saved check rules out is refused, with the reasons; quinine never;
- a check-in is for a day of the schedule, not in the future and not after the experiment
  was stopped; a second check-in for the same day replaces the first (the latest wins);
- stopping ends the experiment with that day as its last; the result then covers the days
  up to it, and says the experiment was stopped early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError
from crampwise.experiments.design import design_for, new_seed
from crampwise.experiments.remedies import Remedy, eligible, load_remedy_file
from crampwise.experiments.store import CheckIn, Experiment, ExperimentStore

if TYPE_CHECKING:
    from crampwise.diary.store import DiaryStore
    from crampwise.experiments.analysis import ExperimentResult

MAX_DAYS_AHEAD = 60


class ExperimentConflictError(InvalidInputError):
    """Another experiment is still planned or running: one at a time keeps each fair."""


# ---------------------------------------------------------------- remedies


def remedy(remedy_id: str, field: str = "remedy") -> Remedy:
    """The remedy with this id; InvalidInputError naming ``field`` (and for a treatment
    crampwise never sets up as a self-test, such as quinine, saying why)."""
    data = load_remedy_file()
    found = data.remedies.get(remedy_id)
    if found is not None:
        return found
    excluded = data.excluded.get(remedy_id)
    if excluded is not None:
        raise InvalidInputError(
            f"{excluded.name} cannot be tested as a self-experiment",
            [FieldProblem(field, " ".join(excluded.reason.split()))],
        )
    raise InvalidInputError(
        f"there is no remedy {remedy_id!r}",
        [FieldProblem(field, f"unknown remedy; one of: {', '.join(data.remedies)}")],
    )


def latest_case(diary: DiaryStore) -> dict[str, Any] | None:
    """The case of the newest saved check, or None when there is none."""
    saved = diary.list_assessments()
    return saved[-1].case if saved else None


def reasons_against(diary: DiaryStore, chosen: Remedy) -> list[str]:
    """Why this person should not try ``chosen`` (from their latest saved check); [] = may."""
    return eligible(chosen, latest_case(diary))


# ---------------------------------------------------------------- start, check in, stop


def start(
    diary: DiaryStore,
    remedy_id: str,
    *,
    today: date,
    now: datetime,
    pairs: int | None = None,
    block_days: int | None = None,
    start_on: date | None = None,
    seed: int | None = None,
) -> Experiment:
    """Draw and store a new experiment; a missing ``seed`` is drawn and recorded."""
    chosen = remedy(remedy_id)
    reasons = reasons_against(diary, chosen)
    if reasons:
        raise InvalidInputError(
            f"{chosen.name} is not for you to test right now (from your latest saved check)",
            [FieldProblem("remedy", r) for r in reasons],
        )
    first = start_on or today
    if first < today:
        raise InvalidInputError(
            "the experiment cannot start in the past",
            [FieldProblem("start", f"{first.isoformat()} is before today; start today or later")],
        )
    if first > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInputError(
            "the experiment starts too far ahead",
            [FieldProblem("start", f"must be within {MAX_DAYS_AHEAD} days from today")],
        )
    schedule = design_for(
        chosen,
        start=first,
        seed=new_seed() if seed is None else seed,
        pairs=pairs,
        block_days=block_days,
    )
    return ExperimentStore(diary).add_if_none_open(
        Experiment(schedule, now.replace(microsecond=0)), today, _conflict
    )


def _conflict(open_one: Experiment, today: date) -> ExperimentConflictError:
    state = "runs" if open_one.status(today) == "running" else "is planned"
    return ExperimentConflictError(
        "another experiment is not finished",
        [
            FieldProblem(
                "remedy",
                f"experiment {open_one.id} ({open_one.remedy}) {state} until "
                f"{open_one.end_date.isoformat()}; stop it first (crampwise experiment stop)",
            )
        ],
    )


def find(diary: DiaryStore, experiment_id: int | None, today: date) -> Experiment:
    """The experiment with this id; without one, the planned or running one, else the
    newest. NotFoundError when there is none."""
    repo = ExperimentStore(diary)
    if experiment_id is not None:
        return repo.get(experiment_id)
    found = repo.open_experiment(today) or repo.latest()
    if found is None:
        raise NotFoundError(
            "no experiment yet: start one with crampwise experiment start --remedy ID"
        )
    return found


def check_in(
    diary: DiaryStore,
    done: bool,
    *,
    today: date,
    now: datetime,
    day: date | None = None,
    experiment_id: int | None = None,
) -> tuple[Experiment, CheckIn]:
    """Record "did you do it today?" for ``day`` (default today). Without an id, the
    experiment whose schedule holds the day. The latest answer for a day wins."""
    when = day or today
    if when > today:
        raise InvalidInputError(
            "cannot check in for a day that has not come yet",
            [FieldProblem("date", f"{when.isoformat()} is in the future")],
        )
    repo = ExperimentStore(diary)
    if experiment_id is not None:
        experiment = repo.get(experiment_id)
    else:
        holding = [e for e in repo.all() if e.day(when) is not None]
        if not holding:
            raise NotFoundError(
                f"no experiment runs on {when.isoformat()}: start one with "
                "crampwise experiment start --remedy ID"
            )
        experiment = holding[-1]
    _check_day(experiment, when)
    assert experiment.id is not None
    checkin = repo.check_in(experiment.id, CheckIn(when, done, now.replace(microsecond=0)))
    return repo.get(experiment.id), checkin


def _check_day(experiment: Experiment, when: date) -> None:
    if experiment.day(when) is None:
        raise InvalidInputError(
            f"{when.isoformat()} is not a day of experiment {experiment.id}",
            [
                FieldProblem(
                    "date",
                    f"the experiment runs from {experiment.start_date.isoformat()} to "
                    f"{experiment.end_date.isoformat()}",
                )
            ],
        )
    if experiment.stopped_on is not None and when > experiment.stopped_on:
        raise InvalidInputError(
            f"experiment {experiment.id} was stopped on {experiment.stopped_on.isoformat()}",
            [FieldProblem("date", "is after the day the experiment was stopped")],
        )


def stop(diary: DiaryStore, *, today: date, experiment_id: int | None = None) -> Experiment:
    """Stop the experiment (default: the planned or running one) today."""
    repo = ExperimentStore(diary)
    if experiment_id is None:
        open_one = repo.open_experiment(today)
        if open_one is None:
            raise NotFoundError("no experiment is running, so there is nothing to stop")
        experiment = open_one
    else:
        experiment = repo.get(experiment_id)
        if not experiment.is_open(today):
            raise InvalidInputError(
                f"experiment {experiment_id} is already {experiment.status(today)}",
                [FieldProblem("id", "only a planned or running experiment can be stopped")],
            )
    assert experiment.id is not None
    return repo.stop(experiment.id, today)


# ---------------------------------------------------------------- reading


def cramp_dates(diary: DiaryStore, experiment: Experiment) -> list[date]:
    """The start date of every cramp in the diary during the experiment (one per cramp)."""
    episodes = diary.list_episodes(experiment.start_date, experiment.end_date)
    return [e.started_at.date() for e in episodes]


def as_of(experiment: Experiment, today: date) -> date:
    """The last day the analysis may count: today, or the day it was stopped."""
    return min(today, experiment.stopped_on) if experiment.stopped_on else today


def result(experiment: Experiment, cramps: list[date], today: date) -> ExperimentResult:
    from crampwise.experiments.analysis import analyse

    checkins = {c.day: c.done for c in experiment.checkins}
    return analyse(experiment.schedule, cramps, checkins, as_of(experiment, today))


def chart(experiment: Experiment, cramps: list[date], today: date) -> str:
    """The SVG of cramps per day by arm, up to ``today`` (or the stop day)."""
    from crampwise.experiments.chart import chart_svg

    until = as_of(experiment, today)
    return chart_svg(experiment.schedule, cramps, until, result(experiment, cramps, today))


@dataclass(frozen=True, slots=True)
class Today:
    """What the plan asks of the person today."""

    day: date
    number: int
    arm: str
    counted: bool
    instruction: str
    checked_in: bool | None


def today_plan(experiment: Experiment, chosen: Remedy, today: date) -> Today | None:
    """Today's instruction, or None when today is not a day of the (unstopped) experiment."""
    scheduled = experiment.day(today)
    if scheduled is None or experiment.status(today) != "running":
        return None
    if scheduled.arm == "remedy":
        instruction = f"Remedy day: {chosen.name.lower()} ({chosen.when_label}). {chosen.how}"
    else:
        instruction = f"Usual day: keep to your usual routine, without {chosen.name.lower()}."
    if not scheduled.counted:
        instruction += " (A washout day: cramps today are not counted, but follow the plan.)"
    found = experiment.checkin_on(today)
    return Today(
        day=today,
        number=(today - experiment.start_date).days + 1,
        arm=scheduled.arm,
        counted=scheduled.counted,
        instruction=instruction,
        checked_in=None if found is None else found.done,
    )


__all__ = [
    "MAX_DAYS_AHEAD",
    "ExperimentConflictError",
    "Today",
    "as_of",
    "chart",
    "check_in",
    "cramp_dates",
    "find",
    "latest_case",
    "reasons_against",
    "remedy",
    "result",
    "start",
    "stop",
    "today_plan",
]
