"""Triage: every rule that fires forces at least its level; the most urgent one wins.

Rules only fire on findings that are present (never on a 'no'), so reporting a new sign can
only keep or raise the level.
"""

from __future__ import annotations

from crampwise.engine.compiled import CompiledKnowledge, CompiledRule
from crampwise.engine.conditions import Facts
from crampwise.engine.result import FiredRule, Triage
from crampwise.knowledge.schema import TRIAGE_ORDER


def fired_rules(ck: CompiledKnowledge, facts: Facts) -> list[CompiledRule]:
    fired = [r for r in ck.complex_rules if r.test(facts) is True]
    for fid, value in facts.items():
        if value is True:
            fired.extend(ck.simple_rules.get(fid, ()))
    return fired


def triage_rank(ck: CompiledKnowledge, facts: Facts) -> int:
    """Only the level, as a rank (0 = self_care … 3 = emergency): the interview's hot path."""
    best = 0
    for fid, value in facts.items():
        if value is True:
            for r in ck.simple_rules.get(fid, ()):
                best = max(best, r.rank)
    for r in ck.complex_rules:
        if r.rank > best and r.test(facts) is True:
            best = r.rank
    return best


def decide_triage(ck: CompiledKnowledge, fired: list[CompiledRule]) -> Triage:
    rank = max((r.rank for r in fired), default=0)
    level = TRIAGE_ORDER[rank]
    info = ck.kb.levels[level]

    def view(r: CompiledRule) -> FiredRule:
        return FiredRule(r.rule.id, r.rule.level, r.rule.reason, r.rule.suspects, r.sources)

    ordered = sorted(fired, key=lambda r: (-r.rank, r.order))
    return Triage(
        level=level,
        headline=info.headline,
        action=info.action,
        rules=tuple(view(r) for r in ordered if r.rank == rank),
        other_rules=tuple(view(r) for r in ordered if r.rank < rank),
    )
