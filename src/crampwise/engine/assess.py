"""assess(case, kb): triage first, then causes, then the plan. Pure and deterministic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from crampwise.case.model import Case
from crampwise.engine.causes import rank_causes, suspect_boosts, warned_causes
from crampwise.engine.compiled import CompiledKnowledge
from crampwise.engine.plan import make_plan
from crampwise.engine.result import Assessment, Triage, UnknownSign
from crampwise.engine.triage import decide_triage, fired_rules
from crampwise.knowledge import LEVEL_RANK, KnowledgeBase


class _Cites(Protocol):
    @property
    def sources(self) -> tuple[str, ...]: ...


def facts_of(case: Case) -> dict[str, Any]:
    """Findings plus age and sex, the names conditions may test."""
    facts: dict[str, Any] = dict(case.findings)
    facts["age"] = case.age
    if case.sex is not None:
        facts["sex"] = case.sex
    return facts


def unknown_warning_signs(
    ck: CompiledKnowledge, facts: dict[str, Any], current_rank: int
) -> tuple[UnknownSign, ...]:
    """Serious signs nobody answered whose presence alone would raise the level."""
    out: list[UnknownSign] = []
    for fid, best, combined, signs in ck.serious:
        if fid in facts:
            continue
        # A bare "this sign is yes" rule needs no test; combined rules are tried, most urgent
        # first, only while they could beat what is already known.
        floor = max(current_rank, best)
        if combined and combined[0].rank > floor:
            facts[fid] = True
            for r in combined:
                if r.rank <= floor:
                    break
                if r.test(facts) is True:
                    best = r.rank
                    break
            del facts[fid]
        if best > current_rank:
            out.append(signs[best])
    return tuple(out)


def worded_for_answers(kb: KnowledgeBase, triage: Triage, unanswered: bool) -> Triage:
    """The triage in the words its level uses when warning signs were left unanswered.

    A level's usual words may promise too much then ("nothing points to a serious cause");
    ``unanswered_headline``/``unanswered_action`` in triage_rules.yaml say it instead.
    """
    info = kb.levels[triage.level]
    if not unanswered or info.unanswered_action is None:
        return triage
    headline = info.unanswered_headline or triage.headline
    return replace(triage, headline=headline, action=info.unanswered_action)


def assess(case: Case, kb: KnowledgeBase) -> Assessment:
    """Triage, ranked causes and a plan for a case, from the knowledge base given."""
    ck = kb.compiled
    facts = facts_of(case)
    fired = fired_rules(ck, facts)
    triage = decide_triage(ck, fired)
    causes = rank_causes(ck, facts, suspect_boosts(fired), warned_causes(ck, fired, facts))
    plan = make_plan(ck, facts, triage.level, tuple(c.id for c in causes))
    groups: tuple[Sequence[_Cites], ...] = (
        triage.rules,
        triage.other_rules,
        causes,
        plan.relief_now,
        plan.prevention,
        plan.avoid,
        plan.seek_care,
    )
    # An ordered set of every source cited, each given once in the result.
    cited = dict.fromkeys(sid for group in groups for item in group for sid in item.sources)
    signs = unknown_warning_signs(ck, facts, LEVEL_RANK[triage.level])
    return Assessment(
        triage=worded_for_answers(kb, triage, bool(signs)),
        causes=causes,
        plan=plan,
        unknown_warning_signs=signs,
        knowledge_version=kb.version,
        disclaimer=kb.disclaimer,
        references={sid: ck.references[sid] for sid in cited},
    )
