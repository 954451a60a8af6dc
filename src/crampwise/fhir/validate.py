"""Checking a Bundle: FHIR's structure with fhir.resources (R4B classes, which read and
write R4-compatible JSON), plus what that library does not enforce: the required value sets
of status and type elements (it accepts ``status: "bogus"``) and unique entry fullUrls.

fhir.resources is imported here, inside the functions, never at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crampwise.errors import CrampwiseError, FieldProblem, field_path
from crampwise.fhir.codes import Codes

# element of a resource -> where its code is (resource key)
_BOUND = {
    "Observation": ("status",),
    "RiskAssessment": ("status",),
    "QuestionnaireResponse": ("status",),
    "Questionnaire": ("status",),
    "CodeSystem": ("status", "content"),
    "Patient": ("gender",),
}


def structure_problems(
    bundle: Mapping[str, Any], codes: Codes, *, by_shape: bool = False
) -> list[FieldProblem]:
    """Every problem of the Bundle's FHIR structure and required codes, each with its path.

    ``by_shape`` (for crampwise's own export) validates one entry per distinct shape: the same
    keys, the same value types, and strings of digits with the same pattern (a date with or
    without fractional seconds is another shape). Entries of one shape come from the same
    code, so the rest add time (about 1.5 ms each) and no information. Input is never
    validated this way.
    """
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    checked = dict(bundle)
    entries = bundle.get("entry")
    where = list(range(len(entries))) if isinstance(entries, list) else []
    if by_shape and isinstance(entries, list):
        shapes: dict[str, int] = {}
        for i, entry in enumerate(entries):
            shapes.setdefault(_shape(entry), i)
        where = sorted(shapes.values())
        checked["entry"] = [entries[i] for i in where]
    problems: list[FieldProblem] = []
    try:
        Bundle.model_validate(checked)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = [p for p in err["loc"] if isinstance(p, int) or not str(p).startswith("func")]
            if (
                len(loc) > 1
                and loc[0] == "entry"
                and isinstance(loc[1], int)
                and loc[1] < len(where)
            ):
                loc[1] = where[loc[1]]
            problems.append(FieldProblem(field_path(loc), _plain(err["msg"])))
    return problems + binding_problems(bundle, codes)


_DIGITS = re.compile(r"[0-9]")
_NUMERIC_TEXT = re.compile(r"^[0-9:+\-TZ.]*$")


def _shape(value: object) -> str:
    """A fingerprint of a JSON value's structure (see :func:`structure_problems`)."""
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{_shape(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_shape(v) for v in value) + "]"
    if isinstance(value, str):
        return _DIGITS.sub("9", value) if _NUMERIC_TEXT.match(value) else "s"
    return type(value).__name__


def binding_problems(bundle: Mapping[str, Any], codes: Codes) -> list[FieldProblem]:
    """Status and type codes outside FHIR R4's required value sets; repeated fullUrls."""
    problems: list[FieldProblem] = []
    allowed = codes.required_bindings
    kind = bundle.get("type")
    if kind not in allowed["Bundle.type"]:
        problems.append(FieldProblem("type", _not_in(kind, allowed["Bundle.type"])))
    seen: set[str] = set()
    entries = bundle.get("entry")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, Mapping):
            continue
        url = entry.get("fullUrl")
        if isinstance(url, str):
            if url in seen:
                problems.append(FieldProblem(f"entry[{i}].fullUrl", "is used by another entry"))
            seen.add(url)
        resource = entry.get("resource")
        if not isinstance(resource, Mapping):
            continue
        rtype = resource.get("resourceType")
        for element in _BOUND.get(str(rtype), ()):
            if element not in resource:
                continue
            value, codes_allowed = resource[element], allowed[f"{rtype}.{element}"]
            if value not in codes_allowed:
                where = f"entry[{i}].resource.{element}"
                problems.append(FieldProblem(where, _not_in(value, codes_allowed)))
    return problems


def _not_in(value: object, allowed: tuple[str, ...]) -> str:
    return f"{value!r} is not allowed; allowed: {', '.join(allowed)}"


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")


def check_export(bundle: Mapping[str, Any], codes: Codes) -> None:
    """The export must validate: anything else is a bug in crampwise, said as such."""
    from crampwise.fhir.common import Problems
    from crampwise.fhir.episodes import check_symptom_ig, is_symptom_observation

    problems = structure_problems(bundle, codes, by_shape=True)
    ig = Problems()
    for i, entry in enumerate(bundle.get("entry") or []):
        resource = entry["resource"]
        if resource["resourceType"] == "Observation" and is_symptom_observation(resource, codes):
            check_symptom_ig(resource, codes, f"entry[{i}].resource.", ig)
    problems += ig.items
    if problems:
        raise CrampwiseError("internal error: the FHIR export does not validate", problems[:20])
