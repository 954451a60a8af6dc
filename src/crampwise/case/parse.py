"""Turn untrusted input (a dict from JSON or YAML, or a file) into a validated Case.

Every problem is collected, so the user sees each offending key at once, with what is allowed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from crampwise.case.model import FORMAT, Case, allowed_for, check_finding_value, validate_case
from crampwise.errors import FieldProblem, InvalidInputError, read_text_file
from crampwise.knowledge import KnowledgeBase

__all__ = ["allowed_for", "check_finding_value", "load_case_data", "parse_case", "read_case_file"]

TOP_LEVEL_KEYS = ("format", "age", "sex", "findings")


def parse_case(raw: object, kb: KnowledgeBase, where: str = "") -> Case:
    """Validate a case mapping; raise InvalidInputError naming every offending key.

    The checks are the Case model's; this adds the file's envelope (``format``, unknown keys).
    """
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
    data = {k: v for k, v in raw.items() if k in _FIELDS}
    if "sex" in data and data["sex"] is None:
        del data["sex"]
    if not problems:
        return validate_case(data, kb, prefix)
    try:
        validate_case(data, kb, prefix)
    except InvalidInputError as exc:
        problems += exc.problems
    raise InvalidInputError(f"{prefix}the case is not valid", problems)


_FIELDS = frozenset(("age", "sex", "findings"))


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
