"""The strict input model and the response models for the diary API.

The episode input model is strict (``false`` is not ``0``) and forbids unknown fields; it
describes the body for the OpenAPI document, then the diary's own validator applies the
domain rules (no cramp in the future, ...), so the API and the importer agree exactly. A
day's body is described by a schema generated from factors.yaml (see ``schemas.py``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crampwise.diary.validate import MAX_MINUTES, MAX_NOTE

Site = Literal["toes", "foot", "calf", "thigh", "buttock", "hands", "trunk"]
Side = Literal["left", "right", "both"]
Activity = Literal["in_bed", "sitting", "walking", "exercising", "after_exercise", "standing"]
Action = Literal[
    "stretched", "massaged", "walked", "heat", "ice", "drank", "medicine", "nothing", "other"
]
LocalDateTime = Annotated[
    str,
    Field(
        description="Local wall-clock date and time, ISO 8601 without offset: 2025-11-20T23:10",
        examples=["2025-11-20T23:10"],
        pattern=(
            r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
            r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
        ),
    ),
]
# No NUL characters: PostgreSQL text cannot hold them, and the validator refuses them.
Note = Annotated[str, Field(max_length=MAX_NOTE, pattern=r"^[^\x00]*$")]
FactorValue = bool | float | str
UNIQUE: dict[str, Any] = {"uniqueItems": True}


class EpisodeIn(BaseModel):
    """One cramp. It cannot start in the future; a site or action is listed once."""

    model_config = ConfigDict(strict=True, extra="forbid")

    started_at: LocalDateTime
    duration_minutes: Annotated[float, Field(ge=0, le=MAX_MINUTES)]
    sites: Annotated[list[Site], Field(min_length=1, max_length=7, json_schema_extra=UNIQUE)]
    # A whole number; a float with multipleOf 1 so JSON's 5.0 is accepted and true is not.
    severity: Annotated[float, Field(ge=0, le=10, multiple_of=1)]
    side: Side | None = None
    activity: Activity | None = None
    actions: Annotated[list[Action], Field(max_length=9, json_schema_extra=UNIQUE)] = []
    helped: bool | None = None
    note: Note | None = None


class EpisodeOut(BaseModel):
    id: int
    started_at: LocalDateTime
    duration_minutes: float
    sites: list[str]
    severity: int
    side: str | None
    activity: str | None
    actions: list[str]
    helped: bool | None
    note: str | None


class DayOut(BaseModel):
    date: str
    values: dict[str, FactorValue]
    note: str | None


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
