"""Field types of the diary's records, with their checks and JSON Schema.

The machinery that turns their errors into FieldProblems is :mod:`crampwise.checks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema

from crampwise.checks import Where, refuse
from crampwise.diary.vocabulary import MAX_NOTE

# ---------------------------------------------------------------- vocabularies


def enum_schema(allowed: tuple[str, ...]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": list(allowed)})


def each_once(allowed: tuple[str, ...], noun: str, *, required: bool) -> AfterValidator:
    """Names from ``allowed``, each at most once (and at least one when ``required``)."""
    allowed_set = frozenset(allowed)
    listed = ", ".join(allowed)

    def check(values: tuple[str, ...]) -> tuple[str, ...]:
        problems: list[tuple[Where, str]] = []
        if required and not values:
            problems.append(((), f"at least one {noun} is required; allowed: {listed}"))
        problems += [
            ((), f"unknown {noun} {v!r}; allowed: {listed}") for v in values if v not in allowed_set
        ]
        if len(set(values)) != len(values):
            problems.append(((), f"lists a {noun} more than once: {', '.join(values)}"))
        if problems:
            raise refuse("", *problems)
        return values

    return AfterValidator(check)


def list_schema(*, required: bool) -> Any:
    extra: dict[str, Any] = {"uniqueItems": True}
    if required:
        extra["minItems"] = 1
    return Field(json_schema_extra=extra)


def one_of(allowed: tuple[str, ...], noun: str) -> AfterValidator:
    """One name from ``allowed``."""
    allowed_set = frozenset(allowed)

    def check(value: str) -> str:
        if value not in allowed_set:
            raise refuse(f"unknown {noun} {value!r}; allowed: {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def unknown_member(noun: str, allowed: Iterable[str]) -> Callable[[Any], str]:
    listed = ", ".join(allowed)
    return lambda value: f"unknown {noun} {value!r}; allowed: {listed}"


# ---------------------------------------------------------------- dates and times

# A recorded day, like a cramp, is from 1900 on (the analysis cannot handle year 1).
_DIARY_DAY = r"(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
DIARY_DATE_PATTERN = f"^{_DIARY_DAY}$"
# A local wall-clock date and time, ISO 8601 without offset, from 1900 on.
LOCAL_DATETIME_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "Local wall-clock date and time, ISO 8601 without offset: 2025-11-20T23:10",
    "examples": ["2025-11-20T23:10"],
    "pattern": f"^{_DIARY_DAY}" + r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
}


def local_datetime(value: object) -> object:
    """ISO text or a datetime, as the diary keeps it: local wall time without offset."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise refuse(
                f"is not a real date and time (expected YYYY-MM-DD HH:MM), got {value!r}"
            ) from None
    if not isinstance(value, datetime):
        raise refuse(f"must be a date and time like 2026-11-20 23:10, got {value!r}")
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value


def calendar_date(value: object) -> object:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise refuse(f"is not a real date (expected YYYY-MM-DD), got {value!r}") from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise refuse(f"must be a date like 2026-11-20, got {value!r}")
    return value


# ---------------------------------------------------------------- text

# C0 and C1 control characters other than tab and line breaks (a BEL or an escape sequence
# in a note would be replayed by any terminal showing it), and lone surrogates (not text).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _blank_is_none(value: object) -> object:
    return None if value == "" else value  # an empty cell and no note are the same thing


def _clean_text(value: str) -> str:
    found = _UNSAFE.search(value)
    if found is None:
        return value
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        raise refuse("is not valid text (broken Unicode)")
    if char == "\x00":
        raise refuse("contains a NUL character")
    name = _CONTROL_NAMES.get(char)
    what = f"U+{ord(char):04X}" + (f", {name}" if name else "")
    raise refuse(
        f"contains a control character ({what}) at position {found.start() + 1}; "
        "only line breaks and tabs are allowed"
    )


_CONTROL_NAMES = {"\x07": "bell", "\x08": "backspace", "\x1b": "escape", "\x7f": "delete"}

Note = Annotated[
    Annotated[str, Strict(), Field(max_length=MAX_NOTE), AfterValidator(_clean_text)] | None,
    BeforeValidator(_blank_is_none),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "maxLength": MAX_NOTE,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$",
                },
                {"type": "null"},
            ]
        }
    ),
]
NOTE_MESSAGES: Mapping[str, str | Callable[[Any], str]] = {
    "string_too_long": lambda v: f"is {len(v)} characters long; at most {MAX_NOTE}",
    "*": lambda v: f"must be text, got {v!r}",
}
