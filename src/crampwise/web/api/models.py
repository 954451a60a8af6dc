"""The request and response models of the diary API, derived from the diary's records.

Nothing here restates a field, a bound or a vocabulary: the episode input model takes each
field's type and checks from :class:`crampwise.diary.records.Episode` and is strict
(``false`` is not ``0``, unknown fields are refused); the diary's own validator then applies
the rules against the clock, so the API and the importer agree exactly. A day's body is
described by a schema generated from factors.yaml (see ``schemas.py``).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import TYPE_CHECKING, Annotated, Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from crampwise.diary.fields import LOCAL_DATETIME_SCHEMA
from crampwise.diary.records import DAY_NAMES, EPISODE_FIELDS, DayFactors, Episode, FactorValue

# The API takes a local date-time as text of this form only; the record reads it from there.
LocalDateTime = Annotated[
    str,
    Field(
        description=LOCAL_DATETIME_SCHEMA["description"],
        examples=LOCAL_DATETIME_SCHEMA["examples"],
        pattern=LOCAL_DATETIME_SCHEMA["pattern"],
    ),
]


def _episode_in() -> type[BaseModel]:
    hints = get_type_hints(Episode, include_extras=True)
    definitions: dict[str, Any] = {}
    for f in fields(Episode):
        if f.name == "id":
            continue  # the diary assigns it
        annotation = LocalDateTime if f.name == "started_at" else hints[f.name]
        definitions[f.name] = (annotation, ... if f.default is MISSING else f.default)
    return create_model(
        "EpisodeIn",
        __config__=ConfigDict(extra="forbid"),  # the fields are strict where JSON is ambiguous
        __doc__="One cramp. It cannot start in the future; a site or action is listed once.",
        **definitions,
    )


def _out(name: str, types: dict[str, Any]) -> type[BaseModel]:
    """A response model: the record's field names, with the plain types the JSON carries."""
    definitions: dict[str, Any] = {field: (kind, ...) for field, kind in types.items()}
    return create_model(name, **definitions)


def _episode_out() -> type[BaseModel]:
    plain = get_type_hints(Episode)  # without Annotated: the checks are for input only
    plain.update(id=int, started_at=LocalDateTime, sites=list[str], actions=list[str])
    return _out("EpisodeOut", {name: plain[name] for name in EPISODE_FIELDS})


def _day_out() -> type[BaseModel]:
    plain = get_type_hints(DayFactors)
    plain.update(day=str, values=dict[str, FactorValue])
    return _out(
        "DayOut", {DAY_NAMES.get(f.name, f.name): plain[f.name] for f in fields(DayFactors)}
    )


if TYPE_CHECKING:  # mypy cannot follow create_model; the handlers only need the names

    class EpisodeIn(BaseModel):
        def __getattr__(self, name: str) -> Any: ...

    class EpisodeOut(BaseModel): ...

    class DayOut(BaseModel): ...

else:
    EpisodeIn = _episode_in()
    EpisodeOut = _episode_out()
    DayOut = _day_out()


class SummaryOut(BaseModel):
    start: str
    end: str
    days_covered: int
    days_with_factors: int
    cramps: int
    cramps_per_week: float
    median_severity: float | None
    median_minutes: float | None


class InsightsOut(BaseModel):
    empty: bool
    summary: SummaryOut | None
    triggers: dict[str, Any] | None
    trend: dict[str, Any] | None
    messages: list[str]
    left_out: list[str] = Field(
        default_factory=list,
        description="Days with entries far from the rest of the diary, left out of the analysis",
    )
