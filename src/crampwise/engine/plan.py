"""The plan: relief now, prevention tied to the top causes, what to avoid, when to seek care."""

from __future__ import annotations

from crampwise.engine.compiled import LEVEL_RANK, CompiledAdvice, CompiledKnowledge
from crampwise.engine.conditions import Facts
from crampwise.engine.result import Plan, PlanItem
from crampwise.knowledge.schema import TriageLevel

PLAN_CAUSES = 3


def _applies(item: CompiledAdvice, level: TriageLevel, causes: set[str], facts: Facts) -> bool:
    if item.causes and causes.isdisjoint(item.causes):
        return False
    # Guidance conditioned on a finding is shown only once that finding is known to hold.
    return item.test is None or item.test(facts) is True


def _view(item: CompiledAdvice) -> PlanItem:
    return item.view


def make_plan(
    ck: CompiledKnowledge, facts: Facts, level: TriageLevel, top_causes: tuple[str, ...]
) -> Plan:
    causes = set(top_causes[:PLAN_CAUSES])
    chosen = [item for item in ck.advice_by_level[level] if _applies(item, level, causes, facts)]

    def of(kind: str) -> list[CompiledAdvice]:
        return [item for item in chosen if item.advice.kind == kind]

    # Prevention for the causes in rank order, then general steps.
    rank = {cid: i for i, cid in enumerate(top_causes)}

    def by_cause(item: CompiledAdvice) -> int:
        return min((rank[c] for c in item.advice.causes if c in rank), default=len(rank))

    seek = sorted(of("seek_care"), key=lambda i: -LEVEL_RANK[i.advice.seek_level or "self_care"])
    return Plan(
        relief_now=tuple(_view(i) for i in of("relief")),
        prevention=tuple(_view(i) for i in sorted(of("prevention"), key=by_cause)),
        avoid=tuple(_view(i) for i in of("avoid")),
        seek_care=tuple(_view(i) for i in seek),
    )
