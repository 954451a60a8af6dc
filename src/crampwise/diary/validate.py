"""Turn untrusted mappings (CLI flags, import files, the web API) into diary records.

Every problem is collected, so one error lists every offending field, each named (and with
its line for import files). Records built in code go through the same checks
(:func:`episode_problems`, :func:`day_problems`) before the store writes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from crampwise.diary.records import ACTIONS, ACTIVITIES, SIDES, SITES, DayFactors, Episode
from crampwise.errors import FieldProblem, InvalidInputError

EPISODE_KEYS = (
    "id",
    "started_at",
    "ended_at",
    "duration_minutes",
    "sites",
    "severity",
    "side",
    "activity",
    "actions",
    "helped",
    "note",
)
DAY_KEYS = ("date", "values", "note")
MAX_MINUTES = 24 * 60  # a "cramp" lasting longer than a day is a typo or another condition
MAX_NOTE = 2000
EARLIEST = datetime(1900, 1, 1)
# A phone clock a little ahead of the computer's must not make "now" look like the future.
CLOCK_SLACK = timedelta(minutes=5)

_MISSING = object()


class _Problems:
    """Collects FieldProblems for one record; field names get the record's prefix."""

    def __init__(self, line: int | None, prefix: str) -> None:
        self.items: list[FieldProblem] = []
        self.line = line
        self.prefix = prefix

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(self.prefix + field, message, self.line))


# ---------------------------------------------------------------- episodes


def episode_from_dict(
    d: object, line: int | None = None, *, prefix: str = "", now: datetime | None = None
) -> Episode:
    """A valid Episode from a mapping, or InvalidInputError naming every bad field."""
    p = _Problems(line, prefix)
    if not isinstance(d, Mapping):
        p.add("episode", f"must be an object with the keys {', '.join(EPISODE_KEYS)}")
        raise InvalidInputError("invalid cramp episode", p.items)
    _unknown_keys(d, EPISODE_KEYS, p)

    started = _datetime(d.get("started_at", _MISSING), "started_at", p, required=True)
    minutes: object = d.get("duration_minutes")
    ended_raw = d.get("ended_at")
    if ended_raw is not None:
        ended = _datetime(ended_raw, "ended_at", p, required=False)
        if minutes is not None:
            p.add("ended_at", "give either duration_minutes or ended_at, not both")
        elif isinstance(started, datetime) and isinstance(ended, datetime):
            if ended < started:
                p.add("ended_at", f"is before started_at ({started.isoformat(sep=' ')})")
            minutes = (ended - started).total_seconds() / 60
    elif minutes is None:
        p.add("duration_minutes", "is required (or give ended_at)")
        minutes = 0.0
    if isinstance(minutes, int) and not isinstance(minutes, bool):
        minutes = float(minutes)
    severity = d.get("severity", _MISSING)
    if severity is _MISSING:
        p.add("severity", "is required: a whole number from 0 (none) to 10 (worst)")
        severity = 0
    if isinstance(severity, float) and severity.is_integer():
        severity = int(severity)
    sites = _string_tuple(d.get("sites", _MISSING), "sites", p)
    actions = _string_tuple(d.get("actions") or (), "actions", p)
    raw_id = d.get("id")
    if raw_id is not None and (
        isinstance(raw_id, bool) or not isinstance(raw_id, int) or raw_id < 1
    ):
        p.add("id", "must be a positive whole number")
        raw_id = None
    note = d.get("note")
    if note == "":
        note = None  # an empty cell and no note are the same thing
    if p.items:
        raise InvalidInputError("invalid cramp episode", p.items)
    ep = Episode(
        started_at=started,  # type: ignore[arg-type]  # checked below
        duration_minutes=minutes,  # type: ignore[arg-type]
        sites=sites,
        severity=severity,
        side=d.get("side"),
        activity=d.get("activity"),
        actions=actions,
        helped=d.get("helped"),
        note=note,
        id=raw_id,
    )
    check_episode(ep, line, prefix=prefix, now=now)
    return ep


def episode_problems(
    ep: Episode, line: int | None = None, *, prefix: str = "", now: datetime | None = None
) -> list[FieldProblem]:
    """Every rule an episode breaks (types included, for records built in code)."""
    p = _Problems(line, prefix)
    if not isinstance(ep.started_at, datetime):
        p.add("started_at", "must be a date and time, e.g. 2026-11-20 23:10")
    else:
        limit = (now or datetime.now()) + CLOCK_SLACK
        if ep.started_at > limit:
            p.add("started_at", "is in the future: a cramp cannot start later than now")
        elif ep.started_at < EARLIEST:
            p.add("started_at", "is before 1900: check the year")
    m = ep.duration_minutes
    if isinstance(m, bool) or not isinstance(m, int | float) or not math.isfinite(m):
        p.add("duration_minutes", f"must be a number of minutes, got {m!r}")
    elif m < 0:
        p.add("duration_minutes", f"cannot be negative, got {m:g}")
    elif m > MAX_MINUTES:
        p.add("duration_minutes", f"must be at most {MAX_MINUTES} (24 hours), got {m:g}")
    s = ep.severity
    if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= 10:
        p.add("severity", f"must be a whole number from 0 (none) to 10 (worst), got {s!r}")
    _members(ep.sites, SITES, "sites", "site", p, required=True)
    _members(ep.actions, ACTIONS, "actions", "action", p, required=False)
    _choice(ep.side, SIDES, "side", p)
    _choice(ep.activity, ACTIVITIES, "activity", p)
    if ep.helped is not None and not isinstance(ep.helped, bool):
        p.add("helped", f"must be true, false or empty, got {ep.helped!r}")
    _note(ep.note, p)
    return p.items


def check_episode(
    ep: Episode, line: int | None = None, *, prefix: str = "", now: datetime | None = None
) -> None:
    problems = episode_problems(ep, line, prefix=prefix, now=now)
    if problems:
        raise InvalidInputError("invalid cramp episode", problems)


def episode_to_dict(ep: Episode) -> dict[str, Any]:
    """JSON-ready: ISO date-times, lists, and the keys episode_from_dict accepts."""
    return {
        "id": ep.id,
        "started_at": ep.started_at.isoformat(),
        "duration_minutes": ep.duration_minutes,
        "sites": list(ep.sites),
        "severity": ep.severity,
        "side": ep.side,
        "activity": ep.activity,
        "actions": list(ep.actions),
        "helped": ep.helped,
        "note": ep.note,
    }


# ---------------------------------------------------------------- days


def day_from_dict(
    d: object, line: int | None = None, *, prefix: str = "", today: date | None = None
) -> DayFactors:
    """A valid DayFactors from ``{"date": ..., "values": {...}, "note": ...}``."""
    p = _Problems(line, prefix)
    if not isinstance(d, Mapping):
        p.add("day", f"must be an object with the keys {', '.join(DAY_KEYS)}")
        raise InvalidInputError("invalid day", p.items)
    _unknown_keys(d, DAY_KEYS, p)
    day = _date(d.get("date", _MISSING), "date", p)
    # Only a missing or null "values" means nothing recorded; false, 0 or "" are mistakes.
    values = d.get("values")
    if values is None:
        values = {}
    if not isinstance(values, Mapping):
        p.add("values", "must be an object mapping factor ids to values")
        values = {}
    note = d.get("note")
    if note == "":
        note = None
    if p.items:
        raise InvalidInputError("invalid day", p.items)
    record = DayFactors(day=day, values=dict(values), note=note)  # type: ignore[arg-type]
    check_day(record, line, prefix=prefix, today=today)
    return record


def day_problems(
    day: DayFactors, line: int | None = None, *, prefix: str = "", today: date | None = None
) -> list[FieldProblem]:
    from crampwise.diary.factors import factors_by_id  # YAML + pydantic: not for `log`

    p = _Problems(line, prefix)
    if isinstance(day.day, datetime) or not isinstance(day.day, date):
        p.add("date", "must be a date, e.g. 2026-11-20")
    elif day.day > (today or date.today()):
        p.add("date", "is in the future: record a day once it has happened")
    elif day.day < EARLIEST.date():
        p.add("date", "is before 1900: check the year")
    definitions = factors_by_id()
    if not isinstance(day.values, Mapping):
        p.add("values", "must map factor ids to values")
    else:
        for factor_id, value in day.values.items():
            definition = definitions.get(factor_id) if isinstance(factor_id, str) else None
            if definition is None:
                p.add(
                    f"values.{factor_id}",
                    f"unknown factor; allowed: {', '.join(sorted(definitions))}",
                )
                continue
            try:
                definition.check(value)
            except ValueError as exc:
                p.add(f"values.{factor_id}", f"{exc}, got {value!r}")
    _note(day.note, p)
    return p.items


def check_day(
    day: DayFactors, line: int | None = None, *, prefix: str = "", today: date | None = None
) -> None:
    problems = day_problems(day, line, prefix=prefix, today=today)
    if problems:
        raise InvalidInputError("invalid day", problems)


def day_to_dict(d: DayFactors) -> dict[str, Any]:
    return {"date": d.day.isoformat(), "values": dict(d.values), "note": d.note}


def parse_factor_text(factor_id: str, text: str) -> object:
    """A factor value typed from text (CLI ``--factor``, CSV cells), per factors.yaml.

    Text that does not parse is returned as is, so validation reports it with the
    allowed values instead of failing here with a vaguer message.
    """
    from crampwise.diary.factors import factors_by_id

    definition = factors_by_id().get(factor_id)
    text = text.strip()
    if definition is None or definition.type == "choice":
        return text
    if definition.type == "bool":
        lowered = text.lower()
        if lowered in ("true", "yes", "y", "1"):
            return True
        if lowered in ("false", "no", "n", "0"):
            return False
        return text
    try:
        return float(text)
    except ValueError:
        return text


# ---------------------------------------------------------------- helpers


def _unknown_keys(d: Mapping[Any, Any], allowed: tuple[str, ...], p: _Problems) -> None:
    for key in d:
        if key not in allowed:
            p.add(str(key), f"unknown field; allowed: {', '.join(allowed)}")


def _datetime(value: object, field: str, p: _Problems, *, required: bool) -> datetime | None:
    if value is _MISSING or value is None:
        if required:
            p.add(field, "is required, e.g. 2026-11-20 23:10")
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            p.add(field, f"is not a real date and time (expected YYYY-MM-DD HH:MM), got {value!r}")
            return None
    if not isinstance(value, datetime):
        p.add(field, f"must be a date and time like 2026-11-20 23:10, got {value!r}")
        return None
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)  # the diary keeps local wall time
    return value


def _date(value: object, field: str, p: _Problems) -> date | None:
    if value is _MISSING or value is None:
        p.add(field, "is required, e.g. 2026-11-20")
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            p.add(field, f"is not a real date (expected YYYY-MM-DD), got {value!r}")
            return None
    if isinstance(value, datetime) or not isinstance(value, date):
        p.add(field, f"must be a date like 2026-11-20, got {value!r}")
        return None
    return value


def _string_tuple(value: object, field: str, p: _Problems) -> tuple[str, ...]:
    if value is _MISSING:
        p.add(field, f"is required; allowed: {', '.join(SITES)}")
        return ()
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        p.add(field, f"must be a list, got {value!r}")
        return ()
    items = tuple(value)
    if not all(isinstance(x, str) for x in items):
        p.add(field, f"must be a list of names, got {list(items)!r}")
        return ()
    return items


def _members(
    values: tuple[str, ...],
    allowed: tuple[str, ...],
    field: str,
    noun: str,
    p: _Problems,
    *,
    required: bool,
) -> None:
    if required and not values:
        p.add(field, f"at least one {noun} is required; allowed: {', '.join(allowed)}")
    for v in values:
        if v not in allowed:
            p.add(field, f"unknown {noun} {v!r}; allowed: {', '.join(allowed)}")
    if len(set(values)) != len(values):
        p.add(field, f"lists a {noun} more than once: {', '.join(values)}")


def _choice(value: object, allowed: tuple[str, ...], field: str, p: _Problems) -> None:
    if value is not None and value not in allowed:
        p.add(field, f"unknown {field} {value!r}; allowed: {', '.join(allowed)}")


def _note(note: object, p: _Problems) -> None:
    if note is None:
        return
    if not isinstance(note, str):
        p.add("note", f"must be text, got {note!r}")
    elif len(note) > MAX_NOTE:
        p.add("note", f"is {len(note)} characters long; at most {MAX_NOTE}")
    elif "\x00" in note:
        p.add("note", "contains a NUL character")
    else:
        try:
            note.encode("utf-8")
        except UnicodeEncodeError:
            p.add("note", "is not valid text (broken Unicode)")
