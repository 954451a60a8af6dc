"""Pydantic models for the knowledge files. Unknown keys are errors everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The one definition of the triage levels and their order, least urgent first; the words for
# each level live in triage_rules.yaml (`levels`).
TriageLevel = Literal["self_care", "doctor", "urgent", "emergency"]
TRIAGE_ORDER: tuple[TriageLevel, ...] = get_args(TriageLevel)
LEVEL_RANK: Mapping[str, int] = {level: rank for rank, level in enumerate(TRIAGE_ORDER)}
"""A level's urgency as a number (0 = self_care … 3 = emergency), for comparing levels."""

Grade = Literal["A", "B", "C", "D"]
SEXES: tuple[str, ...] = ("female", "male", "other")
# A person's age in years, as the case format allows it: the one definition of the bounds.
AGE_MIN, AGE_MAX = 0, 120
FindingType = Literal["bool", "number", "integer", "choice"]

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
SourceId = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    id: SourceId
    citation: str
    url: str
    kind: Literal["seed", "guideline", "systematic_review", "trial", "study", "reference"]
    grade: Grade


class GradeDefinition(Strict):
    grade: Grade
    meaning: str


class Finding(Strict):
    """One id of the case-format vocabulary."""

    id: Id
    type: FindingType
    group: Literal["where_when", "how", "serious", "health"]
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Finding:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice finding needs 'choices'")
        if self.type != "choice" and self.choices:
            raise ValueError("only a choice finding may have 'choices'")
        if self.type == "bool" and (self.minimum is not None or self.maximum is not None):
            raise ValueError("a bool finding takes no 'minimum' or 'maximum'")
        return self


class Condition(Strict):
    """A tri-state test over findings: exactly one of all / any / finding.

    A bare string in YAML, ``site_calf``, means ``{finding: site_calf, is: true}``.
    ``age`` and ``sex`` may be tested like findings.
    """

    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    finding: Id | None = None
    is_: bool | str | None = Field(default=None, alias="is")
    one_of: tuple[str, ...] | None = Field(default=None, alias="in")
    gte: float | None = None
    gt: float | None = None
    lte: float | None = None
    lt: float | None = None
    if_unknown: Literal[True] | None = None
    """Hold while the finding is unknown too: the test fails only on an answer that says
    otherwise ("fires unless the person explicitly said no")."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"finding": value, "is": True}
        return value

    @model_validator(mode="after")
    def _exactly_one_form(self) -> Condition:
        forms = [self.all is not None, self.any is not None, self.finding is not None]
        if sum(forms) != 1:
            raise ValueError("a condition has exactly one of 'all', 'any' or 'finding'")
        tests = [self.is_, self.one_of, self.gte, self.gt, self.lte, self.lt]
        chosen = sum(t is not None for t in tests)
        if self.finding is not None and chosen != 1:
            raise ValueError(
                "a 'finding' condition needs exactly one of is / in / gte / gt / lte / lt"
            )
        if self.finding is None and (chosen or self.if_unknown is not None):
            raise ValueError("is / in / gte / gt / lte / lt / if_unknown go with 'finding'")
        if (self.all is not None and not self.all) or (self.any is not None and not self.any):
            raise ValueError("'all' and 'any' need at least one condition")
        return self

    def findings(self) -> set[str]:
        """Every finding id this condition reads."""
        if self.finding is not None:
            return {self.finding}
        out: set[str] = set()
        for child in self.all or self.any or ():
            out |= child.findings()
        return out

    def holds_if_unknown(self) -> set[str]:
        """The findings this condition reads with ``if_unknown`` (held while unknown)."""
        if self.finding is not None:
            return {self.finding} if self.if_unknown else set()
        out: set[str] = set()
        for child in self.all or self.any or ():
            out |= child.holds_if_unknown()
        return out

    def tests_for_no(self) -> bool:
        """True if some branch fires on an explicit 'no' (``is: false``)."""
        if self.finding is not None:
            return self.is_ is False
        return any(child.tests_for_no() for child in self.all or self.any or ())


class Evidence(Strict):
    """One finding pattern that moves a cause up (positive weight) or down (negative)."""

    when: Condition
    weight: float
    because: str


class Cause(Strict):
    id: Id
    name: str
    explanation: str
    prior: float
    serious: bool = False
    evidence: tuple[Evidence, ...]
    sources: tuple[SourceId, ...] = Field(min_length=1)
    grade: Grade


class TriageRule(Strict):
    id: Id
    level: TriageLevel
    when: Condition
    unless: Condition | None = None
    """A changeable, benign explanation of the pattern: when it holds, the rule does not apply
    (the advice then says when to see a doctor if the change does not help)."""
    reason: str
    suspects: tuple[Id, ...] = ()
    sources: tuple[SourceId, ...] = Field(min_length=1)
    grade: Grade


class Advice(Strict):
    id: Id
    kind: Literal["relief", "prevention", "avoid", "seek_care"]
    text: str
    causes: tuple[Id, ...] = ()
    when: Condition | None = None
    levels: tuple[TriageLevel, ...] = TRIAGE_ORDER
    seek_level: TriageLevel | None = None
    sources: tuple[SourceId, ...] = Field(min_length=1)
    grade: Grade

    @model_validator(mode="after")
    def _seek_level(self) -> Advice:
        if (self.kind == "seek_care") != (self.seek_level is not None):
            raise ValueError("'seek_level' is required for seek_care advice and only there")
        return self


class ChecklistItem(Strict):
    finding: Id
    label: str


class Question(Strict):
    id: Id
    kind: Literal["checklist", "yes_no", "number", "choice"]
    text: str
    help: str | None = None
    screening: bool = False
    finding: Id | None = None
    items: tuple[ChecklistItem, ...] = ()
    option_labels: dict[str, str] = Field(default_factory=dict)
    relevant_when: Condition | None = None
    """Ask only once this holds; with ask_if_unknown, also while it is still unknown."""
    ask_if_unknown: bool = False
    not_applicable: bool = False
    """Offer a "does not apply" answer (e.g. no cramp right now); the finding stays unknown."""
    plan_depends: bool = False
    """The plan depends on this answer (advice that changes in pregnancy, say): ask it when it
    could change the outcome at all, even past the interview's budget for cause questions."""
    sources: tuple[SourceId, ...] = ()

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.kind == "checklist":
            if not self.items or self.finding is not None:
                raise ValueError("a checklist has 'items' and no 'finding'")
        elif self.finding is None or self.items:
            raise ValueError(f"a {self.kind} question has one 'finding' and no 'items'")
        if self.not_applicable and self.kind != "number":
            # In the terminal "n" answers it, which a yes/no question needs for "no".
            raise ValueError("only a number question may offer 'not_applicable'")
        return self

    def finding_ids(self) -> tuple[str, ...]:
        if self.finding is not None:
            return (self.finding,)
        return tuple(item.finding for item in self.items)


class SourcesFile(Strict):
    grades: tuple[GradeDefinition, ...]
    sources: tuple[Source, ...]


class FindingsFile(Strict):
    findings: tuple[Finding, ...]


class CausesFile(Strict):
    causes: tuple[Cause, ...]


class LevelInfo(Strict):
    """What a triage level asks the person to do, in plain words."""

    level: TriageLevel
    suspect_weight: float = Field(ge=0)
    """Added to each cause a fired rule of this level suspects (the largest, not the sum)."""
    name: str
    """The level in a word or two ("Urgent"): the terminal banner, and beside warning signs."""
    label: str
    """The level as the web page names it: the name, with a word on what to do if need be."""
    headline: str
    action: str
    unanswered_headline: str | None = None
    unanswered_action: str | None = None
    """Said instead of ``headline``/``action`` when warning signs that would raise the level
    were left unanswered, so the result never reads as an all-clear it is not."""
    sources: tuple[SourceId, ...] = Field(min_length=1)
    grade: Grade


class TriageRulesFile(Strict):
    levels: tuple[LevelInfo, ...]
    rules: tuple[TriageRule, ...]


class AdviceFile(Strict):
    disclaimer: str
    advice: tuple[Advice, ...]


class QuestionsFile(Strict):
    questions: tuple[Question, ...]
