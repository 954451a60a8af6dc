"""The one loader for the knowledge files: parse, validate, cross-check, index.

Every problem is reported as ``file: item[id].field: what is wrong``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crampwise.errors import FieldProblem, KnowledgeError
from crampwise.knowledge.schema import (
    SEXES,
    TRIAGE_ORDER,
    Advice,
    AdviceFile,
    Cause,
    CausesFile,
    Condition,
    Finding,
    FindingsFile,
    GradeDefinition,
    LevelInfo,
    Question,
    QuestionsFile,
    Source,
    SourcesFile,
    TriageRule,
    TriageRulesFile,
)

# age and sex are not findings but may be tested by conditions.
PSEUDO_FINDINGS = {"age": "number", "sex": "choice"}

FILES = ("sources", "findings", "causes", "triage_rules", "advice", "questions")

M = TypeVar("M", bound=BaseModel)

if TYPE_CHECKING:
    from crampwise.engine.compiled import CompiledKnowledge


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the engine knows, validated and indexed."""

    version: str
    grades: dict[str, GradeDefinition]
    sources: dict[str, Source]
    findings: dict[str, Finding]
    causes: tuple[Cause, ...]
    rules: tuple[TriageRule, ...]
    advice: tuple[Advice, ...]
    questions: tuple[Question, ...]
    levels: dict[str, LevelInfo]
    disclaimer: str
    cause_by_id: dict[str, Cause] = field(repr=False)
    question_by_id: dict[str, Question] = field(repr=False)

    @property
    def cause_ids(self) -> tuple[str, ...]:
        """The case format's cause ids: those of causes.yaml, so a new cause is one entry."""
        return tuple(self.cause_by_id)

    @cached_property
    def compiled(self) -> CompiledKnowledge:
        """The engine's fast form of this knowledge, built on first use and kept with it."""
        from crampwise.engine.compiled import compile_knowledge

        return compile_knowledge(self)


def _data_dir() -> Path:
    return Path(str(resources.files("crampwise.knowledge") / "data"))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnowledgeError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: is not valid YAML: {exc}") from exc


def _describe_loc(raw: Any, loc: Sequence[int | str]) -> str:
    """Turn a pydantic location into ``causes[pad].evidence[2].when`` using item ids."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and key < len(node) else None
            label = item.get("id") if isinstance(item, dict) else None
            if label is None and isinstance(item, dict) and "finding" in item:
                label = item["finding"]
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label if label else key}]"]
            node = item
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def _parse(model: type[M], raw: Any, filename: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if p not in ("function-after[_from_string(), Condition]",)]
            # pydantic adds internal tags for validators; keep only real keys and indices.
            clean = [p for p in loc if isinstance(p, int) or not str(p).startswith("function-")]
            problems.append(FieldProblem(f"{filename}: {_describe_loc(raw, clean)}", err["msg"]))
        raise KnowledgeError(f"{filename}: invalid knowledge file", problems) from None


class _Checker:
    """Cross-file checks that a schema alone cannot express."""

    def __init__(self, findings: dict[str, Finding], sources: dict[str, Source]) -> None:
        self.findings = findings
        self.sources = sources
        self.problems: list[FieldProblem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(FieldProblem(where, message))

    def cites(self, where: str, source_ids: Iterable[str]) -> None:
        for sid in source_ids:
            if sid not in self.sources:
                self.problem(f"{where}.sources", f"unknown source '{sid}'")

    def finding(self, where: str, fid: str) -> None:
        if fid not in self.findings:
            self.problem(where, f"unknown finding '{fid}'; see findings.yaml for the allowed ids")

    def condition(self, where: str, cond: Condition) -> None:
        if cond.finding is None:
            for i, child in enumerate(cond.all or cond.any or ()):
                self.condition(f"{where}.{'all' if cond.all else 'any'}[{i}]", child)
            return
        fid = cond.finding
        ftype = PSEUDO_FINDINGS.get(fid) or (
            self.findings[fid].type if fid in self.findings else None
        )
        if ftype is None:
            self.finding(f"{where}.finding", fid)
            return
        numeric = (cond.gte, cond.gt, cond.lte, cond.lt)
        if ftype == "bool" and cond.is_ not in (True, False):
            self.problem(
                where, f"'{fid}' is a yes/no finding: test it with 'is: true' or 'is: false'"
            )
        if ftype in ("number", "integer") and all(v is None for v in numeric):
            self.problem(where, f"'{fid}' is a number: test it with gte / gt / lte / lt")
        if ftype == "choice":
            allowed = SEXES if fid == "sex" else self.findings[fid].choices
            values = cond.one_of or ((cond.is_,) if isinstance(cond.is_, str) else ())
            if not values:
                self.problem(where, f"'{fid}' is a choice: test it with 'is' or 'in'")
            for v in values:
                if v not in allowed:
                    self.problem(
                        where, f"'{v}' is not a choice of '{fid}'; allowed: {', '.join(allowed)}"
                    )


def load_knowledge(directory: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge files; cached for the packaged directory."""
    if directory is None:
        return _load_packaged()
    return _load(directory)


@cache
def _load_packaged() -> KnowledgeBase:
    return _load(_data_dir())


class _Files:
    """The six knowledge files, parsed, with the digest of their bytes."""

    def __init__(self, directory: Path) -> None:
        raw: dict[str, Any] = {}
        digest = hashlib.sha256()
        for name in FILES:
            path = directory / f"{name}.yaml"
            raw[name] = _read_yaml(path)
            digest.update(path.read_bytes())
        self.digest = digest.hexdigest()
        self.sources = _parse(SourcesFile, raw["sources"], "sources.yaml")
        self.findings = _parse(FindingsFile, raw["findings"], "findings.yaml")
        self.causes = _parse(CausesFile, raw["causes"], "causes.yaml")
        self.rules = _parse(TriageRulesFile, raw["triage_rules"], "triage_rules.yaml")
        self.advice = _parse(AdviceFile, raw["advice"], "advice.yaml")
        self.questions = _parse(QuestionsFile, raw["questions"], "questions.yaml")


def _load(directory: Path) -> KnowledgeBase:
    files = _Files(directory)
    problems: list[FieldProblem] = []
    sources = _index(files.sources.sources, "sources.yaml: sources", problems)
    findings = _index(files.findings.findings, "findings.yaml: findings", problems)
    causes = _index(files.causes.causes, "causes.yaml: causes", problems)
    rules = _index(files.rules.rules, "triage_rules.yaml: rules", problems)
    _index(files.advice.advice, "advice.yaml: advice", problems)
    questions = _index(files.questions.questions, "questions.yaml: questions", problems)

    check = _Checker(findings, sources)
    check.problems = problems
    _check_causes(check, causes)
    covered = _check_rules(check, rules, causes)
    levels: dict[str, LevelInfo] = {info.level: info for info in files.rules.levels}
    _check_levels(check, levels)
    for fid, finding in findings.items():
        if finding.group == "serious" and fid not in covered:
            check.problem("triage_rules.yaml: rules", f"no rule covers the serious sign '{fid}'")
    _check_advice(check, files.advice.advice, causes)
    _check_questions(check, questions)
    if check.problems:
        raise KnowledgeError("the knowledge base is inconsistent", check.problems)

    return KnowledgeBase(
        version=f"kb-{files.digest[:12]}",
        grades={g.grade: g for g in files.sources.grades},
        sources=sources,
        findings=findings,
        causes=tuple(causes.values()),
        rules=tuple(rules.values()),
        advice=files.advice.advice,
        questions=files.questions.questions,
        levels=levels,
        disclaimer=files.advice.disclaimer,
        cause_by_id=causes,
        question_by_id=questions,
    )


def _check_causes(check: _Checker, causes: dict[str, Cause]) -> None:
    for cause in causes.values():
        where = f"causes.yaml: causes[{cause.id}]"
        check.cites(where, cause.sources)
        for i, ev in enumerate(cause.evidence):
            check.condition(f"{where}.evidence[{i}].when", ev.when)


def _check_rules(
    check: _Checker, rules: dict[str, TriageRule], causes: dict[str, Cause]
) -> set[str]:
    """Check every rule; returns the findings the rules read."""
    covered: set[str] = set()
    serious = {fid for fid, f in check.findings.items() if f.group == "serious"}
    explaining: set[str] = set()
    held_if_unknown: set[str] = set()
    for rule in rules.values():
        where = f"triage_rules.yaml: rules[{rule.id}]"
        check.cites(where, rule.sources)
        check.condition(f"{where}.when", rule.when)
        if rule.when.tests_for_no():
            # A rule that fires on "no" would let a newly reported sign lower the urgency.
            check.problem(f"{where}.when", "triage rules may not fire on 'is: false'")
        for fid in sorted(rule.when.holds_if_unknown() & serious):
            # A "no" to a warning sign must never be what lowers the level.
            check.problem(f"{where}.when", f"'if_unknown' may not test the warning sign '{fid}'")
        held_if_unknown |= rule.when.holds_if_unknown()
        if rule.unless is not None:
            _check_unless(check, where, rule, serious)
            explaining |= rule.unless.findings()
        for cid in rule.suspects:
            if cid not in causes:
                check.problem(f"{where}.suspects", f"unknown cause '{cid}'")
        covered |= rule.when.findings()
    for fid in sorted(explaining & held_if_unknown):
        # Then an unknown explanation would count like a "no", and a "no" like a "yes".
        check.problem(
            "triage_rules.yaml: rules", f"'{fid}' is read by an 'unless' and with 'if_unknown'"
        )
    return covered


def _check_unless(check: _Checker, where: str, rule: TriageRule, serious: set[str]) -> None:
    """An explanation may only set aside a routine review, never a warning sign."""
    assert rule.unless is not None
    check.condition(f"{where}.unless", rule.unless)
    if rule.level != "doctor":
        check.problem(f"{where}.unless", "only a 'doctor' rule may have an 'unless'")
    if rule.unless.tests_for_no() or rule.unless.holds_if_unknown():
        check.problem(
            f"{where}.unless", "an explanation must be reported: no 'is: false' or 'if_unknown'"
        )
    for part, cond in (("when", rule.when), ("unless", rule.unless)):
        for fid in sorted(cond.findings() & serious):
            check.problem(f"{where}.{part}", f"a rule with 'unless' may not read '{fid}'")


def _check_levels(check: _Checker, levels: dict[str, LevelInfo]) -> None:
    for level in TRIAGE_ORDER:
        if level not in levels:
            check.problem("triage_rules.yaml: levels", f"missing the level '{level}'")
    for info in levels.values():
        where = f"triage_rules.yaml: levels[{info.level}]"
        check.cites(where, info.sources)
        if info.unanswered_headline is not None and info.unanswered_action is None:
            check.problem(f"{where}.unanswered_headline", "needs an unanswered_action too")


def _check_advice(check: _Checker, advice: Iterable[Advice], causes: dict[str, Cause]) -> None:
    for item in advice:
        where = f"advice.yaml: advice[{item.id}]"
        check.cites(where, item.sources)
        for cid in item.causes:
            if cid not in causes:
                check.problem(f"{where}.causes", f"unknown cause '{cid}'")
        if item.when is not None:
            check.condition(f"{where}.when", item.when)


# The finding type each kind of single-finding question can ask.
_ASKS = {"number": ("number", "integer"), "choice": ("choice",), "yes_no": ("bool",)}


def _check_questions(check: _Checker, questions: dict[str, Question]) -> None:
    findings = check.findings
    asked: set[str] = set()
    for q in questions.values():
        where = f"questions.yaml: questions[{q.id}]"
        check.cites(where, q.sources)
        for fid in q.finding_ids():
            check.finding(where, fid)
            if fid in asked:
                check.problem(where, f"finding '{fid}' is asked by two questions")
            asked.add(fid)
        if q.relevant_when is not None:
            check.condition(f"{where}.relevant_when", q.relevant_when)
        if q.kind == "choice" and q.finding in findings:
            choices = findings[q.finding].choices
            if set(q.option_labels) != set(choices):
                check.problem(f"{where}.option_labels", f"label each of: {', '.join(choices)}")
        if q.kind in _ASKS and q.finding in findings:
            if findings[q.finding].type not in _ASKS[q.kind]:
                check.problem(where, f"a {q.kind} question cannot ask '{q.finding}'")
        if q.kind == "checklist":
            for item in q.items:
                if item.finding in findings and findings[item.finding].type != "bool":
                    check.problem(where, f"checklist item '{item.finding}' is not a yes/no finding")
    for fid in findings:
        if fid not in asked:
            check.problem("questions.yaml: questions", f"no question asks '{fid}'")


def _index(items: Iterable[Any], where: str, problems: list[FieldProblem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.id in out:
            problems.append(FieldProblem(f"{where}[{item.id}]", "duplicate id"))
        out[item.id] = item
    return out
