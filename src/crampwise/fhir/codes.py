"""The FHIR codes crampwise uses (data/codes.yaml), validated and indexed.

Every code has its system, code, display and how it was checked against a published source.
The loader rejects unknown keys and checks that every word of the diary's vocabularies (sites,
sides, activities, actions, factors and their choices) has a code, so a new site or factor
cannot be exported without one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crampwise.errors import FieldProblem, KnowledgeError

CW_BASE = "https://crampwise.example/fhir"
"""The stable base of crampwise's own CodeSystem and StructureDefinition URLs."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeSystemInfo(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    url: str
    title: str
    defined_here: bool = False
    description: str | None = None

    @model_validator(mode="after")
    def _own(self) -> CodeSystemInfo:
        if self.defined_here != self.url.startswith(CW_BASE + "/CodeSystem/"):
            raise ValueError(f"a system is defined_here exactly when its url is under {CW_BASE}")
        if self.defined_here and not self.description:
            raise ValueError("a system defined here needs a description")
        return self


class Concept(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    system: str
    code: str = Field(min_length=1)
    display: str = Field(min_length=1)
    checked: Literal["published", "secondary", "defined_here"]
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _source(self) -> Concept:
        if (self.checked == "defined_here") != (self.source is None):
            raise ValueError(
                "a code checked against a source names its source (a key of references); "
                "a code defined here has none"
            )
        return self


class Unit(_Strict):
    code: str
    unit: str


class _CodesFile(_Strict):
    systems: tuple[CodeSystemInfo, ...]
    references: dict[str, str]
    concepts: tuple[Concept, ...]
    required_bindings: dict[str, tuple[str, ...]]
    units: dict[str, Unit]
    factor_categories: dict[str, str]


class Codes:
    """Lookups both ways: a role (``site.calf``) to its code, and a code back to its role."""

    def __init__(self, data: _CodesFile) -> None:
        self.systems = {s.id: s for s in data.systems}
        self.references = dict(data.references)
        self.concepts = {c.id: c for c in data.concepts}
        self.required_bindings = dict(data.required_bindings)
        self.units = dict(data.units)
        self.factor_categories = dict(data.factor_categories)
        self._by_code = {(self.url(c), c.code): c for c in data.concepts}

    def url(self, concept: Concept) -> str:
        return self.systems[concept.system].url

    def get(self, concept_id: str) -> Concept:
        return self.concepts[concept_id]

    def coding(self, concept_id: str) -> dict[str, str]:
        """The FHIR Coding of a concept."""
        c = self.concepts[concept_id]
        return {"system": self.url(c), "code": c.code, "display": c.display}

    def concept(self, concept_id: str) -> dict[str, object]:
        """The FHIR CodeableConcept of a concept (one coding)."""
        return {"coding": [self.coding(concept_id)]}

    def role(self, system: object, code: object, prefix: str = "") -> str | None:
        """The concept id of ``system``/``code`` (only among ids starting with ``prefix``)."""
        found = self._by_code.get((str(system), str(code)))
        if found is None or not found.id.startswith(prefix):
            return None
        return found.id

    def in_system(self, system_id: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.system == system_id]

    def factor_category(self, factor_id: str) -> str:
        return self.factor_categories.get(factor_id, self.factor_categories["default"])


def load_codes(path: Path | None = None) -> Codes:
    """The validated codes file (cached for the packaged one)."""
    return _load(path or Path(str(resources.files("crampwise.fhir") / "data" / "codes.yaml")))


@cache
def _load(path: Path) -> Codes:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = _CodesFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{name}: cannot be read: {exc}") from exc
    except ValidationError as exc:
        problems = [
            FieldProblem(f"{name}: " + ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in exc.errors()
        ]
        raise KnowledgeError(f"{name}: invalid FHIR codes", problems) from None
    codes = Codes(data)
    problems = _cross_check(codes, data)
    if problems:
        raise KnowledgeError(f"{name}: invalid FHIR codes", problems)
    return codes


def _cross_check(codes: Codes, data: _CodesFile) -> list[FieldProblem]:
    from crampwise.diary.factors import load_factors
    from crampwise.diary.vocabulary import ACTIONS, ACTIVITIES, SIDES, SITES
    from crampwise.knowledge.schema import SEXES

    problems: list[FieldProblem] = []

    def bad(where: str, message: str) -> None:
        problems.append(FieldProblem(f"codes.yaml: {where}", message))

    labelled = (
        ("concepts", [c.id for c in data.concepts]),
        ("systems", [s.id for s in data.systems]),
    )
    for label, ids in labelled:
        for dupe in sorted({i for i in ids if ids.count(i) > 1}):
            bad(f"{label}[{dupe}]", "is listed more than once")
    if len(codes._by_code) != len(data.concepts):
        bad("concepts", "two concepts share a system and code")
    for c in data.concepts:
        if c.system not in codes.systems:
            bad(f"concepts[{c.id}].system", f"unknown system; allowed: {', '.join(codes.systems)}")
        elif codes.systems[c.system].defined_here != (c.checked == "defined_here"):
            bad(f"concepts[{c.id}].checked", "is defined_here exactly when its system is")
        if c.source is not None and c.source not in codes.references:
            allowed = ", ".join(codes.references)
            bad(f"concepts[{c.id}].source", f"unknown reference; allowed: {allowed}")
    factors = load_factors()
    wanted = [f"site.{s}" for s in SITES] + [f"side.{s}" for s in SIDES]
    wanted += [f"activity.{a}" for a in ACTIVITIES] + [f"action.{a}" for a in ACTIONS]
    wanted += [f"factor.{f.id}" for f in factors]
    wanted += [f"choice.{f.id}.{c}" for f in factors for c in f.choices]
    wanted += list(_REQUIRED) + [f"sex.{s}" for s in SEXES]
    for concept_id in wanted:
        if concept_id not in codes.concepts:
            bad("concepts", f"no code for {concept_id!r}: every diary word needs one")
    for f in factors:
        if f.type == "number" and f.id not in codes.units:
            bad("units", f"no UCUM unit for the number factor {f.id!r}")
    for key, concept_id in codes.factor_categories.items():
        if concept_id not in codes.concepts:
            bad(f"factor_categories.{key}", f"unknown concept {concept_id!r}")
    if "default" not in codes.factor_categories:
        bad("factor_categories", "needs a default")
    return problems


# Concepts the export and import refer to by name.
_REQUIRED = (
    "symptom_category",
    "symptom_code",
    "cramp",
    "severity_rating",
    "finding_site",
    "laterality",
    "other_event",
    "duration",
    "action_taken",
    "helped",
    "diary_day",
    "check",
)
