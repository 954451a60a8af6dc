"""Writing an import inside one transaction, skipping what the diary already holds.

The same entry, for an import:

- an **episode** is the same as one in the diary when every field but its id is equal:
  start time, duration, sites, severity, side, activity, what was done, whether it helped,
  and the note;
- a **saved assessment** is the same when its ``created_at`` and its case are equal;
- a **day** is its date: the file's factors are merged into the ones recorded for that date
  (the file's value wins for a factor both have; the diary's note stays unless the file has
  one). A day whose merge changes nothing is already in the diary;
- an **experiment** is the same when its remedy, start, seed and creation time are equal
  (``crampwise.experiments.transfer``); it comes with its check-ins.

Identical entries inside one file are all kept, less as many as the diary already has, so
an import into a fresh diary is lossless and importing the same file again adds nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, delete, insert, select

from crampwise.diary.records import (
    EPISODE_FIELDS,
    DayFactors,
    Episode,
    FactorValue,
    SavedAssessment,
)
from crampwise.diary.validate import day_problems, episode_problems
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.storage.models import metadata

if TYPE_CHECKING:
    from crampwise.experiments.store import Experiment

KINDS = ("episodes", "days", "assessments", "experiments")
_T = metadata.tables
_CHUNK = 500  # dates per IN (...) list: well under every backend's parameter limit

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What an import wrote, and what it skipped because the diary already had it."""

    episodes: int = 0
    days: int = 0  # new dates and merged ones
    assessments: int = 0
    days_merged: int = 0  # of ``days``: dates already recorded, now with the file's factors
    already: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    experiments: int = 0

    @property
    def skipped(self) -> int:
        return sum(self.already.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "episodes": self.episodes,
            "days": self.days,
            "assessments": self.assessments,
            "days_merged": self.days_merged,
            "experiments": self.experiments,
            "already": dict(self.already),
        }


SAME_EPISODE_FIELDS = tuple(name for name in EPISODE_FIELDS if name != "id")
"""An episode is the same as a stored one when all of these are equal (every field but id)."""


def _same_entry(values: Iterable[object]) -> Hashable:
    # Lists (a JSON column) and tuples (a record) compare alike; 2 == 2.0 already hashes alike.
    return tuple(tuple(v) if isinstance(v, list | tuple) else v for v in values)


def episode_key(ep: Episode) -> Hashable:
    return _same_entry(getattr(ep, name) for name in SAME_EPISODE_FIELDS)


def assessment_key(a: SavedAssessment) -> Hashable:
    return (a.created_at, json.dumps(a.case, sort_keys=True))


def check_entries(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    assessments: Sequence[SavedAssessment],
    assessment_columns: Callable[[SavedAssessment, str], dict[str, Any]],
) -> None:
    """InvalidInputError naming every invalid entry: nothing may be written then."""
    now, today = datetime.now(), date.today()
    problems: list[FieldProblem] = []
    for i, ep in enumerate(episodes):
        problems += episode_problems(ep, prefix=f"episodes[{i}].", now=now)
    for i, d in enumerate(days):
        problems += day_problems(d, prefix=f"days[{i}].", today=today)
    for i, a in enumerate(assessments):
        try:
            assessment_columns(a, f"assessments[{i}].")
        except InvalidInputError as exc:
            problems += exc.problems
    if problems:
        raise InvalidInputError("nothing imported: some entries are invalid", problems)


def write_import(
    s: Connection,
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    assessments: Sequence[SavedAssessment],
    columns: tuple[
        Callable[[Episode], dict[str, Any]], Callable[[SavedAssessment], dict[str, Any]]
    ],
    batch_size: int,
    progress: Progress,
    experiments: Sequence[Experiment] = (),
) -> ImportCounts:
    """Write everything new in ``s`` (the caller's one transaction); returns the counts."""
    episode_columns, assessment_columns = columns
    new_days, merged, same_days = _write_days(s, days, progress)
    new_eps = _missing(episodes, episode_key, _stored_episodes(s, episodes))
    _insert(s, _T["episodes"], [episode_columns(e) for e in new_eps], batch_size, progress)
    new_saved = _missing(assessments, assessment_key, _stored_assessments(s, assessments))
    _insert(
        s, _T["saved_assessments"], [assessment_columns(a) for a in new_saved], batch_size, progress
    )
    new_experiments, same_experiments = _write_experiments(s, experiments)
    progress(len(experiments))
    already = {
        "episodes": len(episodes) - len(new_eps),
        "days": same_days,
        "assessments": len(assessments) - len(new_saved),
        "experiments": same_experiments,
    }
    progress(already["episodes"] + already["assessments"])
    return ImportCounts(
        len(new_eps),
        new_days + merged,
        len(new_saved),
        merged,
        already,
        new_experiments,
    )


def _write_experiments(s: Connection, items: Sequence[Experiment]) -> tuple[int, int]:
    if not items:
        return 0, 0
    from crampwise.experiments.transfer import write_experiments

    return write_experiments(s, items)


def _missing(
    items: Sequence[Any], key: Callable[[Any], Hashable], stored: Counter[Hashable]
) -> list[Any]:
    """The items the diary lacks: each key as often as the file has it beyond the diary."""
    out = []
    for item in items:
        k = key(item)
        if stored[k] > 0:
            stored[k] -= 1
        else:
            out.append(item)
    return out


def _stored_episodes(s: Connection, episodes: Sequence[Episode]) -> Counter[Hashable]:
    if not episodes:
        return Counter()
    t = _T["episodes"]
    starts = [e.started_at for e in episodes]
    rows = s.execute(
        select(*(t.c[name] for name in SAME_EPISODE_FIELDS)).where(
            t.c.started_at.between(min(starts), max(starts))
        )
    )
    return Counter(_same_entry(row) for row in rows)


def _stored_assessments(s: Connection, items: Sequence[SavedAssessment]) -> Counter[Hashable]:
    if not items:
        return Counter()
    t = _T["saved_assessments"]
    times = [a.created_at for a in items]
    rows = s.execute(
        select(t.c.created_at, t.c.case_json).where(t.c.created_at.between(min(times), max(times)))
    )
    return Counter((at, json.dumps(case, sort_keys=True)) for at, case in rows)


# A day as plain data, (factor values, note): rows read back are not rebuilt as checked
# records, so an old row written before a newer rule still merges.
_Day = tuple[dict[str, FactorValue], str | None]


def _write_days(
    s: Connection, days: Sequence[DayFactors], progress: Progress
) -> tuple[int, int, int]:
    """Merge the file's days into the diary by date: (new, merged, unchanged) counts."""
    if not days:
        return 0, 0, 0
    incoming: dict[date, _Day] = {}
    for d in days:  # one date twice in a file: merged in file order, like the diary does
        held = incoming.get(d.day)
        incoming[d.day] = (dict(d.values), d.note) if held is None else _merge(held, d)
    stored = _stored_days(s, min(incoming), max(incoming))
    writes: dict[date, _Day] = {}
    merged = 0
    for day, (values, note) in incoming.items():
        old = stored.get(day)
        if old is None:
            writes[day] = (values, note)
        elif (record := _merge(old, DayFactors(day, values, note))) != old:
            writes[day] = record
            merged += 1
    replaced = [day for day in writes if day in stored]
    for start in range(0, len(replaced), _CHUNK):
        chunk = replaced[start : start + _CHUNK]
        s.execute(delete(_T["day_factor_values"]).where(_T["day_factor_values"].c.day.in_(chunk)))
        s.execute(delete(_T["days"]).where(_T["days"].c.day.in_(chunk)))
    rows = [{"day": day, "note": note} for day, (_values, note) in writes.items()]
    value_rows = [
        {"day": day, "factor_id": k, "value_json": json.dumps(v)}
        for day, (factors, _note) in writes.items()
        for k, v in factors.items()
    ]
    _insert(s, _T["days"], rows, len(rows) or 1, _none)
    _insert(s, _T["day_factor_values"], value_rows, len(value_rows) or 1, _none)
    progress(len(days))
    return len(writes) - merged, merged, len(incoming) - len(writes)


def _merge(old: _Day, new: DayFactors) -> _Day:
    """The file's factors over the recorded ones; the recorded note unless the file has one."""
    return {**old[0], **new.values}, new.note if new.note is not None else old[1]


def _stored_days(s: Connection, first: date, last: date) -> dict[date, _Day]:
    days, values = _T["days"], _T["day_factor_values"]
    by_day: dict[date, dict[str, FactorValue]] = {}
    for day, factor_id, value_json in s.execute(
        select(values.c.day, values.c.factor_id, values.c.value_json).where(
            values.c.day.between(first, last)
        )
    ):
        by_day.setdefault(day, {})[factor_id] = json.loads(value_json)
    query = select(days.c.day, days.c.note).where(days.c.day.between(first, last))
    return {day: (by_day.get(day, {}), note) for day, note in s.execute(query)}


def _insert(
    s: Connection, table: Table, rows: list[dict[str, Any]], batch_size: int, progress: Progress
) -> None:
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        s.execute(insert(table), chunk)
        progress(len(chunk))


def _none(_n: int) -> None:
    return None
