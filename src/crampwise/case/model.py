"""The case: what is known about one person's cramps at one moment (crampwise-case/1).

:class:`Case` is the one definition of a case and its checks. Building one checks the age,
the sex and the shape of the findings; :func:`validate_case` also checks each finding
against the knowledge base's vocabulary (passed in: the model loads no files).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, cast

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic.dataclasses import dataclass
from pydantic_core import SchemaValidator

from crampwise.checks import Messages, Where, context_value, problems_of, raising, refuse, trusted
from crampwise.errors import InvalidInputError

# Re-exported: the case format's values, defined once in the knowledge schema.
from crampwise.knowledge.schema import AGE_MAX as AGE_MAX
from crampwise.knowledge.schema import AGE_MIN as AGE_MIN
from crampwise.knowledge.schema import SEXES as SEXES

if TYPE_CHECKING:
    from crampwise.knowledge import KnowledgeBase
    from crampwise.knowledge.schema import Finding

FORMAT = "crampwise-case/1"

FindingValue = bool | float | int | str


def _is_number(value: object) -> bool:
    # bool is an int in Python; the case format keeps yes/no and numbers apart.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def allowed_for(finding: Finding) -> str:
    """Plain words for the values a finding takes."""
    if finding.type == "bool":
        return "true or false"
    if finding.type == "choice":
        return "one of " + ", ".join(f"'{c}'" for c in finding.choices)
    kind = "a whole number" if finding.type == "integer" else "a number"
    low, high = finding.minimum, finding.maximum
    if low is not None and high is not None:
        return f"{kind} from {low:g} to {high:g}"
    if low is not None:
        return f"{kind} of at least {low:g}"
    return kind


def check_finding_value(finding: Finding, value: object) -> FindingValue | None:
    """The value if it is allowed for this finding, else None."""
    if finding.type == "bool":
        return value if isinstance(value, bool) else None
    if finding.type == "choice":
        return value if isinstance(value, str) and value in finding.choices else None
    if not _is_number(value):
        return None
    assert isinstance(value, int | float)
    if finding.type == "integer" and value != int(value):
        return None
    if finding.minimum is not None and value < finding.minimum:
        return None
    if finding.maximum is not None and value > finding.maximum:
        return None
    return int(value) if finding.type == "integer" else value


def _findings(value: object, info: ValidationInfo) -> dict[str, FindingValue]:
    """Finding id -> value; with a knowledge base in the context, each id and value is
    checked against its vocabulary (every offending finding is named)."""
    if not isinstance(value, dict):
        raise refuse("must be an object of finding id to value")
    kb: KnowledgeBase | None = context_value(info, "kb")
    problems: list[tuple[Where, str]] = []
    if kb is None:
        for key, item in value.items():
            if not isinstance(key, str) or not (isinstance(item, bool | str) or _is_number(item)):
                problems.append(((str(key),), f"{item!r} is not a finding value"))
        if problems:
            raise refuse("", *problems)
        return dict(value)
    checked: dict[str, FindingValue] = {}
    for key, item in value.items():
        finding = kb.findings.get(key)
        if finding is None:
            message = (
                "unknown finding id; see the case format for the vocabulary"
                " (for example site_calf, timing_night, severity)"
            )
            problems.append(((str(key),), message))
            continue
        ok = check_finding_value(finding, item)
        if ok is None:
            problems.append(((key,), f"{json.dumps(item)} is not allowed: {allowed_for(finding)}"))
        else:
            checked[key] = ok
    if problems:
        raise refuse("", *problems)
    return checked


def _sex(value: str) -> str:
    if value not in SEXES:
        raise refuse(f"{value!r} is not allowed: one of {', '.join(SEXES)}")
    return value


_AGE_RULE = f"a number from {AGE_MIN} to {AGE_MAX}"
CASE_MESSAGES: Messages = {
    "age": {
        "missing": f"is required: years, {_AGE_RULE}",
        "*": lambda v: f"{v!r} is not allowed: {_AGE_RULE}",
    },
    "sex": {"*": lambda v: f"{v!r} is not allowed: one of {', '.join(SEXES)}"},
}


@raising("the case is not valid", CASE_MESSAGES)
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class Case:
    """A validated case. A finding missing from ``findings`` is unknown, not ``False``."""

    age: Annotated[float, Strict(), Field(ge=AGE_MIN, le=AGE_MAX, allow_inf_nan=False)]
    sex: Annotated[str, Strict(), AfterValidator(_sex)] | None = None
    findings: Annotated[
        Mapping[str, FindingValue], PlainValidator(_findings), WithJsonSchema({"type": "object"})
    ] = Field(default_factory=dict)

    def with_findings(self, updates: Mapping[str, FindingValue | None]) -> Case:
        """A copy with findings set (a value) or made unknown again (``None``).

        Not re-checked: the interview calls this on every step with answers it has checked.
        """
        merged: dict[str, FindingValue] = dict(self.findings)
        for key, value in updates.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return trusted(Case, age=self.age, sex=self.sex, findings=merged)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT, "age": self.age}
        if self.sex is not None:
            out["sex"] = self.sex
        out["findings"] = dict(self.findings)
        return out


_CASE: SchemaValidator = getattr(Case, "__pydantic_validator__")  # noqa: B009  (no 2nd build)


def validate_case(data: Mapping[str, Any], kb: KnowledgeBase, prefix: str = "") -> Case:
    """A Case from a mapping of its fields, each finding checked against ``kb``."""
    try:
        return cast(Case, _CASE.validate_python(data, context={"kb": kb}))
    except ValidationError as exc:
        problems = problems_of(exc, Case, CASE_MESSAGES)
        raise InvalidInputError(f"{prefix}the case is not valid", problems) from None


__all__ = [
    "AGE_MAX",
    "AGE_MIN",
    "FORMAT",
    "SEXES",
    "Case",
    "FindingValue",
    "allowed_for",
    "check_finding_value",
    "validate_case",
]
