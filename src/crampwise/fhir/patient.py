"""What crampwise can use of a FHIR Patient: an age and a sex, and nothing else.

The export's Patient is bare; a Patient from a health record (a CDS Hooks prefetch, say) may
carry a birth date and an administrative gender, which the check needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.knowledge.schema import AGE_MAX, AGE_MIN

_SEX_OF_GENDER = {"male": "male", "female": "female", "other": "other", "unknown": None}


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """Age in whole years and sex (female, male, other), each None when not known."""

    age: int | None = None
    sex: str | None = None


def patient_facts(
    patient: Mapping[str, Any] | None, *, today: date | None = None, prefix: str = "patient."
) -> PatientFacts:
    """The age (from ``birthDate``, at ``today``) and sex (from ``gender``) of a Patient.

    A partial birth date (``1958`` or ``1958-04``) gives the youngest age it allows.
    InvalidInputError names each malformed field.
    """
    if patient is None:
        return PatientFacts()
    problems: list[FieldProblem] = []
    if not isinstance(patient, Mapping) or patient.get("resourceType") != "Patient":
        found = (
            patient.get("resourceType") if isinstance(patient, Mapping) else type(patient).__name__
        )
        raise InvalidInputError(
            "not a FHIR Patient",
            [FieldProblem(prefix + "resourceType", f"must be 'Patient', got {found!r}")],
        )
    age = None
    if "birthDate" in patient:
        born = _birth_date(patient["birthDate"])
        if born is None:
            problems.append(
                FieldProblem(prefix + "birthDate", "must be a date: YYYY, YYYY-MM or YYYY-MM-DD")
            )
        else:
            now = today or date.today()
            age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
            if not AGE_MIN <= age <= AGE_MAX:
                problems.append(
                    FieldProblem(
                        prefix + "birthDate",
                        f"gives an age of {age}; crampwise takes {AGE_MIN} to {AGE_MAX}",
                    )
                )
    gender = patient.get("gender")
    if gender is not None and gender not in _SEX_OF_GENDER:
        problems.append(
            FieldProblem(
                prefix + "gender",
                f"{gender!r} is not allowed; allowed: {', '.join(_SEX_OF_GENDER)}",
            )
        )
    if problems:
        raise InvalidInputError("invalid Patient", problems)
    return PatientFacts(age, _SEX_OF_GENDER.get(gender) if isinstance(gender, str) else None)


def _birth_date(value: object) -> date | None:
    """The latest day a (possibly partial) FHIR date can mean: the youngest possible age."""
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(value) == 4:
            return date(int(value), 12, 31)
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            year, month = int(parts[0]), int(parts[1])
            following = date(year + month // 12, month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        return None
    return None
