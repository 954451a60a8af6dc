"""The knowledge base compiled once into fast tests, cached by knowledge version."""

from __future__ import annotations

from dataclasses import dataclass

from crampwise.engine.conditions import Test, compile_condition, thresholds
from crampwise.engine.result import SourceRef
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import TRIAGE_ORDER, Advice, Cause, TriageRule

LEVEL_RANK = {level: rank for rank, level in enumerate(TRIAGE_ORDER)}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: TriageRule
    test: Test
    rank: int
    sources: tuple[SourceRef, ...]
    suspect_weight: float


@dataclass(frozen=True, slots=True)
class CompiledEvidence:
    test: Test
    weight: float
    because: str


@dataclass(frozen=True, slots=True)
class CompiledCause:
    cause: Cause
    evidence: tuple[CompiledEvidence, ...]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class CompiledAdvice:
    advice: Advice
    test: Test | None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class CompiledKnowledge:
    kb: KnowledgeBase
    rules: tuple[CompiledRule, ...]
    causes: tuple[CompiledCause, ...]
    advice: tuple[CompiledAdvice, ...]
    level_sources: dict[str, tuple[SourceRef, ...]]
    numeric_probes: dict[str, tuple[float, ...]]
    """For each number finding, values either side of every threshold the knowledge uses."""
    rule_findings: frozenset[str]
    rules_by_finding: dict[str, tuple[CompiledRule, ...]]


_CACHE: dict[int, CompiledKnowledge] = {}


def compiled(kb: KnowledgeBase) -> CompiledKnowledge:
    hit = _CACHE.get(id(kb))
    if hit is not None and hit.kb is kb:
        return hit
    result = _compile(kb)
    _CACHE[id(kb)] = result
    return result


def _refs(kb: KnowledgeBase, ids: tuple[str, ...]) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(s.id, s.citation, s.url, s.grade) for s in (kb.sources[i] for i in ids))


def _compile(kb: KnowledgeBase) -> CompiledKnowledge:
    rules = tuple(
        CompiledRule(
            r,
            compile_condition(r.when),
            LEVEL_RANK[r.level],
            _refs(kb, r.sources),
            kb.levels[r.level].suspect_weight,
        )
        for r in kb.rules
    )
    causes = tuple(
        CompiledCause(
            c,
            tuple(
                CompiledEvidence(compile_condition(e.when), e.weight, e.because) for e in c.evidence
            ),
            _refs(kb, c.sources),
        )
        for c in kb.causes
    )
    advice = tuple(
        CompiledAdvice(a, compile_condition(a.when) if a.when else None, _refs(kb, a.sources))
        for a in kb.advice
    )
    found: dict[str, set[float]] = {}
    for r in kb.rules:
        thresholds(r.when, found)
    for c in kb.causes:
        for e in c.evidence:
            thresholds(e.when, found)
    probes: dict[str, tuple[float, ...]] = {}
    for fid, values in found.items():
        finding = kb.findings.get(fid)
        if finding is None:
            continue
        low = finding.minimum if finding.minimum is not None else 0.0
        high = finding.maximum
        candidates = {low}
        for t in values:
            candidates |= {t - 1, t, t + 1}
        probes[fid] = tuple(
            sorted(v for v in candidates if v >= low and (high is None or v <= high))
        )
    rule_findings: set[str] = set()
    by_finding: dict[str, list[CompiledRule]] = {}
    for cr in rules:
        for fid in cr.rule.when.findings():
            rule_findings.add(fid)
            by_finding.setdefault(fid, []).append(cr)
    return CompiledKnowledge(
        kb=kb,
        rules=rules,
        causes=causes,
        advice=advice,
        level_sources={lvl: _refs(kb, info.sources) for lvl, info in kb.levels.items()},
        numeric_probes=probes,
        rule_findings=frozenset(rule_findings),
        rules_by_finding={fid: tuple(rs) for fid, rs in by_finding.items()},
    )
