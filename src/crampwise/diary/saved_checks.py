"""A saved check opened again: the result it saved, shown with the interview's result view.

The web page ``/checks/{id}`` and ``crampwise checks ID`` render what :func:`saved_view`
gives, the same ``ResultView`` the interview renders (``engine/view.py``). The saved result
is shown as it was saved; only a result this version can no longer read (saved by an older
crampwise in another shape) is worked out again from the saved answers, and said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from crampwise.diary.records import SavedAssessment
from crampwise.engine.view import ResultView, result_view
from crampwise.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from crampwise.engine.result import Assessment


@dataclass(frozen=True, slots=True)
class SavedCheck:
    """One line of the list of saved checks."""

    id: int
    created_at: str
    level: str
    top_cause: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "level": self.level,
            "top_cause": self.top_cause,
        }


def summary(saved: SavedAssessment) -> SavedCheck:
    result = saved.result
    triage = result.get("triage")
    level = triage.get("level") if isinstance(triage, dict) else None
    causes = result.get("causes")
    top = causes[0].get("name") if isinstance(causes, list) and causes else None
    return SavedCheck(
        saved.id or 0,
        saved.created_at.isoformat(timespec="minutes"),
        level if isinstance(level, str) else "",
        top if isinstance(top, str) else None,
    )


@cache
def _adapter() -> TypeAdapter[Assessment]:
    from pydantic import TypeAdapter

    from crampwise.engine.result import Assessment

    return TypeAdapter(Assessment)


def saved_view(saved: SavedAssessment, kb: KnowledgeBase) -> tuple[ResultView, str | None]:
    """The view of a saved check, and a notice when its result had to be worked out again."""
    from pydantic import ValidationError

    try:
        assessment = _adapter().validate_python(saved.result)
        return result_view(assessment, kb), None
    except (ValidationError, KeyError):
        pass  # an older shape, or a level or source this knowledge base no longer has
    from crampwise.case.parse import parse_case
    from crampwise.engine.assess import assess

    fresh = assess(parse_case(saved.case, kb, "the saved check"), kb)
    notice = (
        f"This check was saved with knowledge version {saved.knowledge_version}; its result "
        f"is shown as worked out again from the same answers with version {kb.version}."
    )
    return result_view(fresh, kb), notice


__all__ = ["SavedCheck", "saved_view", "summary"]
