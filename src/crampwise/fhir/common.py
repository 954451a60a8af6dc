"""What the FHIR export and import share: URLs, date-times and reading untrusted JSON.

The diary keeps local wall-clock times without an offset; FHIR requires an offset on any
date-time with a time. The export writes the wall-clock digits unchanged with this machine's
offset at that moment, and the import keeps the digits as written and drops the offset, so
a round trip is exact even across daylight-saving changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timezone
from typing import Any

from crampwise.errors import FieldProblem
from crampwise.fhir.codes import CW_BASE, Codes

EXTENSION = CW_BASE + "/StructureDefinition/"
EXT_RESULT = EXTENSION + "check-result"
"""The saved check's full result (crampwise JSON), so an import gets back exactly what was saved."""
EXT_CASE = EXTENSION + "check-case"
"""The saved check's answers as crampwise JSON, when they do not all fit the Questionnaire."""
EXT_TRIAGE = EXTENSION + "triage-level"
QUESTIONNAIRE_URL = CW_BASE + "/Questionnaire/crampwise-check"
CAUSE_SYSTEM = CW_BASE + "/CodeSystem/cause"
TRIAGE_SYSTEM = CW_BASE + "/CodeSystem/triage-level"
ANSWER_SYSTEM = CW_BASE + "/CodeSystem/finding-answer"
SYMPTOM_PROFILE = "http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation"
FHIR_JSON = "application/fhir+json"
MAX_ENTRIES = 1_000_000
"""Entries a bundle may have: far above any diary, far below what would exhaust memory."""


def fhir_datetime(wall: datetime) -> str:
    """The wall-clock time with this machine's UTC offset at that moment, digits unchanged."""
    if wall.tzinfo is not None:
        return wall.isoformat()
    offset = wall.astimezone().utcoffset()
    return wall.replace(tzinfo=timezone(offset) if offset is not None else UTC).isoformat()


def wall_clock(value: object) -> datetime | None:
    """The wall-clock digits of a FHIR dateTime with a time (its offset dropped), or None."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def fhir_date(value: object) -> date | None:
    """A full date (YYYY-MM-DD) from a FHIR date or dateTime without a time."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def codings(value: object) -> list[Mapping[str, Any]]:
    """The codings of a CodeableConcept (an empty list for anything else)."""
    if not isinstance(value, Mapping):
        return []
    found = value.get("coding")
    return [c for c in found if isinstance(c, Mapping)] if isinstance(found, list) else []


def role_of(codes: Codes, concept: object, prefix: str) -> str | None:
    """The first coding of a CodeableConcept that crampwise knows, as its concept id."""
    for coding in codings(concept):
        found = codes.role(coding.get("system"), coding.get("code"), prefix)
        if found is not None:
            return found
    return None


def has_coding(concept: object, system: str, code: str) -> bool:
    return any(c.get("system") == system and c.get("code") == code for c in codings(concept))


def shown(concept: object) -> str:
    """A CodeableConcept in a message: its codings as system|code."""
    found = [f"{c.get('system')}|{c.get('code')}" for c in codings(concept)]
    return ", ".join(found) if found else "no coding"


class Problems:
    """FieldProblems gathered while reading one bundle."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(FieldProblem(where, message))

    def __bool__(self) -> bool:
        return bool(self.items)
