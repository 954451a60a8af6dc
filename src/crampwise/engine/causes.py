"""Rank contributing causes: a prior plus the weights of the evidence that holds.

Evidence that is unknown adds nothing either way; evidence against a cause has a negative weight
and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crampwise.engine.compiled import CompiledKnowledge, CompiledRule
from crampwise.engine.conditions import Facts
from crampwise.engine.result import RankedCause
from crampwise.knowledge.schema import LEVEL_RANK

MAX_CAUSES = 6
URGENT_RANK = LEVEL_RANK["urgent"]
SUSPECTED = "you reported a warning sign that can point to this"

Boosts = Mapping[str, float]


def suspect_boosts(fired: Iterable[CompiledRule]) -> dict[str, float]:
    """For each cause a fired rule suspects, the largest weight of those rules' levels."""
    boosts: dict[str, float] = {}
    for r in fired:
        if r.suspect_weight > 0:
            for cid in r.rule.suspects:
                boosts[cid] = max(boosts.get(cid, 0.0), r.suspect_weight)
    return boosts


def warned_causes(
    ck: CompiledKnowledge, fired: Iterable[CompiledRule], facts: Facts
) -> frozenset[str]:
    """Causes suspected by an urgent or emergency rule, or by one that read a warning sign the
    person reported: only these may say "you reported a warning sign". A routine rule on, say,
    walking pain suspects a cause too, but no warning sign was reported.
    """
    serious = {entry[0] for entry in ck.serious}
    return frozenset(
        cid
        for r in fired
        if r.rank >= URGENT_RANK
        or any(facts.get(fid) is True for fid in r.rule.when.findings() & serious)
        for cid in r.rule.suspects
    )


def strength(score: float) -> str:
    if score >= 4:
        return "strong"
    if score >= 2:
        return "moderate"
    return "possible"


def cause_scores(ck: CompiledKnowledge, facts: Facts, boosts: Boosts) -> list[tuple[float, int]]:
    """(score, index) for every cause that has supporting evidence, best first."""
    scores = list(ck.priors)
    supported = [False] * len(scores)
    for cid, boost in boosts.items():
        index = ck.cause_index.get(cid)
        if index is not None:
            scores[index] += boost
    # Bare "finding is yes" evidence: one lookup per present finding, across all causes.
    for fid, value in facts.items():
        if value is True:
            for index, weight in ck.evidence_by_finding.get(fid, ()):
                scores[index] += weight
                if weight > 0:
                    supported[index] = True
    for index, ev in ck.complex_evidence:
        if ev.test(facts) is True:
            scores[index] += ev.weight
            if ev.weight > 0:
                supported[index] = True
    # Listed only when something points to it and the balance is positive.
    scored = [(score, i) for i, score in enumerate(scores) if supported[i] and score > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return scored


def top_cause_ids(
    ck: CompiledKnowledge, facts: Facts, boosts: Boosts, n: int = 3
) -> tuple[str, ...]:
    return tuple(ck.causes[i].cause.id for _, i in cause_scores(ck, facts, boosts)[:n])


def rank_causes(
    ck: CompiledKnowledge, facts: Facts, boosts: Boosts, warned: frozenset[str] = frozenset()
) -> tuple[RankedCause, ...]:
    out: list[RankedCause] = []
    present = [fid for fid, value in facts.items() if value is True]
    for score, index in cause_scores(ck, facts, boosts)[:MAX_CAUSES]:
        cc = ck.causes[index]
        supporting: list[str] = []
        against: list[str] = []
        held = {id(ev) for fid in present for ev in cc.simple.get(fid, ())}
        held.update(id(ev) for ev in cc.complex if ev.test(facts) is True)
        for ev in cc.evidence:  # in the knowledge file's order
            if id(ev) in held:
                (supporting if ev.weight > 0 else against).append(ev.because)
        if cc.cause.id in warned:
            supporting.append(SUSPECTED)
        out.append(
            RankedCause(
                id=cc.cause.id,
                name=cc.cause.name,
                explanation=cc.cause.explanation,
                score=round(score, 2),
                strength=strength(score),
                supporting=tuple(supporting),
                against=tuple(against),
                sources=cc.sources,
                grade=cc.cause.grade,
            )
        )
    return tuple(out)
