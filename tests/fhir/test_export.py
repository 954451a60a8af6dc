"""The exported bundle: what the Symptoms IG requires, codes only from codes.yaml (or the
knowledge files), every crampwise code defined in a CodeSystem in the bundle, nothing about
the person that they did not give, and every entry valid for fhir.resources."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.fhir import load_codes
from crampwise.fhir.codes import CW_BASE
from crampwise.fhir.common import EXT_RESULT, EXT_TRIAGE
from crampwise.fhir.validate import structure_problems
from crampwise.knowledge import KnowledgeBase

Records = tuple[list[Episode], list[DayFactors], list[SavedAssessment]]


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codings(value: object) -> list[dict[str, Any]]:
    """Every Coding anywhere inside a JSON value."""
    if isinstance(value, dict):
        found = [value] if "system" in value and "code" in value else []
        return found + [c for v in value.values() for c in codings(v)]
    if isinstance(value, list):
        return [c for v in value for c in codings(v)]
    return []


def test_every_entry_is_valid_fhir_with_no_shortcut(good_bundle: dict[str, Any]) -> None:
    assert structure_problems(good_bundle, load_codes()) == []  # each entry, not one per shape
    assert good_bundle["type"] == "collection"
    assert good_bundle["timestamp"][10] == "T" and good_bundle["timestamp"][-6] in "+-"


def test_the_patient_is_bare(good_bundle: dict[str, Any]) -> None:
    [patient] = resources(good_bundle, "Patient")
    assert patient == {"resourceType": "Patient"}
    refs = {json.dumps(r.get("subject")) for r in resources(good_bundle, "Observation")}
    assert refs == {json.dumps({"reference": good_bundle["entry"][0]["fullUrl"]})}


def test_cramps_follow_the_symptoms_ig(good_bundle: dict[str, Any], records: Records) -> None:
    episodes = [
        o
        for o in resources(good_bundle, "Observation")
        if "valueCodeableConcept" in o and o["code"]["coding"][0]["code"] == "75325-1"
    ]
    assert len(episodes) == len(records[0])
    sites = {"toes": "29707007", "foot": "56459004", "calf": "30021000", "thigh": "68367000"}
    for obs, ep in zip(episodes, records[0], strict=True):
        assert obs["status"] == "final"
        assert obs["category"][0]["coding"][0] == {
            "system": "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary",
            "code": "symptom",
            "display": "Symptom",
        }
        assert obs["code"]["coding"][0]["system"] == "http://loinc.org"
        assert obs["valueCodeableConcept"]["coding"][0] == {
            "system": "http://snomed.info/sct",
            "code": "55300003",
            "display": "Cramp",
        }
        assert obs["performer"] == [obs["subject"]]
        start = datetime.fromisoformat(obs["effectivePeriod"]["start"])
        end = datetime.fromisoformat(obs["effectivePeriod"]["end"])
        assert start.replace(tzinfo=None) == ep.started_at  # the wall clock, with an offset
        assert abs(end - start - timedelta(minutes=ep.duration_minutes)) < timedelta(microseconds=2)
        if ep.sites[0] in sites:
            assert obs["bodySite"]["coding"][0]["code"] == sites[ep.sites[0]]
        severity = obs["component"][0]
        assert severity["code"]["coding"][0]["code"] == "72514-3"
        assert severity["valueInteger"] == ep.severity
        assert obs.get("note", [{}])[0].get("text") == ep.note


def test_every_code_is_in_codes_yaml_or_the_knowledge(
    good_bundle: dict[str, Any], kb: KnowledgeBase
) -> None:
    codes = load_codes()
    defined = {
        (cs["url"], c["code"]) for cs in resources(good_bundle, "CodeSystem") for c in cs["concept"]
    }
    listed = {(codes.url(c), c.code) for c in codes.concepts.values()}
    units = {("http://unitsofmeasure.org", "min")} | {
        ("http://unitsofmeasure.org", u.code) for u in codes.units.values()
    }
    for coding in codings(good_bundle):
        key = (coding["system"], coding["code"])
        if coding["system"].startswith(CW_BASE):
            assert key in defined, f"{key} is not defined in the bundle's CodeSystems"
        else:
            assert key in listed | units, f"{key} is not in codes.yaml"
    # the generated systems hold the knowledge base's ids
    causes = next(cs for cs in resources(good_bundle, "CodeSystem") if cs["url"].endswith("/cause"))
    assert [c["code"] for c in causes["concept"]] == list(kb.cause_ids)


def test_checks_are_a_response_and_a_risk_assessment(
    good_bundle: dict[str, Any], records: Records
) -> None:
    [questionnaire] = resources(good_bundle, "Questionnaire")

    def links(items: list[dict[str, Any]]) -> set[str]:
        return {i["linkId"] for i in items} | {x for i in items for x in links(i.get("item", []))}

    asked = links(questionnaire["item"])

    def every_link(items: list[dict[str, Any]]) -> list[str]:
        return [i["linkId"] for i in items] + [
            x for i in items for x in every_link(i.get("item", []))
        ]

    assert len(every_link(questionnaire["item"])) == len(asked)  # unique linkIds (que-2)
    responses, risks = (
        resources(good_bundle, "QuestionnaireResponse"),
        resources(good_bundle, "RiskAssessment"),
    )
    for response, risk, saved in zip(responses, risks, records[2], strict=True):
        answered = links(response["item"])
        assert answered <= asked
        assert set(saved.case["findings"]) <= answered  # answers by finding id
        assert response["questionnaire"].endswith("|" + saved.knowledge_version)
        level = next(e for e in risk["extension"] if e["url"] == EXT_TRIAGE)
        assert level["valueCodeableConcept"]["coding"][0]["code"] == saved.result["triage"]["level"]
        ranked = [p["outcome"]["coding"][0]["code"] for p in risk["prediction"]]
        assert ranked == [c["id"] for c in saved.result["causes"]]
        result = next(e for e in risk["extension"] if e["url"] == EXT_RESULT)
        assert json.loads(result["valueString"]) == saved.result
        assert "extension" not in response  # a clean case needs no JSON copy
    assert risks[1]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "emergency"


def test_days_are_a_panel_with_one_observation_per_factor(good_bundle: dict[str, Any]) -> None:
    observations = resources(good_bundle, "Observation")
    panels = [o for o in observations if o["code"]["coding"][0]["code"] == "diary-day"]
    assert [p["effectiveDateTime"] for p in panels] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert [len(p.get("hasMember", [])) for p in panels] == [4, 0, 6]
    exercise = next(o for o in observations if o["code"]["coding"][0]["code"] == "55411-3")
    assert exercise["valueQuantity"] == {
        "value": 30.0,
        "unit": "minutes",
        "system": "http://unitsofmeasure.org",
        "code": "min",
    }
    assert exercise["category"][0]["coding"][0]["code"] == "activity"


def test_two_exports_differ_only_in_their_timestamp(records: Records) -> None:
    from crampwise.fhir import build_bundle

    first, second = build_bundle(*records), build_bundle(*records, timestamp=datetime(2020, 1, 1))
    first.pop("timestamp"), second.pop("timestamp")
    assert first == second


def test_the_export_checks_what_fhir_resources_does_not(
    records: Records, good_bundle: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import crampwise.fhir.export as export
    from crampwise.errors import CrampwiseError

    real = export.episode_observation

    def careless(*args: Any) -> dict[str, Any]:
        obs = real(*args)
        obs["status"] = "bogus"  # fhir.resources takes it
        del obs["performer"]  # FHIR allows it; the Symptoms IG does not
        return obs

    monkeypatch.setattr(export, "episode_observation", careless)
    with pytest.raises(CrampwiseError) as caught:
        export.build_bundle(*records)
    found = {p.field for p in caught.value.problems}
    first = next(i for i, e in enumerate(good_bundle["entry"]) if "bodySite" in e["resource"])
    assert {f"entry[{first}].resource.status", f"entry[{first}].resource.performer"} <= found
