"""Turn untrusted input (a dict from JSON or YAML, or a file) into a validated Case.

Every problem is collected, so the user sees each offending key at once, with what is allowed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml

from crampwise.case.model import FORMAT, SEXES, Case, FindingValue
from crampwise.errors import FieldProblem, InvalidInputError, read_text_file
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Finding

TOP_LEVEL_KEYS = ("format", "age", "sex", "findings")


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


def parse_case(raw: object, kb: KnowledgeBase, where: str = "") -> Case:
    """Validate a case mapping; raise InvalidInputError naming every offending key."""
    prefix = f"{where}: " if where else ""
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{prefix}a case must be an object with 'age' and 'findings'")
    problems: list[FieldProblem] = []
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            problems.append(
                FieldProblem(str(key), f"unknown key; allowed: {', '.join(TOP_LEVEL_KEYS)}")
            )
    if "format" in raw and raw["format"] != FORMAT:
        problems.append(FieldProblem("format", f"must be '{FORMAT}' when present"))
    age = raw.get("age")
    if "age" not in raw:
        problems.append(FieldProblem("age", "is required: years, a number from 0 to 120"))
    elif not _is_number(age) or not 0 <= age <= 120:  # type: ignore[operator]
        problems.append(FieldProblem("age", f"{age!r} is not allowed: a number from 0 to 120"))
    sex = raw.get("sex")
    if sex is not None and sex not in SEXES:
        problems.append(FieldProblem("sex", f"{sex!r} is not allowed: one of {', '.join(SEXES)}"))
    findings_raw = raw.get("findings", {})
    findings: dict[str, FindingValue] = {}
    if not isinstance(findings_raw, dict):
        problems.append(FieldProblem("findings", "must be an object of finding id to value"))
    else:
        for key, value in findings_raw.items():
            finding = kb.findings.get(key)
            if finding is None:
                problems.append(
                    FieldProblem(
                        f"findings.{key}",
                        "unknown finding id; see the case format for the vocabulary"
                        " (for example site_calf, timing_night, severity)",
                    )
                )
                continue
            checked = check_finding_value(finding, value)
            if checked is None:
                problems.append(
                    FieldProblem(
                        f"findings.{key}",
                        f"{json.dumps(value)} is not allowed: {allowed_for(finding)}",
                    )
                )
            else:
                findings[key] = checked
    if problems:
        raise InvalidInputError(f"{prefix}the case is not valid", problems)
    assert isinstance(age, int | float)
    return Case(age=float(age), sex=sex, findings=findings)


def load_case_data(path: Path) -> Any:
    """Read a case file as JSON, or as YAML when it is named .yaml/.yml."""
    text = read_text_file(path)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            return yaml.safe_load(text)
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"{path}: not valid YAML: {exc}") from None


def read_case_file(path: Path, kb: KnowledgeBase) -> Case:
    return parse_case(load_case_data(path), kb, where=str(path))
