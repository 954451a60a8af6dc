"""What a person is shown about an assessment: one typed view that every front end renders.

The terminal (``cli/render.py``) and the web page (``web/templates/result.html``) both render a
``ResultView``, so they show the same level words, reasons (the rules that set the level and
the others that fired), causes with the evidence for and against, plan and unknown warning
signs. Building it is pure: an ``Assessment`` and the knowledge base it came from go in.

The view also decides what a short result shows, so both front ends read the same in a minute:
a notice first when warning signs were left unanswered (so an unfinished check never reads as
an all-clear), the top causes, the plan, and only the warning signs that would change *this*
person's advice — unanswered signs above the current level, grouped by level, and the
"get help sooner" advice for levels above it. The rest (every cause, every "seek care" item,
the sources) is for the full view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crampwise.engine.result import Assessment, FiredRule, PlanItem, SourceRef
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import LEVEL_RANK, TriageLevel

TOP_CAUSES = 3
"""Causes a short result shows; the full view shows them all."""


@dataclass(frozen=True, slots=True)
class LevelWords:
    """A triage level and its words, as triage_rules.yaml defines them."""

    level: TriageLevel
    name: str
    label: str
    headline: str
    action: str


@dataclass(frozen=True, slots=True)
class Reason:
    """A triage rule that fired, in words."""

    rule_id: str
    level: LevelWords
    text: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class CauseView:
    id: str
    name: str
    explanation: str
    strength: str
    score: float
    supporting: tuple[str, ...]
    against: tuple[str, ...]
    grade: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class PlanEntry:
    id: str
    text: str
    grade: str
    sources: tuple[SourceRef, ...]
    seek_level: LevelWords | None


@dataclass(frozen=True, slots=True)
class WarningSign:
    """A warning sign nobody answered, and the level it would lead to."""

    finding: str
    meaning: str
    level: LevelWords


@dataclass(frozen=True, slots=True)
class SignGroup:
    """Unanswered warning signs that would lead to the same level, in a few words each."""

    level: LevelWords
    meanings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResultView:
    level: LevelWords
    reasons: tuple[Reason, ...]
    """The rules that set the level."""
    other_reasons: tuple[Reason, ...]
    """Rules that fired at a lower level: still worth mentioning to a doctor."""
    causes: tuple[CauseView, ...]
    relief_now: tuple[PlanEntry, ...]
    prevention: tuple[PlanEntry, ...]
    avoid: tuple[PlanEntry, ...]
    seek_care: tuple[PlanEntry, ...]
    unknown_warning_signs: tuple[WarningSign, ...]
    sources: tuple[SourceRef, ...]
    """Every source cited above, once, in order of first citation."""
    disclaimer: str
    knowledge_version: str
    unanswered: tuple[SignGroup, ...]
    """The unknown warning signs grouped by the level they would lead to, most urgent first."""
    unanswered_notice: str | None
    """Said first when warning signs were left unanswered: this is not an all-clear."""
    sooner: tuple[PlanEntry, ...]
    """The "seek care" advice for levels above this one: what would change the advice."""

    @property
    def is_emergency(self) -> bool:
        return self.level.level == "emergency"

    @property
    def top_causes(self) -> tuple[CauseView, ...]:
        return self.causes[:TOP_CAUSES]

    @property
    def more_causes(self) -> tuple[CauseView, ...]:
        return self.causes[TOP_CAUSES:]


def _grouped(signs: tuple[WarningSign, ...]) -> tuple[SignGroup, ...]:
    by_level: dict[str, list[WarningSign]] = {}
    for sign in signs:
        by_level.setdefault(sign.level.level, []).append(sign)
    order = sorted(by_level, key=lambda level: -LEVEL_RANK[level])
    return tuple(
        SignGroup(by_level[lv][0].level, tuple(s.meaning for s in by_level[lv])) for lv in order
    )


def _notice(signs: tuple[WarningSign, ...]) -> str | None:
    if not signs:
        return None
    n = len(signs)
    which = "one warning sign" if n == 1 else f"{n} warning signs"
    return (
        f"This is not an all-clear: you did not answer about {which}. "
        "If any of them applies to you, the advice is more urgent; see the warning signs below."
    )


def level_words(kb: KnowledgeBase) -> dict[str, LevelWords]:
    """Each level's words, by level."""
    return {
        info.level: LevelWords(info.level, info.name, info.label, info.headline, info.action)
        for info in kb.levels.values()
    }


def result_view(result: Assessment, kb: KnowledgeBase) -> ResultView:
    """The view of an assessment made with this knowledge base."""
    refs = result.references
    words = level_words(kb)

    def cited(ids: tuple[str, ...]) -> tuple[SourceRef, ...]:
        return tuple(refs[sid] for sid in ids)

    def reason(rule: FiredRule) -> Reason:
        return Reason(rule.id, words[rule.level], rule.reason, cited(rule.sources))

    def entries(items: tuple[PlanItem, ...]) -> tuple[PlanEntry, ...]:
        return tuple(
            PlanEntry(
                item.id,
                item.text,
                item.grade,
                cited(item.sources),
                words[item.seek_level] if item.seek_level else None,
            )
            for item in items
        )

    plan = result.plan
    signs = tuple(
        WarningSign(s.finding, s.meaning, words[s.level]) for s in result.unknown_warning_signs
    )
    seek_care = entries(plan.seek_care)
    rank = LEVEL_RANK[result.level]
    return ResultView(
        # The engine words the level for what was answered (see assess.level_for_answers).
        level=replace(
            words[result.level], headline=result.triage.headline, action=result.triage.action
        ),
        reasons=tuple(reason(r) for r in result.triage.rules),
        other_reasons=tuple(reason(r) for r in result.triage.other_rules),
        causes=tuple(
            CauseView(
                c.id,
                c.name,
                c.explanation,
                c.strength,
                c.score,
                c.supporting,
                c.against,
                c.grade,
                cited(c.sources),
            )
            for c in result.causes
        ),
        relief_now=entries(plan.relief_now),
        prevention=entries(plan.prevention),
        avoid=entries(plan.avoid),
        seek_care=seek_care,
        unknown_warning_signs=signs,
        sources=tuple(refs.values()),
        disclaimer=result.disclaimer,
        knowledge_version=result.knowledge_version,
        unanswered=_grouped(signs),
        unanswered_notice=_notice(signs),
        sooner=tuple(
            e for e in seek_care if e.seek_level and LEVEL_RANK[e.seek_level.level] > rank
        ),
    )
