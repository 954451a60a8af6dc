"""The result of an assessment: plain frozen dataclasses that serialise to JSON-ready dicts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from crampwise.knowledge.schema import TriageLevel


@dataclass(frozen=True, slots=True)
class SourceRef:
    id: str
    citation: str
    url: str
    grade: str


@dataclass(frozen=True, slots=True)
class FiredRule:
    id: str
    level: TriageLevel
    reason: str
    suspects: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triage:
    level: TriageLevel
    headline: str
    action: str
    rules: tuple[FiredRule, ...]
    """The rules that set the level (the most urgent ones)."""
    other_rules: tuple[FiredRule, ...]
    """Rules that fired at a lower level."""


@dataclass(frozen=True, slots=True)
class RankedCause:
    id: str
    name: str
    explanation: str
    score: float
    strength: str
    supporting: tuple[str, ...]
    against: tuple[str, ...]
    sources: tuple[str, ...]
    grade: str


@dataclass(frozen=True, slots=True)
class PlanItem:
    id: str
    text: str
    sources: tuple[str, ...]
    grade: str
    seek_level: TriageLevel | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    relief_now: tuple[PlanItem, ...]
    prevention: tuple[PlanItem, ...]
    avoid: tuple[PlanItem, ...]
    seek_care: tuple[PlanItem, ...]


@dataclass(frozen=True, slots=True)
class UnknownSign:
    finding: str
    meaning: str
    level: TriageLevel


@dataclass(frozen=True, slots=True)
class Assessment:
    triage: Triage
    causes: tuple[RankedCause, ...]
    plan: Plan
    unknown_warning_signs: tuple[UnknownSign, ...]
    """Warning signs nobody answered: if any is present, it would raise the level shown."""
    knowledge_version: str
    disclaimer: str
    references: dict[str, SourceRef]
    """Every source cited above, once: items list source ids that point here."""

    @property
    def level(self) -> TriageLevel:
        return self.triage.level

    def top_cause_ids(self, n: int = 3) -> list[str]:
        return [c.id for c in self.causes[:n]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain data (dataclasses.asdict is ten times slower on a result)."""
        data: dict[str, Any] = _adapter().dump_python(self, mode="json")
        return data

    def to_json(self) -> bytes:
        return _adapter().dump_json(self)


if TYPE_CHECKING:
    from pydantic import TypeAdapter


@cache
def _adapter() -> TypeAdapter[Assessment]:
    from pydantic import TypeAdapter

    return TypeAdapter(Assessment)
