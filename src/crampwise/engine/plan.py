"""The plan: relief now, prevention tied to the top causes, what to avoid, when to seek care."""

from __future__ import annotations

from crampwise.engine.compiled import CompiledAdvice, CompiledKnowledge
from crampwise.engine.conditions import Facts
from crampwise.engine.result import Plan, PlanItem
from crampwise.knowledge.schema import TriageLevel

PLAN_CAUSES = 3


def _chosen(
    items: tuple[CompiledAdvice, ...], causes: frozenset[str], facts: Facts
) -> list[CompiledAdvice]:
    return [
        item
        for item in items
        if not (item.causes and causes.isdisjoint(item.causes))
        # Guidance conditioned on a finding is shown only once that finding is known to hold.
        and (item.test is None or item.test(facts) is True)
    ]


def _views(items: list[CompiledAdvice]) -> tuple[PlanItem, ...]:
    return tuple(item.view for item in items)


def make_plan(
    ck: CompiledKnowledge, facts: Facts, level: TriageLevel, top_causes: tuple[str, ...]
) -> Plan:
    causes = frozenset(top_causes[:PLAN_CAUSES])
    # Advice is grouped by level and kind once, at compile time; seek-care advice is stored
    # most urgent first.
    relief, prevention, avoid, seek = ck.advice_by_level_kind[level]
    rank = {cid: i for i, cid in enumerate(top_causes)}

    def by_cause(item: CompiledAdvice) -> int:
        # Prevention for the causes in rank order, then general steps.
        return min((rank[c] for c in item.causes if c in rank), default=len(rank))

    return Plan(
        relief_now=_views(_chosen(relief, causes, facts)),
        prevention=_views(sorted(_chosen(prevention, causes, facts), key=by_cause)),
        avoid=_views(_chosen(avoid, causes, facts)),
        seek_care=_views(_chosen(seek, causes, facts)),
    )
