"""Plain records of the diary, shared by storage, analysis, export and the web layer.

They carry no database state, so the analysis and exports work on them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SITES = ("toes", "foot", "calf", "thigh", "buttock", "hands", "trunk")
SIDES = ("left", "right", "both")
ACTIVITIES = ("in_bed", "sitting", "walking", "exercising", "after_exercise", "standing")
ACTIONS = (
    "stretched",
    "massaged",
    "walked",
    "heat",
    "ice",
    "drank",
    "medicine",
    "nothing",
    "other",
)

FactorValue = bool | float | str


@dataclass(frozen=True, slots=True)
class Episode:
    """One cramp. ``id`` is None until stored."""

    started_at: datetime
    duration_minutes: float
    sites: tuple[str, ...]
    severity: int
    side: str | None = None
    activity: str | None = None
    actions: tuple[str, ...] = ()
    helped: bool | None = None
    note: str | None = None
    id: int | None = None

    @property
    def day(self) -> date:
        return self.started_at.date()


@dataclass(frozen=True, slots=True)
class DayFactors:
    """What a day was like. ``values`` maps a factor id (see factors.yaml) to its value."""

    day: date
    values: dict[str, FactorValue] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SavedAssessment:
    created_at: datetime
    case: dict[str, Any]
    result: dict[str, Any]
    knowledge_version: str
    id: int | None = None
