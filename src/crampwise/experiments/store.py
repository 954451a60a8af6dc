"""The experiments repository: experiments and their daily check-ins in the diary database.

It works through ``DiaryStore.connection`` only (one Core connection, one transaction per
call), so experiments live in the same database, the same transaction rules and the same
error handling as the rest of the diary. Records come back as frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, delete, insert, select, text, update

from crampwise.diary.store import DiaryStore
from crampwise.errors import NotFoundError
from crampwise.experiments.design import Schedule, ScheduledDay
from crampwise.storage.experiment_tables import experiment_checkins, experiments
from crampwise.storage.ownership import owner_of

Status = Literal["planned", "running", "finished", "stopped"]


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The answer to "did you do it today?" for one day: ``done`` means the remedy was done
    that day (on a usual day, the plan asks for "no")."""

    day: date
    done: bool
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Experiment:
    """A drawn schedule and what happened to it: check-ins, and the day it was stopped."""

    schedule: Schedule
    created_at: datetime
    stopped_on: date | None = None
    id: int | None = None
    checkins: tuple[CheckIn, ...] = field(default=(), compare=False)

    @property
    def remedy(self) -> str:
        return self.schedule.remedy

    @property
    def start_date(self) -> date:
        return self.schedule.start

    @property
    def end_date(self) -> date:
        return self.schedule.end

    @property
    def last_day(self) -> date:
        """The last day that belongs to the experiment: its end, or the day it was stopped."""
        return min(self.end_date, self.stopped_on) if self.stopped_on else self.end_date

    def status(self, today: date) -> Status:
        if self.stopped_on is not None:
            return "stopped"
        if today < self.start_date:
            return "planned"
        return "running" if today <= self.end_date else "finished"

    def is_open(self, today: date) -> bool:
        """Planned or running: the one experiment a person may have at a time."""
        return self.status(today) in ("planned", "running")

    def day(self, when: date) -> ScheduledDay | None:
        return self.schedule.day(when)

    def checkin_on(self, when: date) -> CheckIn | None:
        return next((c for c in self.checkins if c.day == when), None)


class ExperimentStore:
    """Experiments in the diary's database. Every method is one transaction."""

    def __init__(self, diary: DiaryStore) -> None:
        self.diary = diary

    def add(self, experiment: Experiment) -> Experiment:
        """Store a new experiment and its check-ins (any id it carries is ignored)."""
        with self.diary.connection(write=True) as conn:
            return insert_experiment(conn, experiment)

    def add_if_none_open(
        self,
        experiment: Experiment,
        today: date,
        conflict: Callable[[Experiment, date], Exception],
    ) -> Experiment:
        """Store a new experiment unless another is planned or running (then raise
        ``conflict(that one, today)``): checked and written in one write transaction, so two
        starts at once cannot both succeed."""
        with self.diary.connection(write=True) as conn:
            _lock_experiments(conn)
            open_one = next((e for e in reversed(_load(conn)) if e.is_open(today)), None)
            if open_one is not None:
                raise conflict(open_one, today)
            return insert_experiment(conn, experiment)

    def add_many(self, items: Sequence[Experiment]) -> list[Experiment]:
        """Store several experiments in one transaction (all or none)."""
        with self.diary.connection(write=True) as conn:
            return [insert_experiment(conn, e) for e in items]

    def get(self, experiment_id: int) -> Experiment:
        with self.diary.connection() as conn:
            found = _load(conn, experiments.c.id == experiment_id)
        if not found:
            raise NotFoundError(f"no experiment with id {experiment_id}")
        return found[0]

    def all(self) -> list[Experiment]:
        """Every experiment, oldest first, with its check-ins."""
        with self.diary.connection() as conn:
            return _load(conn)

    def latest(self) -> Experiment | None:
        """The most recently started experiment, or None."""
        found = self.all()
        return found[-1] if found else None

    def open_experiment(self, today: date) -> Experiment | None:
        """The planned or running experiment, if any (at most one is allowed)."""
        return next((e for e in reversed(self.all()) if e.is_open(today)), None)

    def check_in(self, experiment_id: int, checkin: CheckIn) -> CheckIn:
        """Record the day's answer; a second answer for the same day replaces the first."""
        key = (experiment_checkins.c.experiment_id == experiment_id) & (
            experiment_checkins.c.day == checkin.day
        )
        with self.diary.connection(write=True) as conn:
            _require(conn, experiment_id)
            conn.execute(delete(experiment_checkins).where(key))
            conn.execute(
                insert(experiment_checkins),
                [_checkin_columns(experiment_id, checkin)],
            )
        return checkin

    def stop(self, experiment_id: int, on: date) -> Experiment:
        with self.diary.connection(write=True) as conn:
            _require(conn, experiment_id)
            conn.execute(
                update(experiments).where(experiments.c.id == experiment_id).values(stopped_on=on)
            )
        return self.get(experiment_id)

    def delete(self, experiment_id: int) -> None:
        with self.diary.connection(write=True) as conn:
            _require(conn, experiment_id)
            # Explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
            conn.execute(
                delete(experiment_checkins).where(
                    experiment_checkins.c.experiment_id == experiment_id
                )
            )
            conn.execute(delete(experiments).where(experiments.c.id == experiment_id))

    def count(self) -> int:
        with self.diary.connection() as conn:
            return len(conn.execute(select(experiments.c.id)).all())


# ---------------------------------------------------------------- rows <-> records

# pg_advisory_xact_lock(key, owner): any fixed 32-bit number; this one spells "xprm".
_PG_LOCK_KEY = 0x7870726D


def _lock_experiments(conn: Connection) -> None:
    """Serialise "check that none is open, then insert" across processes, per owner (two
    people starting experiments at once never wait for each other). SQLite's write
    transaction already holds the database lock from BEGIN; PostgreSQL needs a lock of its
    own, as two READ COMMITTED transactions would each see no open experiment."""
    owner = owner_of(conn)  # before the lock: an unowned connection is refused here
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:key, :owner)"),
            {"key": _PG_LOCK_KEY, "owner": owner},
        )


def _require(conn: Connection, experiment_id: int) -> None:
    found = conn.execute(select(experiments.c.id).where(experiments.c.id == experiment_id))
    if found.first() is None:
        raise NotFoundError(f"no experiment with id {experiment_id}")


def insert_experiment(conn: Connection, e: Experiment) -> Experiment:
    """Insert ``e`` and its check-ins with the caller's connection (inside its transaction)."""
    plan = e.schedule
    columns = {
        "remedy": plan.remedy,
        "created_at": e.created_at,
        "start_date": plan.start,
        "pairs": plan.pairs,
        "block_days": plan.block_days,
        "washout_days": plan.washout_days,
        "seed": plan.seed,
        "schedule": [_day_columns(d) for d in plan.days],
        "stopped_on": e.stopped_on,
    }
    key = conn.execute(insert(experiments).values(**columns)).inserted_primary_key
    assert key is not None
    new_id = key[0]
    assert isinstance(new_id, int)
    if e.checkins:
        conn.execute(insert(experiment_checkins), [_checkin_columns(new_id, c) for c in e.checkins])
    return _with(e, new_id)


def _with(e: Experiment, new_id: int) -> Experiment:
    checkins = tuple(sorted(e.checkins, key=lambda c: c.day))
    return Experiment(e.schedule, e.created_at, e.stopped_on, new_id, checkins)


def _day_columns(d: ScheduledDay) -> dict[str, Any]:
    return {
        "date": d.date.isoformat(),
        "arm": d.arm,
        "counted": d.counted,
        "pair": d.pair,
        "block": d.block,
    }


def _checkin_columns(experiment_id: int, c: CheckIn) -> dict[str, Any]:
    return {
        "experiment_id": experiment_id,
        "day": c.day,
        "done": c.done,
        "recorded_at": c.recorded_at,
    }


def _load(conn: Connection, where: Any = None) -> list[Experiment]:
    query = select(experiments).order_by(experiments.c.start_date, experiments.c.id)
    if where is not None:
        query = query.where(where)
    rows = conn.execute(query).mappings().all()
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    by_id: dict[int, list[CheckIn]] = {i: [] for i in ids}
    checkins = select(experiment_checkins).where(experiment_checkins.c.experiment_id.in_(ids))
    for c in conn.execute(checkins.order_by(experiment_checkins.c.day)).mappings():
        by_id[c["experiment_id"]].append(CheckIn(c["day"], bool(c["done"]), c["recorded_at"]))
    return [_experiment(row, by_id[row["id"]]) for row in rows]


def _experiment(row: Any, checkins: Iterable[CheckIn]) -> Experiment:
    # The days as they were drawn and stored, not re-drawn: see experiment_tables.
    days = tuple(
        ScheduledDay(
            date.fromisoformat(d["date"]),
            d["arm"],
            bool(d["counted"]),
            int(d["pair"]),
            int(d["block"]),
        )
        for d in row["schedule"]
    )
    schedule = Schedule(
        row["remedy"],
        row["start_date"],
        row["pairs"],
        row["block_days"],
        row["washout_days"],
        int(row["seed"]),
        days,
    )
    return Experiment(schedule, row["created_at"], row["stopped_on"], row["id"], tuple(checkins))


__all__ = ["CheckIn", "Experiment", "ExperimentStore", "Status", "insert_experiment"]
