"""The reader's data: lexicon.yaml (phrases per finding) and context_rules.yaml (negation,
history, hypotheticals, someone else), validated by schemas that reject unknown keys and
cross-checked against the knowledge base, the way knowledge/loader.py loads its files.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crampwise.errors import FieldProblem, KnowledgeError
from crampwise.knowledge import KnowledgeBase
from crampwise.text.patterns import PatternError, phrase_regex

Category = Literal["negated", "historical", "hypothetical", "other_person", "pseudo"]
NumberReader = Literal[
    "episodes_per_week",
    "weeks_since_onset",
    "episode_minutes",
    "current_cramp_minutes",
    "severity",
    "pregnancy_weeks",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_phrases(value: tuple[str, ...]) -> tuple[str, ...]:
    for phrase in value:
        try:
            phrase_regex(phrase)
        except PatternError as exc:
            raise ValueError(str(exc)) from None
    return value


class PhraseRule(_Strict):
    """Phrases that state one value of a finding, with optional neighbourhood tests."""

    phrases: tuple[str, ...] = Field(min_length=1)
    value: bool | str | float = True
    near: tuple[str, ...] = ()
    """At least one of these must be within ``within`` words (same sentence)."""
    within: int = Field(default=6, ge=1, le=30)
    unless: tuple[str, ...] = ()
    """None of these may be within ``within`` words (same sentence)."""
    requires: tuple[str, ...] = ()
    """Finding ids that must be read as true too ("the session" counts only with dialysis)."""
    negated_only: bool = False
    """Only a denial counts ("no swelling"): the words alone never make the finding true."""

    _phrases = field_validator("phrases", "near", "unless")(_check_phrases)


class LexiconFinding(_Strict):
    id: str
    rules: tuple[PhraseRule, ...] = Field(min_length=1)
    history: Literal["keep", "drop"] | None = None
    """What a past mention means: 'keep' (a history counts, e.g. smoked for years) or
    'drop' (leave unknown). Default: 'keep' for health findings, 'drop' otherwise."""


class NumberFinding(_Strict):
    id: str
    reader: NumberReader


class InterviewOnly(_Strict):
    id: str
    why: str


class Implication(_Strict):
    """A finding read as true that settles another (dialysis means kidney disease)."""

    when: str
    then: str
    value: bool = True


class Fuzzy(_Strict):
    min_length: int = Field(ge=5)
    never: tuple[str, ...] = ()
    known_words: tuple[str, ...] = ()


class LexiconFile(_Strict):
    sources: tuple[str, ...] = Field(min_length=1)
    grade: Literal["A", "B", "C", "D"]
    anchors: tuple[str, ...] = Field(min_length=1)
    """Words that make a sentence about the cramps (numbers are read only there)."""
    findings: tuple[LexiconFinding, ...]
    numbers: tuple[NumberFinding, ...]
    interview_only: tuple[InterviewOnly, ...]
    implies: tuple[Implication, ...] = ()
    not_cramp_frequency: tuple[str, ...] = ()
    """Activities whose "N times a week" just before is not the cramps' frequency."""
    long_standing: tuple[str, ...] = ()
    """Findings whose durations are not the cramps' ("diabetes for twelve years")."""
    dating: tuple[str, ...] = ()
    """Findings whose dates do date the cramps ("started a new tablet five weeks ago")."""
    fuzzy: Fuzzy

    _anchors = field_validator("anchors", "not_cramp_frequency")(_check_phrases)


class ContextRule(_Strict):
    category: Category
    direction: Literal["forward", "backward"] = "forward"
    max_words: int = Field(default=6, ge=1, le=30)
    phrases: tuple[str, ...] = Field(min_length=1)

    _phrases = field_validator("phrases")(_check_phrases)


class ContextFile(_Strict):
    sources: tuple[str, ...] = Field(min_length=1)
    grade: Literal["A", "B", "C", "D"]
    terminators: tuple[str, ...] = Field(min_length=1)
    """Words that end a trigger's scope ("but", "although")."""
    list_comma_max_words: int = Field(ge=0, le=6)
    """A comma continues a scope only inside a short list ("no swelling, redness or pain")."""
    serious_max_words: int = Field(ge=1, le=30)
    clause_starts: tuple[str, ...] = ()
    """Words that, just after a comma, start a new clause: a scope stops there."""
    """A warning sign is read as denied only this close to the denial."""
    rules: tuple[ContextRule, ...] = Field(min_length=1)

    _terminators = field_validator("terminators")(_check_phrases)


def _data_dir() -> Path:
    return Path(str(resources.files("crampwise.knowledge") / "data"))


def _parse(model: type[BaseModel], path: Path) -> Any:
    try:
        # The C loader when PyYAML has it: the same safe subset, several times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except OSError as exc:
        raise KnowledgeError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: is not valid YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [
            FieldProblem(f"{path.name}: {'.'.join(str(p) for p in e['loc'])}", e["msg"])
            for e in exc.errors()
        ]
        raise KnowledgeError(f"{path.name}: invalid file", problems) from None


@cache
def _load_files(directory: Path) -> tuple[LexiconFile, ContextFile]:
    lexicon: LexiconFile = _parse(LexiconFile, directory / "lexicon.yaml")
    context: ContextFile = _parse(ContextFile, directory / "context_rules.yaml")
    return lexicon, context


def load_reader_data(
    kb: KnowledgeBase, directory: Path | None = None
) -> tuple[LexiconFile, ContextFile]:
    """Both files, validated and checked against ``kb`` (ids, values, sources)."""
    lexicon, context = _load_files(directory or _data_dir())
    problems = check_against(lexicon, context, kb)
    if problems:
        raise KnowledgeError(
            "lexicon.yaml / context_rules.yaml disagree with the knowledge base", problems
        )
    return lexicon, context


def check_against(
    lexicon: LexiconFile, context: ContextFile, kb: KnowledgeBase
) -> list[FieldProblem]:
    """Cross-file checks a schema cannot express."""
    problems: list[FieldProblem] = []
    for name, sources in (
        ("lexicon.yaml", lexicon.sources),
        ("context_rules.yaml", context.sources),
    ):
        for sid in sources:
            if sid not in kb.sources:
                problems.append(FieldProblem(f"{name}: sources", f"unknown source '{sid}'"))
    seen: dict[str, str] = {}

    def claim(fid: str, where: str) -> None:
        if fid not in kb.findings:
            problems.append(FieldProblem(where, f"unknown finding '{fid}'"))
        elif fid in seen:
            problems.append(FieldProblem(where, f"'{fid}' is already listed in {seen[fid]}"))
        seen[fid] = where

    for item in lexicon.findings:
        where = f"lexicon.yaml: findings[{item.id}]"
        claim(item.id, where)
        finding = kb.findings.get(item.id)
        if finding is None:
            continue
        for i, rule in enumerate(item.rules):
            for fid in rule.requires:
                if fid not in kb.findings:
                    problems.append(
                        FieldProblem(f"{where}.rules[{i}].requires", f"unknown finding '{fid}'")
                    )
            if finding.type == "bool":
                ok = isinstance(rule.value, bool)
            elif finding.type == "choice":
                ok = rule.value in finding.choices
            else:
                ok = isinstance(rule.value, float | int) and not isinstance(rule.value, bool)
            if not ok:
                problems.append(
                    FieldProblem(f"{where}.rules[{i}].value", f"not a value of '{item.id}'")
                )
    words_too = dict(seen)
    for num in lexicon.numbers:
        seen.pop(num.id, None)  # a number may have both a reader and phrases ("unbearable")
        claim(num.id, f"lexicon.yaml: numbers[{num.id}]")
    seen.update(words_too)
    for only in lexicon.interview_only:
        claim(only.id, f"lexicon.yaml: interview_only[{only.id}]")
    for fid in (*lexicon.long_standing, *lexicon.dating):
        if fid not in kb.findings:
            problems.append(
                FieldProblem("lexicon.yaml: long_standing/dating", f"unknown finding '{fid}'")
            )
    for imp in lexicon.implies:
        for fid in (imp.when, imp.then):
            if fid not in kb.findings:
                problems.append(FieldProblem("lexicon.yaml: implies", f"unknown finding '{fid}'"))
    for fid in kb.findings:
        if fid not in seen:
            problems.append(
                FieldProblem(
                    "lexicon.yaml",
                    f"'{fid}' has no phrases: add them, or list it under interview_only",
                )
            )
    return problems


__all__ = [
    "ContextFile",
    "ContextRule",
    "LexiconFile",
    "LexiconFinding",
    "PhraseRule",
    "check_against",
    "load_reader_data",
]
