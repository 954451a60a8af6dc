"""Turn untrusted mappings (CLI flags, import files, the web API) into diary records.

The rules live in the record models (:mod:`crampwise.diary.records`); this module adapts the
shapes people write: an ``ended_at`` instead of a duration, ``date`` for a day, a line number
and a prefix for import files. Every problem is collected, so one error lists every
offending field, each named (and with its line for import files).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticCustomError

from crampwise.diary.fields import local_datetime
from crampwise.diary.records import (
    EPISODE_FIELDS,
    DayFactors,
    Episode,
    day_to_dict,
    episode_problems,
    episode_to_dict,
    validate_day,
    validate_episode,
)
from crampwise.diary.vocabulary import MAX_MINUTES, MAX_NOTE
from crampwise.errors import FieldProblem, InvalidInputError

__all__ = [
    "DAY_KEYS",
    "EPISODE_KEYS",
    "MAX_MINUTES",
    "MAX_NOTE",
    "check_day",
    "check_episode",
    "day_from_dict",
    "day_problems",
    "day_to_dict",
    "episode_from_dict",
    "episode_problems",
    "episode_to_dict",
    "parse_factor_text",
]

# What an episode may be read from: its fields, or an end time instead of the duration.
EPISODE_KEYS = (*EPISODE_FIELDS[:2], "ended_at", *EPISODE_FIELDS[2:])
DAY_KEYS = ("date", "values", "note")


# ---------------------------------------------------------------- episodes


def episode_from_dict(
    d: object, line: int | None = None, *, prefix: str = "", now: datetime | None = None
) -> Episode:
    """A valid Episode from a mapping, or InvalidInputError naming every bad field."""
    if not isinstance(d, Mapping):
        message = f"must be an object with the keys {', '.join(EPISODE_KEYS)}"
        raise InvalidInputError(
            "invalid cramp episode", [FieldProblem(prefix + "episode", message, line)]
        )
    problems = _unknown_keys(d, EPISODE_KEYS, line, prefix)
    # A null start or duration is a missing one; no actions may be written as null or "".
    data = {
        k: v
        for k, v in d.items()
        if k in _EPISODE_FIELD_SET and (v is not None or k not in _NULL_IS_MISSING)
    }
    if "actions" in data and not data["actions"]:
        del data["actions"]
    if d.get("ended_at") is not None:
        problems += _duration_from_end(d, data, line, prefix)
    if not problems:
        return validate_episode(data, line, prefix=prefix, now=now)
    try:
        validate_episode(data, line, prefix=prefix, now=now)
    except InvalidInputError as exc:
        problems += exc.problems
    raise InvalidInputError("invalid cramp episode", problems)


_EPISODE_FIELD_SET = frozenset(EPISODE_FIELDS)
_NULL_IS_MISSING = frozenset(("started_at", "duration_minutes", "actions"))


def _duration_from_end(
    d: Mapping[Any, Any], data: dict[Any, Any], line: int | None, prefix: str
) -> list[FieldProblem]:
    """Set ``duration_minutes`` from ``ended_at``: the one cross-field rule of the input form."""

    def problem(message: str) -> list[FieldProblem]:
        data.setdefault("duration_minutes", 0.0)  # reported on ended_at, not twice
        return [FieldProblem(prefix + "ended_at", message, line)]

    if d.get("duration_minutes") is not None:
        return problem("give either duration_minutes or ended_at, not both")
    ended, error = _when(d["ended_at"])
    if ended is None:
        return problem(error)
    started, _ = _when(d.get("started_at"))
    if started is None:
        data["duration_minutes"] = 0.0  # the model reports started_at itself
        return []
    if ended < started:
        return problem(f"is before started_at ({started.isoformat(sep=' ')})")
    data["duration_minutes"] = (ended - started).total_seconds() / 60
    return []


def _when(value: object) -> tuple[datetime | None, str]:
    try:
        parsed = local_datetime(value)
    except PydanticCustomError as exc:
        return None, exc.message()
    assert isinstance(parsed, datetime)
    return parsed, ""


def _unknown_keys(
    d: Mapping[Any, Any], allowed: tuple[str, ...], line: int | None, prefix: str
) -> list[FieldProblem]:
    message = f"unknown field; allowed: {', '.join(allowed)}"
    return [FieldProblem(prefix + str(k), message, line) for k in d if k not in allowed]


def check_episode(
    ep: Episode, line: int | None = None, *, prefix: str = "", now: datetime | None = None
) -> None:
    problems = episode_problems(ep, line, prefix=prefix, now=now)
    if problems:
        raise InvalidInputError("invalid cramp episode", problems)


# ---------------------------------------------------------------- days


def day_from_dict(
    d: object, line: int | None = None, *, prefix: str = "", today: date | None = None
) -> DayFactors:
    """A valid DayFactors from ``{"date": ..., "values": {...}, "note": ...}``."""
    if not isinstance(d, Mapping):
        message = f"must be an object with the keys {', '.join(DAY_KEYS)}"
        raise InvalidInputError("invalid day", [FieldProblem(prefix + "day", message, line)])
    problems = _unknown_keys(d, DAY_KEYS, line, prefix)
    data = {"values": d.get("values"), "note": d.get("note")}
    if "date" in d:
        data["day"] = d["date"]
    if data["values"] is None:
        # Only a missing or null "values" means nothing recorded; false, 0 or "" are mistakes.
        data["values"] = {}
    if not problems:
        return validate_day(data, line, prefix=prefix, today=today, factors=_definitions())
    try:
        validate_day(data, line, prefix=prefix, today=today, factors=_definitions())
    except InvalidInputError as exc:
        problems += exc.problems
    raise InvalidInputError("invalid day", problems)


def day_problems(
    day: DayFactors, line: int | None = None, *, prefix: str = "", today: date | None = None
) -> list[FieldProblem]:
    """Every rule a day breaks now, its values checked against factors.yaml."""
    data = {"day": day.day, "values": day.values, "note": day.note}
    try:
        validate_day(data, line, prefix=prefix, today=today, factors=_definitions())
    except InvalidInputError as exc:
        return exc.problems
    return []


def check_day(
    day: DayFactors, line: int | None = None, *, prefix: str = "", today: date | None = None
) -> None:
    problems = day_problems(day, line, prefix=prefix, today=today)
    if problems:
        raise InvalidInputError("invalid day", problems)


def _definitions() -> Mapping[str, Any]:
    from crampwise.diary.factors import factors_by_id  # YAML + models: not for `log`

    return factors_by_id()


def parse_factor_text(factor_id: str, text: str) -> object:
    """A factor value typed from text (CLI ``--factor``, CSV cells), per factors.yaml.

    Text that does not parse is returned as is, so validation reports it with the
    allowed values instead of failing here with a vaguer message.
    """
    definition = _definitions().get(factor_id)
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
