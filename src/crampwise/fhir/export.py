"""The whole diary as one FHIR R4 Bundle of type collection, validated before it is written.

Entries, in order: the Patient (no name, identifier, birth date or gender: the diary has
none, and none is invented), crampwise's CodeSystems, the check's Questionnaire, one Symptoms
IG Observation per cramp, per recorded day a panel Observation with one Observation per
factor, and per saved check a QuestionnaireResponse and a RiskAssessment. Entries are named
by ``urn:uuid:`` fullUrls, the same for the same diary, so two exports differ only in
``timestamp``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.fhir.checks_out import (
    check_resources,
    generated_code_systems,
    questionnaire,
    static_code_systems,
)
from crampwise.fhir.codes import Codes, load_codes
from crampwise.fhir.common import fhir_datetime
from crampwise.fhir.episodes import episode_observation

if TYPE_CHECKING:
    from crampwise.diary.store import DiaryStore
    from crampwise.knowledge import KnowledgeBase

_NAMESPACE = uuid.UUID("5d9b2a3e-8f1c-4c55-9a57-3c2f0e7b6d41")  # crampwise's, for uuid5


def _full_url(kind: str, index: int) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{index}')}"


def build_bundle(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    assessments: Sequence[SavedAssessment],
    *,
    kb: KnowledgeBase | None = None,
    codes: Codes | None = None,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The Bundle (JSON-ready dicts), checked with fhir.resources and crampwise's own rules."""
    from crampwise.fhir.validate import check_export
    from crampwise.knowledge import load_knowledge

    kb, codes = kb or load_knowledge(), codes or load_codes()
    patient = _full_url("patient", 0)
    entries: list[tuple[str, dict[str, Any]]] = [(patient, {"resourceType": "Patient"})]
    systems = static_code_systems(codes) + generated_code_systems(kb)
    entries += [(_full_url("codesystem", i), cs) for i, cs in enumerate(systems)]
    entries.append((_full_url("questionnaire", 0), questionnaire(kb, codes)))
    entries += [
        (_full_url("episode", i), episode_observation(ep, codes, patient))
        for i, ep in enumerate(episodes)
    ]
    for i, day in enumerate(days):
        entries += _day_entries(day, i, codes, patient)
    for i, saved in enumerate(assessments):
        response_url = _full_url("response", i)
        response, risk = check_resources(saved, kb, codes, patient, response_url)
        entries += [(response_url, response), (_full_url("risk", i), risk)]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": fhir_datetime((timestamp or datetime.now()).replace(microsecond=0)),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }
    check_export(bundle, codes)
    return bundle


def _day_entries(
    day: DayFactors, index: int, codes: Codes, patient: str
) -> list[tuple[str, dict[str, Any]]]:
    """A day's panel Observation (its note) and one Observation per factor value."""
    when = day.day.isoformat()
    members: list[tuple[str, dict[str, Any]]] = []
    for j, (factor_id, value) in enumerate(day.values.items()):
        concept_id = f"factor.{factor_id}"
        if concept_id not in codes.concepts:
            raise InvalidInputError(
                "the diary cannot be exported as FHIR",
                [FieldProblem(f"days[{when}].{factor_id}", "this factor has no FHIR code")],
            )
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [codes.concept(codes.factor_category(factor_id))],
            "code": codes.concept(concept_id),
            "subject": {"reference": patient},
            "effectiveDateTime": when,
            "performer": [{"reference": patient}],
        }
        obs.update(_factor_value(factor_id, value, codes))
        members.append((_full_url(f"day/{index}/factor", j), obs))
    panel: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [codes.concept("category.social_history")],
        "code": codes.concept("diary_day"),
        "subject": {"reference": patient},
        "effectiveDateTime": when,
        "performer": [{"reference": patient}],
    }
    if members:
        panel["hasMember"] = [{"reference": url} for url, _ in members]
    if day.note is not None:
        panel["note"] = [{"text": day.note}]
    return [(_full_url("day", index), panel), *members]


def _factor_value(factor_id: str, value: object, codes: Codes) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, str):
        return {"valueCodeableConcept": codes.concept(f"choice.{factor_id}.{value}")}
    unit = codes.units[factor_id]
    return {
        "valueQuantity": {
            "value": value,
            "unit": unit.unit,
            "system": "http://unitsofmeasure.org",
            "code": unit.code,
        }
    }


def export_bundle(store: DiaryStore) -> dict[str, Any]:
    """Everything in the diary as a validated FHIR Bundle."""
    return build_bundle(store.list_episodes(), store.list_days(), store.list_assessments())


def write_bundle(store: DiaryStore, out: TextIO) -> dict[str, int]:
    """Write the diary's Bundle as JSON; returns how many cramps, days and checks it holds."""
    episodes, days, saved = store.list_episodes(), store.list_days(), store.list_assessments()
    bundle = build_bundle(episodes, days, saved)
    # One entry per line, like the JSON export: readable, diffable, and fast (an indented
    # dump would use the json module's pure-Python encoder, about ten times slower).
    head = {k: v for k, v in bundle.items() if k != "entry"}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": [')
    for i, entry in enumerate(bundle["entry"]):
        out.write(("\n " if i == 0 else ",\n ") + json.dumps(entry, ensure_ascii=False))
    out.write("\n]}\n")
    return {"episodes": len(episodes), "days": len(days), "assessments": len(saved)}
