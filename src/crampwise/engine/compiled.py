"""The knowledge base compiled once into fast tests.

Built by ``KnowledgeBase.compiled`` on first use and kept with that knowledge base, so the
engine holds no cache of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from crampwise.engine.conditions import Test, bare_yes, compile_condition, compile_rule, thresholds
from crampwise.engine.result import PlanItem, SourceRef, UnknownSign
from crampwise.knowledge.loader import KnowledgeBase
from crampwise.knowledge.schema import LEVEL_RANK, TRIAGE_ORDER, Advice, Cause, TriageRule


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: TriageRule
    test: Test
    rank: int
    sources: tuple[str, ...]
    suspect_weight: float
    order: int
    """Position in the knowledge file, to list rules of one level in a stable order."""


@dataclass(frozen=True, slots=True)
class CompiledEvidence:
    test: Test
    weight: float
    because: str


@dataclass(frozen=True, slots=True)
class CompiledCause:
    cause: Cause
    evidence: tuple[CompiledEvidence, ...]
    sources: tuple[str, ...]
    # Evidence that is a bare "finding is yes", indexed by finding, so scoring a case only
    # looks up the findings it has; everything else is tested one by one.
    simple: dict[str, tuple[CompiledEvidence, ...]]
    complex: tuple[CompiledEvidence, ...]


@dataclass(frozen=True, slots=True)
class CompiledAdvice:
    advice: Advice
    test: Test | None
    view: PlanItem
    levels: frozenset[str]
    causes: frozenset[str]


@dataclass(frozen=True)
class CompiledKnowledge:
    kb: KnowledgeBase
    rules: tuple[CompiledRule, ...]
    causes: tuple[CompiledCause, ...]
    priors: tuple[float, ...]
    cause_index: dict[str, int]
    evidence_by_finding: dict[str, tuple[tuple[int, float], ...]]
    """Bare "finding is yes" evidence of every cause: finding -> (cause index, weight)."""
    complex_evidence: tuple[tuple[int, CompiledEvidence], ...]
    advice: tuple[CompiledAdvice, ...]
    advice_by_level_kind: dict[str, tuple[tuple[CompiledAdvice, ...], ...]]
    """Per level: (relief, prevention, avoid, seek_care), seek_care most urgent first."""
    references: dict[str, SourceRef]
    numeric_probes: dict[str, tuple[float, ...]]
    """For each number finding, values either side of every threshold the knowledge uses."""
    simple_rules: dict[str, tuple[CompiledRule, ...]]
    """Rules that are a bare "finding is yes", by finding."""
    complex_rules: tuple[CompiledRule, ...]
    relevance: dict[str, Test]
    """Each question's compiled ``relevant_when``, by question id."""
    serious: tuple[tuple[str, int, tuple[CompiledRule, ...], tuple[UnknownSign, ...]], ...]
    """Per serious sign: id, the highest rank of its bare rules (-1 if none), the combined rules
    that read it (most urgent first), and its result entry for each level, built once."""
    explained: tuple[tuple[Test, Test, frozenset[str]], ...] = ()
    """Per rule with an ``unless``: its ``when`` test, its ``unless`` test and the findings the
    ``unless`` reads (the interview asks for a possible explanation of a rule that fires)."""


def _compile_cause(cause: Cause) -> CompiledCause:
    evidence = tuple(
        CompiledEvidence(compile_condition(e.when), e.weight, e.because) for e in cause.evidence
    )
    simple: dict[str, list[CompiledEvidence]] = {}
    complex_: list[CompiledEvidence] = []
    for raw, compiled_ev in zip(cause.evidence, evidence, strict=True):
        leaf = bare_yes(raw.when)
        if leaf is None:
            complex_.append(compiled_ev)
        else:
            simple.setdefault(leaf, []).append(compiled_ev)
    return CompiledCause(
        cause,
        evidence,
        cause.sources,
        {fid: tuple(ws) for fid, ws in simple.items()},
        tuple(complex_),
    )


def _evidence_by_finding(
    causes: tuple[CompiledCause, ...],
) -> dict[str, tuple[tuple[int, float], ...]]:
    out: dict[str, list[tuple[int, float]]] = {}
    for index, cc in enumerate(causes):
        for fid, evidence in cc.simple.items():
            out.setdefault(fid, []).extend((index, ev.weight) for ev in evidence)
    return {fid: tuple(pairs) for fid, pairs in out.items()}


def _advice_for(
    advice: tuple[CompiledAdvice, ...], level: str
) -> tuple[tuple[CompiledAdvice, ...], ...]:
    here = [a for a in advice if level in a.levels]

    def kind(name: str) -> list[CompiledAdvice]:
        return [a for a in here if a.advice.kind == name]

    seek = sorted(kind("seek_care"), key=lambda a: -LEVEL_RANK[a.advice.seek_level or "self_care"])
    return (tuple(kind("relief")), tuple(kind("prevention")), tuple(kind("avoid")), tuple(seek))


def _compile_rules(kb: KnowledgeBase) -> tuple[CompiledRule, ...]:
    return tuple(
        CompiledRule(
            r,
            compile_rule(r.when, r.unless),
            LEVEL_RANK[r.level],
            r.sources,
            kb.levels[r.level].suspect_weight,
            order,
        )
        for order, r in enumerate(kb.rules)
    )


def _compile_advice(kb: KnowledgeBase) -> tuple[CompiledAdvice, ...]:
    return tuple(
        CompiledAdvice(
            a,
            compile_condition(a.when) if a.when else None,
            PlanItem(a.id, a.text, a.sources, a.grade, a.seek_level),
            frozenset(a.levels),
            frozenset(a.causes),
        )
        for a in kb.advice
    )


def _numeric_probes(kb: KnowledgeBase) -> dict[str, tuple[float, ...]]:
    """For each number finding, values either side of every threshold the knowledge uses."""
    found: dict[str, set[float]] = {}
    for r in kb.rules:
        thresholds(r.when, found)
        if r.unless is not None:
            thresholds(r.unless, found)
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
    return probes


def _split_rules(
    rules: tuple[CompiledRule, ...],
) -> tuple[dict[str, tuple[CompiledRule, ...]], tuple[CompiledRule, ...]]:
    """Rules that are a bare "finding is yes", by finding; and every other rule."""
    simple: dict[str, list[CompiledRule]] = {}
    complex_: list[CompiledRule] = []
    for cr in rules:
        leaf = bare_yes(cr.rule.when) if cr.rule.unless is None else None
        if leaf is None:
            complex_.append(cr)
        else:
            simple.setdefault(leaf, []).append(cr)
    return {fid: tuple(rs) for fid, rs in simple.items()}, tuple(complex_)


def _serious(
    kb: KnowledgeBase,
    simple_rules: dict[str, tuple[CompiledRule, ...]],
    complex_rules: tuple[CompiledRule, ...],
) -> tuple[tuple[str, int, tuple[CompiledRule, ...], tuple[UnknownSign, ...]], ...]:
    return tuple(
        (
            f.id,
            max((r.rank for r in simple_rules.get(f.id, ())), default=-1),
            tuple(
                sorted(
                    (r for r in complex_rules if f.id in r.rule.when.findings()),
                    key=lambda r: -r.rank,
                )
            ),
            tuple(UnknownSign(f.id, f.meaning, level) for level in TRIAGE_ORDER),
        )
        for f in kb.findings.values()
        if f.group == "serious"
    )


def compile_knowledge(kb: KnowledgeBase) -> CompiledKnowledge:
    """Compile a knowledge base; use ``kb.compiled``, which does this once per knowledge base."""
    rules = _compile_rules(kb)
    causes = tuple(_compile_cause(c) for c in kb.causes)
    advice = _compile_advice(kb)
    simple_rules, complex_rules = _split_rules(rules)
    return CompiledKnowledge(
        kb=kb,
        rules=rules,
        causes=causes,
        priors=tuple(cc.cause.prior for cc in causes),
        cause_index={cc.cause.id: i for i, cc in enumerate(causes)},
        evidence_by_finding=_evidence_by_finding(causes),
        complex_evidence=tuple((i, ev) for i, cc in enumerate(causes) for ev in cc.complex),
        advice=advice,
        advice_by_level_kind={level: _advice_for(advice, level) for level in TRIAGE_ORDER},
        references={s.id: SourceRef(s.id, s.citation, s.url, s.grade) for s in kb.sources.values()},
        numeric_probes=_numeric_probes(kb),
        simple_rules=simple_rules,
        complex_rules=complex_rules,
        relevance={
            q.id: compile_condition(q.relevant_when)
            for q in kb.questions
            if q.relevant_when is not None
        },
        serious=_serious(kb, simple_rules, complex_rules),
        explained=tuple(
            (compile_condition(r.when), compile_condition(r.unless), frozenset(r.unless.findings()))
            for r in kb.rules
            if r.unless is not None
        ),
    )
