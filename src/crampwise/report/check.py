"""The report's first section: the latest saved check, as the one result view shows it.

A saved check holds the case and the result as they were (``SavedAssessment``). The result
is read back as it was saved, so the clinician sees what the person saw; only when it can no
longer be read (saved by a knowledge base with another result shape) is the saved case
assessed again with the current knowledge, and the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from crampwise.diary.dates import DateRange
from crampwise.diary.records import SavedAssessment
from crampwise.engine.view import ResultView, result_view

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from crampwise.engine.result import Assessment
    from crampwise.knowledge import KnowledgeBase
    from crampwise.knowledge.schema import Finding

HEALTH_GROUP = "health"
"""findings.yaml's group for medicines, conditions and operations."""


@dataclass(frozen=True, slots=True)
class CheckSection:
    saved_at: datetime
    age: float | None
    sex: str | None
    view: ResultView
    reported: tuple[str, ...]
    """Medicines, conditions and operations the person said apply, in findings.yaml's words."""
    denied: tuple[str, ...]
    """Those the person said do not apply."""
    reassessed: bool
    """True when the saved result could not be read and the saved case was assessed again."""

    @property
    def age_text(self) -> str:
        if self.age is None:
            return "not given"
        return f"{self.age:g}"


def latest_check(
    assessments: Sequence[SavedAssessment], period: DateRange
) -> SavedAssessment | None:
    """The newest check saved within the period (either end may be open)."""
    within = [a for a in assessments if a.created_at.date() in period]
    return max(within, key=lambda a: (a.created_at, a.id or 0), default=None)


def check_section(saved: SavedAssessment, kb: KnowledgeBase) -> CheckSection:
    """The check as the report shows it; InvalidInputError when neither its result nor its
    case can be read."""
    view, reassessed = _view(saved, kb)
    findings = saved.case.get("findings")
    findings = findings if isinstance(findings, dict) else {}
    reported, denied = _health_answers(findings, kb)
    age = saved.case.get("age")
    sex = saved.case.get("sex")
    return CheckSection(
        saved_at=saved.created_at,
        age=float(age) if isinstance(age, int | float) and not isinstance(age, bool) else None,
        sex=sex if isinstance(sex, str) else None,
        view=view,
        reported=reported,
        denied=denied,
        reassessed=reassessed,
    )


@cache
def _adapter() -> TypeAdapter[Assessment]:
    from pydantic import TypeAdapter

    from crampwise.engine.result import Assessment

    return TypeAdapter(Assessment)


def _view(saved: SavedAssessment, kb: KnowledgeBase) -> tuple[ResultView, bool]:
    """The saved result's view, or the saved case assessed again (True) when the result
    cannot be shown as saved: another result shape, or levels and sources this knowledge
    base does not know (an imported file may hold any JSON object)."""
    from pydantic import ValidationError

    try:
        result = _adapter().validate_python(saved.result)
        if result.level in kb.levels:
            return result_view(result, kb), False
    except (ValidationError, KeyError):
        pass
    from crampwise.case.parse import parse_case
    from crampwise.engine.assess import assess

    case = parse_case(saved.case, kb)
    return result_view(assess(case, kb), kb), True


def _health_answers(
    findings: dict[str, Any], kb: KnowledgeBase
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    reported: list[str] = []
    denied: list[str] = []
    for finding in kb.findings.values():  # in findings.yaml's order
        if finding.group != HEALTH_GROUP or finding.id not in findings:
            continue
        value = findings[finding.id]
        if value is False:
            denied.append(finding.meaning)
        elif value is not True:
            reported.append(_with_value(finding, value))
        else:
            reported.append(finding.meaning)
    return tuple(reported), tuple(denied)


def _with_value(finding: Finding, value: object) -> str:
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    unit = f" {finding.unit}" if finding.unit else ""
    return f"{finding.meaning}: {shown}{unit}"
