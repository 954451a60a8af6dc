"""Remedies a person may test, held as data (knowledge/data/remedies.yaml).

The file is validated by a strict schema (unknown keys are errors) and cross-checked against
the knowledge base: every source id must be in sources.yaml and every ``not_for`` condition
must test findings of findings.yaml, the same vocabulary as the assessment's case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from crampwise.errors import KnowledgeError
from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.knowledge.loader import _Checker, _data_dir, _index, _parse, _read_yaml
from crampwise.knowledge.schema import (
    LEVEL_RANK,
    Condition,
    Grade,
    Id,
    SourceId,
    Strict,
    TriageLevel,
)

When = Literal["before_bed", "active_days", "daytime", "daily"]
WHEN_LABELS: Mapping[str, str] = {
    "before_bed": "before bed",
    "active_days": "on active or hot days",
    "daytime": "all day",
    "daily": "once a day",
}
"""How the timing of a remedy reads in a sentence ("Do it before bed")."""

FILENAME = "remedies.yaml"


class NotFor(Strict):
    """Who should not try a remedy: a condition over the latest assessment's findings."""

    when: Condition
    reason: str


class Remedy(Strict):
    id: Id
    name: str
    how: str
    """What to do, in plain words."""
    when: When
    block_days: int = Field(ge=2, le=28)
    washout_days: int = Field(ge=0, le=14)
    evidence: str
    """What trials show for people in general, in plain words."""
    cautions: tuple[str, ...] = ()
    not_for: tuple[NotFor, ...] = ()
    sources: tuple[SourceId, ...] = Field(min_length=1)
    grade: Grade

    @model_validator(mode="after")
    def _counted_days(self) -> Remedy:
        if self.block_days < self.washout_days + 2:
            raise ValueError("block_days must leave at least 2 counted days after the washout")
        return self

    @property
    def when_label(self) -> str:
        return WHEN_LABELS[self.when]

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``crampwise experiment remedies --json``)."""
        return {
            "id": self.id,
            "name": self.name,
            "how": self.how,
            "when": self.when,
            "when_label": self.when_label,
            "block_days": self.block_days,
            "washout_days": self.washout_days,
            "evidence": self.evidence,
            "cautions": list(self.cautions),
            "not_for": [n.reason for n in self.not_for],
            "sources": list(self.sources),
            "grade": self.grade,
        }


class Excluded(Strict):
    """A treatment crampwise never sets up as a self-test (quinine), and why."""

    id: Id
    name: str
    reason: str
    sources: tuple[SourceId, ...] = Field(min_length=1)
    grade: Grade

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "reason": self.reason,
            "sources": list(self.sources),
            "grade": self.grade,
        }


class RemediesFile(Strict):
    pause_from_level: TriageLevel = "urgent"
    """A latest assessment at this triage level or above rules out every experiment: the sign
    behind it needs care first, not a self-test."""
    design_sources: tuple[SourceId, ...] = Field(min_length=1)
    """What the design, the analysis and the caveats follow (AHRQ guide, CENT 2015, PREEMPT)."""
    remedies: tuple[Remedy, ...] = Field(min_length=1)
    excluded: tuple[Excluded, ...] = ()


@dataclass(frozen=True)
class Remedies:
    """The validated remedies file."""

    remedies: dict[str, Remedy]
    excluded: dict[str, Excluded]
    pause_from_level: TriageLevel
    design_sources: tuple[str, ...]


def load_remedy_file(path: Path | None = None, kb: KnowledgeBase | None = None) -> Remedies:
    """Load and cross-check remedies.yaml (the packaged one by default, cached).

    Raises KnowledgeError naming the file, the item and the field of every problem.
    """
    if path is None and kb is None:
        return _packaged()
    return _load(path or _data_dir() / FILENAME, kb or load_knowledge())


def load_remedies(path: Path | None = None, kb: KnowledgeBase | None = None) -> dict[str, Remedy]:
    """The remedies a person may test, by id, in file order."""
    return load_remedy_file(path, kb).remedies


@cache
def _packaged() -> Remedies:
    return _load(_data_dir() / FILENAME, load_knowledge())


def _load(path: Path, kb: KnowledgeBase) -> Remedies:
    parsed = _parse(RemediesFile, _read_yaml(path), path.name)
    check = _Checker(kb.findings, kb.sources)
    remedies = _index(parsed.remedies, f"{path.name}: remedies", check.problems)
    excluded = _index(parsed.excluded, f"{path.name}: excluded", check.problems)
    for rid in sorted(set(remedies) & set(excluded)):
        check.problem(f"{path.name}: excluded[{rid}]", "is also listed as a remedy")
    for remedy in remedies.values():
        where = f"{path.name}: remedies[{remedy.id}]"
        check.cites(where, remedy.sources)
        for i, item in enumerate(remedy.not_for):
            check.condition(f"{where}.not_for[{i}].when", item.when)
    check.cites(f"{path.name}: design_sources", parsed.design_sources)
    for item in excluded.values():
        check.cites(f"{path.name}: excluded[{item.id}]", item.sources)
    if check.problems:
        raise KnowledgeError(f"{path.name}: invalid remedies file", check.problems)
    return Remedies(remedies, excluded, parsed.pause_from_level, parsed.design_sources)


def _facts(case: Any) -> dict[str, Any]:
    """Findings (plus age and sex) of a Case, of a case's JSON object, or of a bare mapping."""
    if case is None:
        return {}
    if isinstance(case, Mapping):
        raw = case.get("findings") if "findings" in case else case
        facts = dict(raw) if isinstance(raw, Mapping) else {}
        for key in ("age", "sex"):
            if key in case and "findings" in case:
                facts[key] = case[key]
        return facts
    facts = dict(getattr(case, "findings", {}))
    for key in ("age", "sex"):
        if getattr(case, key, None) is not None:
            facts[key] = getattr(case, key)
    return facts


def eligible(
    remedy: Remedy,
    case: Any,
    kb: KnowledgeBase | None = None,
    remedies: Remedies | None = None,
) -> list[str]:
    """Reasons this person should not try ``remedy``; an empty list means it may be tried.

    ``case`` is the latest assessment's case: a :class:`crampwise.case.Case`, its JSON object
    (``{"age": …, "findings": {…}}``), a mapping of findings, or None (no assessment: only the
    remedy's general cautions apply). A ``not_for`` condition rules the remedy out only when
    the findings say it holds; an unknown finding is not read as "yes". Any triage rule of the
    file's ``pause_from_level`` or above (an urgent or emergency warning sign) rules out every
    experiment until the sign has been checked.
    """
    from crampwise.engine.conditions import compile_condition
    from crampwise.engine.triage import fired_rules

    kb = kb or load_knowledge()
    remedies = remedies or load_remedy_file()
    facts = _facts(case)
    reasons = [
        item.reason for item in remedy.not_for if compile_condition(item.when)(facts) is True
    ]
    if facts:
        floor = LEVEL_RANK[remedies.pause_from_level]
        for rule in fired_rules(kb.compiled, facts):
            if rule.rank >= floor:
                level = kb.levels[rule.rule.level].name.lower()
                reasons.append(
                    f"Your latest assessment found a warning sign that needs {level} care first:"
                    f" {rule.rule.reason} Test remedies only once it has been checked."
                )
    return list(dict.fromkeys(reasons))
