"""Experiments in the diary's JSON export, and back: every field, the seed and the check-ins.

- :func:`experiment_to_dict` is the export form (the ``experiments`` section);
- :func:`experiment_from_dict` reads it back, checked: a bad record is refused naming each
  field (``experiments[0].schedule[3].arm``), so an import is all or nothing;
- :func:`write_experiments` writes them inside the import's own transaction (a Core
  connection), skipping any the diary already has.

The same experiment, for an import, is one with the same remedy, start, seed and creation
time: it is skipped (and counted), so importing a file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError
from sqlalchemy import Connection, select

from crampwise.errors import FieldProblem, InvalidInputError, field_path
from crampwise.experiments.design import SEED_MAX, Schedule, ScheduledDay
from crampwise.experiments.store import CheckIn, Experiment, insert_experiment
from crampwise.storage.experiment_tables import experiments as experiments_table

SECTION = "experiments"


class _Day(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    date: date
    arm: Literal["remedy", "usual"]
    counted: StrictBool
    pair: StrictInt | None = None
    block: StrictInt | None = None


class _CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    date: date
    done: StrictBool
    recorded_at: datetime


class _ExperimentDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: StrictInt | None = None
    remedy: str = Field(min_length=1, max_length=64)
    created_at: datetime
    start: date
    pairs: StrictInt = Field(ge=1, le=12)
    block_days: StrictInt = Field(ge=1, le=28)
    washout_days: StrictInt = Field(ge=0, le=27)
    seed: StrictInt = Field(ge=0, le=SEED_MAX)
    schedule: list[_Day] = Field(min_length=2)
    stopped_on: date | None = None
    checkins: list[_CheckIn] = Field(default_factory=list)


def experiment_to_dict(e: Experiment) -> dict[str, Any]:
    plan = e.schedule
    return {
        "id": e.id,
        "remedy": plan.remedy,
        "created_at": e.created_at.isoformat(),
        "start": plan.start.isoformat(),
        "pairs": plan.pairs,
        "block_days": plan.block_days,
        "washout_days": plan.washout_days,
        "seed": plan.seed,
        "schedule": [d.to_dict() for d in plan.days],
        "stopped_on": e.stopped_on.isoformat() if e.stopped_on else None,
        "checkins": [
            {"date": c.day.isoformat(), "done": c.done, "recorded_at": c.recorded_at.isoformat()}
            for c in e.checkins
        ],
    }


def experiment_from_dict(raw: object, line: int | None = None, index: int = 0) -> Experiment:
    """A checked Experiment from its export form; InvalidInputError naming every bad field."""
    prefix = f"{SECTION}[{index}]"
    if not isinstance(raw, Mapping):
        raise InvalidInputError(
            "invalid experiment", [FieldProblem(prefix, "must be an object", line)]
        )
    try:
        # JSON mode: dates arrive as text; strict still refuses 1 for true and "3" for 3.
        doc = _ExperimentDoc.model_validate_json(_json(raw))
    except ValidationError as exc:
        problems = [
            FieldProblem(field_path([prefix, *err["loc"]]), _message(err), line)
            for err in exc.errors(include_url=False)
        ]
        raise InvalidInputError("invalid experiment", problems) from None
    problems = [FieldProblem(f"{prefix}.{field}", message, line) for field, message in _rules(doc)]
    if problems:
        raise InvalidInputError("invalid experiment", problems)
    days = tuple(
        ScheduledDay(d.date, d.arm, d.counted, i // doc.block_days // 2, i // doc.block_days)
        for i, d in enumerate(doc.schedule)
    )
    schedule = Schedule(
        doc.remedy, doc.start, doc.pairs, doc.block_days, doc.washout_days, doc.seed, days
    )
    checkins = tuple(CheckIn(c.date, c.done, c.recorded_at) for c in doc.checkins)
    return Experiment(schedule, doc.created_at, doc.stopped_on, None, checkins)


def _json(raw: Mapping[str, Any]) -> str:
    import json

    return json.dumps(raw)


def _message(err: Any) -> str:
    if err["type"] == "missing":
        return "is required"
    if err["type"] == "extra_forbidden":
        return f"unknown field; allowed: {', '.join(_ExperimentDoc.model_fields)}"
    msg = str(err["msg"])
    return msg[:1].lower() + msg[1:]


def _rules(doc: _ExperimentDoc) -> list[tuple[str, str]]:
    """What the types cannot say: the schedule is the design it claims to be."""
    from crampwise.experiments.remedies import load_remedies

    out: list[tuple[str, str]] = []
    known = load_remedies()
    if doc.remedy not in known:
        out.append(("remedy", f"unknown remedy; one of: {', '.join(known)}"))
    if doc.block_days < doc.washout_days + 2:
        out.append(("block_days", "must leave at least 2 counted days after the washout"))
    expected = doc.pairs * 2 * doc.block_days
    if len(doc.schedule) != expected:
        out.append(("schedule", f"must have {expected} days (pairs × 2 × block_days)"))
        return out
    for i, d in enumerate(doc.schedule):
        block, k = divmod(i, doc.block_days)
        where = f"schedule[{i}]"
        if d.date != doc.start + timedelta(days=i):
            out.append((f"{where}.date", "the days must follow each other from start"))
        if d.counted != (k >= doc.washout_days):
            out.append((f"{where}.counted", "must be false on the washout days only"))
        if d.arm != doc.schedule[block * doc.block_days].arm:
            out.append((f"{where}.arm", "must be the same for every day of a block"))
        if (d.pair is not None and d.pair != block // 2) or (
            d.block is not None and d.block != block
        ):
            out.append((where, f"is in block {block} of pair {block // 2}"))
    for pair in range(doc.pairs):
        first = doc.schedule[2 * pair * doc.block_days].arm
        second = doc.schedule[(2 * pair + 1) * doc.block_days].arm
        if first == second:
            out.append(("schedule", f"pair {pair} must have one remedy and one usual block"))
    if not out:
        out += _drawn_by_seed(doc)
    if doc.stopped_on is not None and doc.stopped_on < doc.start - timedelta(days=60):
        out.append(("stopped_on", "is long before the experiment's start"))
    if doc.created_at.tzinfo is not None:
        out.append(("created_at", "must be a local date and time, without a time zone"))
    days = {d.date for d in doc.schedule}
    seen: set[date] = set()
    for i, c in enumerate(doc.checkins):
        if c.date not in days:
            out.append((f"checkins[{i}].date", "is not a day of the schedule"))
        if c.recorded_at.tzinfo is not None:
            out.append((f"checkins[{i}].recorded_at", "must be local, without a time zone"))
        if c.date in seen:
            out.append((f"checkins[{i}].date", "is answered twice"))
        seen.add(c.date)
    return out


def _drawn_by_seed(doc: _ExperimentDoc) -> list[tuple[str, str]]:
    """The order must be the one its seed draws: an edited order is not a randomised one."""
    from crampwise.experiments.design import schedule_from_dict

    stored = {
        "remedy": doc.remedy,
        "start": doc.start.isoformat(),
        "pairs": doc.pairs,
        "block_days": doc.block_days,
        "washout_days": doc.washout_days,
        "seed": doc.seed,
        "schedule": [{"arm": d.arm} for d in doc.schedule],
    }
    try:
        schedule_from_dict(stored)
    except InvalidInputError:
        return [("schedule", "is not the order its seed draws (was it edited?)")]
    return []


def experiment_key(e: Experiment) -> Hashable:
    """What makes two experiments the same one (see the module's docstring)."""
    return (e.remedy, e.start_date, e.schedule.seed, e.created_at)


def write_experiments(conn: Connection, items: Sequence[Experiment]) -> tuple[int, int]:
    """Write the experiments the diary lacks, in the caller's transaction: (written, skipped)."""
    if not items:
        return 0, 0
    t = experiments_table
    stored = {
        (remedy, start, int(seed), created)
        for remedy, start, seed, created in conn.execute(
            select(t.c.remedy, t.c.start_date, t.c.seed, t.c.created_at)
        )
    }
    written = 0
    for e in items:
        key = experiment_key(e)
        if key in stored:
            continue
        insert_experiment(conn, e)
        stored.add(key)  # type: ignore[arg-type]
        written += 1
    return written, len(items) - written


__all__ = [
    "SECTION",
    "experiment_from_dict",
    "experiment_key",
    "experiment_to_dict",
    "write_experiments",
]
