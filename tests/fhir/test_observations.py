"""The reading functions for a CDS Hooks prefetch: cramps among any Observations, and the age
and sex of a Patient."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from crampwise.errors import InvalidInputError
from crampwise.fhir import episodes_from_observations, patient_facts
from crampwise.fhir.patient import PatientFacts


def _observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]


def test_cramps_are_read_and_everything_else_skipped(
    good_bundle: dict[str, Any], records: Any
) -> None:
    resources = _observations(good_bundle)
    headache = copy.deepcopy(resources[0])
    headache["valueCodeableConcept"] = {
        "coding": [{"system": "http://snomed.info/sct", "code": "25064002"}]
    }
    withdrawn = copy.deepcopy(resources[0])
    withdrawn["status"] = "entered-in-error"
    found = episodes_from_observations(
        [headache, {"resourceType": "Patient"}, withdrawn, *resources]
    )
    assert found == list(records[0])  # the factor Observations and the headache are skipped


def test_problems_are_named_with_the_prefix(good_bundle: dict[str, Any]) -> None:
    cramp = copy.deepcopy(_observations(good_bundle)[0])
    del cramp["effectivePeriod"]
    cramp["component"][0]["valueInteger"] = -1
    with pytest.raises(InvalidInputError) as caught:
        episodes_from_observations([{"resourceType": "Patient"}, cramp], prefix="prefetch.cramps")
    fields = {p.field for p in caught.value.problems}
    assert {
        "prefetch.cramps[1].effectivePeriod",
        "prefetch.cramps[1].component[0].valueInteger",
    } <= fields


def test_an_end_time_stands_in_for_the_duration(good_bundle: dict[str, Any]) -> None:
    cramp = copy.deepcopy(_observations(good_bundle)[0])
    cramp["component"] = [
        c for c in cramp["component"] if c["code"]["coding"][0]["code"] != "duration"
    ]
    [episode] = episodes_from_observations([cramp])
    assert episode.duration_minutes == 2.5


@pytest.mark.parametrize(
    ("patient", "facts"),
    [
        (None, PatientFacts()),
        ({"resourceType": "Patient"}, PatientFacts()),
        (
            {"resourceType": "Patient", "birthDate": "1958-06-15", "gender": "female"},
            PatientFacts(67, "female"),
        ),
        (
            {"resourceType": "Patient", "birthDate": "1958-06-16", "gender": "unknown"},
            PatientFacts(66, None),
        ),
        (
            {"resourceType": "Patient", "birthDate": "1958-06", "gender": "male"},
            PatientFacts(66, "male"),  # born by 30 June at the latest: the youngest age
        ),
        ({"resourceType": "Patient", "birthDate": "1958-05"}, PatientFacts(67, None)),
        ({"resourceType": "Patient", "birthDate": "1958"}, PatientFacts(66, None)),
    ],
)
def test_patient_facts(patient: dict[str, Any] | None, facts: PatientFacts) -> None:
    assert patient_facts(patient, today=date(2025, 6, 15)) == facts


@pytest.mark.parametrize(
    ("patient", "field"),
    [
        ({"resourceType": "Observation"}, "patient.resourceType"),
        ({"resourceType": "Patient", "birthDate": "15/06/1958"}, "patient.birthDate"),
        ({"resourceType": "Patient", "birthDate": "1800-01-01"}, "patient.birthDate"),
        ({"resourceType": "Patient", "gender": "m"}, "patient.gender"),
    ],
)
def test_a_bad_patient_is_named(patient: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        patient_facts(patient, today=date(2025, 6, 15))
    assert [p.field for p in caught.value.problems] == [field]


def test_the_diarys_own_rules_are_named_by_fhir_path(good_bundle: dict[str, Any]) -> None:
    cramp = copy.deepcopy(_observations(good_bundle)[0])
    cramp["effectivePeriod"] = {"start": "2999-01-01T10:00:00+00:00"}
    cramp["note"] = [{"text": "bell \x07"}]
    with pytest.raises(InvalidInputError) as caught:
        episodes_from_observations([cramp], prefix="cramps")
    assert {p.field for p in caught.value.problems} == {
        "cramps[0].effectivePeriod.start",
        "cramps[0].note",
    }
