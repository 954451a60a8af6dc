"""The diary's records, each defined once: its fields, types, bounds and rules.

Storage, import/export, the CLI and the web API all go through these models, and the API's
JSON Schema is generated from them. Building a record checks it (``InvalidInputError``
naming every bad field); :func:`validate_episode` and :func:`validate_day` check untrusted
mappings against the clock ("not in the future") and the factor definitions. Rows the diary
wrote itself are rebuilt with :func:`~crampwise.diary.fields.trusted`, without checks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from typing import Annotated, Any, cast

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic.dataclasses import dataclass
from pydantic_core import SchemaValidator

from crampwise.checks import Messages, context_value, problems_of, raising, refuse
from crampwise.diary.fields import (
    LOCAL_DATETIME_SCHEMA,
    NOTE_MESSAGES,
    Note,
    calendar_date,
    each_once,
    enum_schema,
    list_schema,
    local_datetime,
    one_of,
    unknown_member,
)
from crampwise.diary.vocabulary import (
    ACTIONS,
    ACTIVITIES,
    CLOCK_SLACK,
    EARLIEST,
    MAX_MINUTES,
    MAX_NOTE,
    SEVERITY_MAX,
    SEVERITY_MIN,
    SIDES,
    SITES,
)
from crampwise.errors import FieldProblem, InvalidInputError

__all__ = [
    "ACTIONS",
    "ACTIVITIES",
    "EPISODE_FIELDS",
    "MAX_MINUTES",
    "MAX_NOTE",
    "SIDES",
    "SITES",
    "DayFactors",
    "Episode",
    "FactorValue",
    "SavedAssessment",
]

FactorValue = bool | float | str
_CONFIG = ConfigDict(extra="forbid")


_FUTURE = "is in the future: a cramp cannot start later than now"


def _not_in_future(value: datetime, info: ValidationInfo) -> datetime:
    # Only against a clock the caller passes: code may build a record and move it later
    # (the synthetic diary does); the store checks it against its own clock before writing.
    now: datetime | None = context_value(info, "now")
    if now is not None and value > now + CLOCK_SLACK:
        raise refuse(_FUTURE)
    if value < EARLIEST:
        raise refuse("is before 1900: check the year")
    return value


def _whole_number(value: object) -> object:
    # JSON's 5.0 is the number 5; true and "5" stay wrong (strict below).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_SEVERITY_RULE = f"a whole number from {SEVERITY_MIN} (none) to {SEVERITY_MAX} (worst)"
EPISODE_MESSAGES: Messages = {
    "started_at": {"missing": "is required, e.g. 2026-11-20 23:10"},
    "duration_minutes": {
        "missing": "is required (or give ended_at)",
        "greater_than_equal": lambda v: f"cannot be negative, got {v:g}",
        "less_than_equal": lambda v: f"must be at most {MAX_MINUTES} (24 hours), got {v:g}",
        "*": lambda v: f"must be a number of minutes, got {v!r}",
    },
    "sites": {
        "missing": f"is required; allowed: {', '.join(SITES)}",
        "tuple_type": lambda v: f"must be a list, got {v!r}",
        "*": lambda v: f"must be a list of names, got {v!r}",
    },
    "actions": {
        "tuple_type": lambda v: f"must be a list, got {v!r}",
        "*": lambda v: f"must be a list of names, got {v!r}",
    },
    "severity": {
        "missing": f"is required: {_SEVERITY_RULE}",
        "*": lambda v: f"must be {_SEVERITY_RULE}, got {v!r}",
    },
    "side": {"*": unknown_member("side", SIDES)},
    "activity": {"*": unknown_member("activity", ACTIVITIES)},
    "helped": {"*": lambda v: f"must be true, false or empty, got {v!r}"},
    "note": NOTE_MESSAGES,
    "id": {"*": lambda _v: "must be a positive whole number"},
}
RecordId = Annotated[int, Strict(), Field(ge=1)] | None
Site = Annotated[str, Strict(), enum_schema(SITES)]
Action = Annotated[str, Strict(), enum_schema(ACTIONS)]
NOTHING = "nothing"
"""The action that says no other action was taken: it stands alone."""


# The same rule in the API's JSON Schema: a list that holds "nothing" holds nothing else.
_NOTHING_ALONE_SCHEMA = {"if": {"contains": {"const": NOTHING}}, "then": {"maxItems": 1}}


def _nothing_alone(actions: tuple[str, ...]) -> tuple[str, ...]:
    if NOTHING in actions and len(actions) > 1:
        others = ", ".join(a for a in actions if a != NOTHING)
        raise refuse(f"'{NOTHING}' cannot go with other actions ({others}): keep one or the other")
    return actions


@raising("invalid cramp episode", EPISODE_MESSAGES)
@dataclass(frozen=True, slots=True, config=_CONFIG)
class Episode:
    """One cramp. ``id`` is None until stored."""

    started_at: Annotated[
        datetime,
        BeforeValidator(local_datetime),
        AfterValidator(_not_in_future),
        WithJsonSchema(LOCAL_DATETIME_SCHEMA),
    ]
    duration_minutes: Annotated[float, Strict(), Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False)]
    sites: Annotated[
        tuple[Site, ...], each_once(SITES, "site", required=True), list_schema(required=True)
    ]
    # Constraints before the validator, so they stay in the JSON Schema (minimum, maximum).
    severity: Annotated[
        int, Strict(), Field(ge=SEVERITY_MIN, le=SEVERITY_MAX), BeforeValidator(_whole_number)
    ]
    side: Annotated[str, Strict(), one_of(SIDES, "side"), enum_schema(SIDES)] | None = None
    activity: (
        Annotated[str, Strict(), one_of(ACTIVITIES, "activity"), enum_schema(ACTIVITIES)] | None
    ) = None
    actions: Annotated[
        tuple[Action, ...],
        each_once(ACTIONS, "action", required=False),
        AfterValidator(_nothing_alone),
        list_schema(required=False),
        Field(json_schema_extra=_NOTHING_ALONE_SCHEMA),
    ] = ()
    helped: StrictBool | None = None
    note: Note = None
    id: RecordId = None

    @property
    def day(self) -> date:
        return self.started_at.date()


# The exported fields of an episode, in order: JSON export, CSV columns, API responses.
EPISODE_FIELDS: tuple[str, ...] = ("id", *(f.name for f in fields(Episode) if f.name != "id"))


def _known_day(value: date, info: ValidationInfo) -> date:
    today: date | None = context_value(info, "today")  # as for episodes: a clock passed in
    if today is not None and value > today:
        raise refuse("is in the future: record a day once it has happened")
    if value < EARLIEST.date():
        raise refuse("is before 1900: check the year")
    return value


def _factor_values(values: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """Each value against its definition (factors.yaml) when the caller passes them."""
    definitions: Mapping[str, Any] | None = context_value(info, "factors")
    problems = []
    for factor_id, value in values.items():
        if definitions is None:
            ok = isinstance(value, bool | str) or (
                isinstance(value, int | float) and value == value
            )
            if not ok:
                problems.append(
                    ((factor_id,), f"must be true, false, a number or text, got {value!r}")
                )
            continue
        definition = definitions.get(factor_id)
        if definition is None:
            allowed = ", ".join(sorted(definitions))
            problems.append(((factor_id,), f"unknown factor; allowed: {allowed}"))
            continue
        try:
            definition.check(value)
        except ValueError as exc:
            problems.append(((factor_id,), f"{exc}, got {value!r}"))
    if problems:
        raise refuse("", *problems)
    return values


DAY_MESSAGES: Messages = {
    "day": {"missing": "is required, e.g. 2026-11-20"},
    "values": {"*": lambda _v: "must be an object mapping factor ids to values"},
    "note": NOTE_MESSAGES,
}
DAY_NAMES = {"day": "date"}  # the attribute is ``day``; files and the API say ``date``


@raising("invalid day", DAY_MESSAGES, DAY_NAMES)
@dataclass(frozen=True, slots=True, config=_CONFIG)
class DayFactors:
    """What a day was like. ``values`` maps a factor id (see factors.yaml) to its value."""

    day: Annotated[date, BeforeValidator(calendar_date), AfterValidator(_known_day)]
    values: Annotated[dict[Annotated[str, Strict()], Any], AfterValidator(_factor_values)] = Field(
        default_factory=dict
    )
    note: Note = None


def _json_object(value: dict[str, Any]) -> dict[str, Any]:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise refuse(f"cannot be stored as JSON: {exc}") from None
    return value


JsonObject = Annotated[dict[str, Any], Strict(), AfterValidator(_json_object)]
ASSESSMENT_MESSAGES: Messages = {
    "created_at": {"*": lambda _v: "must be a date and time"},
    "case": {"*": lambda _v: "cannot be stored as JSON: must be an object"},
    "result": {"*": lambda _v: "cannot be stored as JSON: must be an object"},
    "knowledge_version": {"*": lambda _v: "must be non-empty text"},
    "id": {"*": lambda _v: "must be a positive whole number"},
}


@raising("invalid saved assessment", ASSESSMENT_MESSAGES)
@dataclass(frozen=True, slots=True, config=_CONFIG)
class SavedAssessment:
    created_at: Annotated[datetime, Strict()]
    case: JsonObject
    result: JsonObject
    knowledge_version: Annotated[str, Strict(), Field(min_length=1)]
    id: RecordId = None


# ---------------------------------------------------------------- checking untrusted input


def _validator(record: type[Any]) -> SchemaValidator:
    # The record's own validator takes a mapping too (a TypeAdapter would build another).
    validator: SchemaValidator = getattr(record, "__pydantic_validator__")  # noqa: B009
    return validator


def validate_episode(
    data: Mapping[str, Any],
    line: int | None = None,
    *,
    prefix: str = "",
    now: datetime | None = None,
) -> Episode:
    """An Episode from a mapping of its fields, or InvalidInputError naming every bad one."""
    try:
        found = _validator(Episode).validate_python(data, context={"now": now or datetime.now()})
        return cast(Episode, found)
    except ValidationError as exc:
        problems = problems_of(exc, Episode, EPISODE_MESSAGES, line=line, prefix=prefix)
        raise InvalidInputError("invalid cramp episode", problems) from None


def episode_problems(
    ep: Episode, line: int | None = None, *, prefix: str = "", now: datetime | None = None
) -> list[FieldProblem]:
    """The rules a record may break after it was built: it must not start after ``now``.

    Building an Episode checked every other rule, so this is cheap enough to run on each
    row of a 100k-row import before it is written.
    """
    limit = (now or datetime.now()) + CLOCK_SLACK
    if ep.started_at <= limit:
        return []
    return [FieldProblem(prefix + "started_at", _FUTURE, line)]


def validate_day(
    data: Mapping[str, Any],
    line: int | None = None,
    *,
    prefix: str = "",
    today: date | None = None,
    factors: Mapping[str, Any] | None = None,
) -> DayFactors:
    """A DayFactors from a mapping of its fields; ``factors`` (id -> definition) checks
    each value against factors.yaml."""
    try:
        context = {"today": today or date.today(), "factors": factors}
        return cast(DayFactors, _validator(DayFactors).validate_python(data, context=context))
    except ValidationError as exc:
        problems = problems_of(
            exc, DayFactors, DAY_MESSAGES, line=line, prefix=prefix, rename=DAY_NAMES
        )
        raise InvalidInputError("invalid day", problems) from None


def episode_to_dict(ep: Episode) -> dict[str, Any]:
    """JSON-ready: ISO date-times, lists, and the keys an episode is read from."""
    out: dict[str, Any] = {f: getattr(ep, f) for f in EPISODE_FIELDS}
    out["started_at"] = ep.started_at.isoformat()
    out["sites"], out["actions"] = list(ep.sites), list(ep.actions)
    return out


def day_to_dict(d: DayFactors) -> dict[str, Any]:
    return {"date": d.day.isoformat(), "values": dict(d.values), "note": d.note}
