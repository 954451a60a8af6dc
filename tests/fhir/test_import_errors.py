"""A bad bundle is refused as a whole, each problem named by its path in the bundle."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.diary.store import open_store
from crampwise.diary.transfer import parse_import_text
from crampwise.errors import InvalidInputError
from crampwise.fhir import common, plan_from_bundle
from crampwise.fhir.common import EXT_RESULT, EXT_TRIAGE

Bundle = dict[str, Any]


def index(bundle: Bundle, test: Callable[[dict[str, Any]], bool]) -> int:
    return next(i for i, e in enumerate(bundle["entry"]) if test(e["resource"]))


def cramp(bundle: Bundle) -> int:
    return index(
        bundle,
        lambda r: (
            r.get("valueCodeableConcept", {}).get("coding", [{}])[0].get("code") == "55300003"
        ),
    )


def factor(name: str) -> Callable[[Bundle], int]:
    return lambda b: index(
        b, lambda r: r.get("code", {}).get("coding", [{}])[0].get("code") in (name,)
    )


def risk(bundle: Bundle) -> int:
    return index(bundle, lambda r: r["resourceType"] == "RiskAssessment")


def response(bundle: Bundle) -> int:
    return index(bundle, lambda r: r["resourceType"] == "QuestionnaireResponse")


def res(bundle: Bundle, where: Callable[[Bundle], int]) -> dict[str, Any]:
    resource: dict[str, Any] = bundle["entry"][where(bundle)]["resource"]
    return resource


def _set(where: Callable[[Bundle], int], key: str, value: object) -> Callable[[Bundle], None]:
    return lambda b: res(b, where).__setitem__(key, value)


def _drop(where: Callable[[Bundle], int], key: str) -> Callable[[Bundle], None]:
    return lambda b: res(b, where).pop(key)


def _severity(value: object) -> Callable[[Bundle], None]:
    return lambda b: res(b, cramp)["component"][0].__setitem__("valueInteger", value)


def _other_patient(b: Bundle) -> None:
    res(b, cramp)["subject"] = {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}


def _no_result(b: Bundle) -> None:
    r = res(b, risk)
    r["extension"] = [e for e in r["extension"] if e["url"] != EXT_RESULT]


def _other_level(b: Bundle) -> None:
    ext = next(e for e in res(b, risk)["extension"] if e["url"] == EXT_TRIAGE)
    ext["valueCodeableConcept"]["coding"][0]["code"] = "emergency"


def _unknown_link(b: Bundle) -> None:
    res(b, response)["item"].append({"linkId": "not_a_finding", "answer": [{"valueBoolean": True}]})


def _same_url(b: Bundle) -> None:
    b["entry"][cramp(b)]["fullUrl"] = b["entry"][cramp(b) + 1]["fullUrl"]


def _water(b: Bundle) -> None:
    res(b, factor("water_litres"))["valueQuantity"]["value"] = 99


def _shoes(b: Bundle) -> None:
    res(b, factor("footwear"))["valueCodeableConcept"]["coding"][0]["code"] = "footwear.clogs"


def _top(b: Bundle) -> None:
    b["resourceType"] = "Patient"


def _condition(b: Bundle) -> None:
    res(b, cramp)["resourceType"] = "Condition"


def _headache(b: Bundle) -> None:
    res(b, cramp)["valueCodeableConcept"] = {
        "coding": [{"system": "http://snomed.info/sct", "code": "25064002"}]
    }


def _site(b: Bundle) -> None:
    res(b, cramp)["bodySite"] = {"coding": [{"system": "http://snomed.info/sct", "code": "123"}]}


def _component(b: Bundle) -> None:
    res(b, cramp)["component"].append(
        {"code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]}, "valueInteger": 3}
    )


def _future(b: Bundle) -> None:
    res(b, cramp)["effectivePeriod"] = {
        "start": "2999-01-01T10:00:00+00:00",
        "end": "2999-01-01T10:02:30+00:00",
    }


def _bad_date(b: Bundle) -> None:
    res(b, cramp)["effectivePeriod"]["start"] = "2026-13-01T10:00:00+00:00"


CASES: list[tuple[str, Callable[[Bundle], None], str, str]] = [
    ("not a bundle", _top, "resourceType", "must be 'Bundle', got 'Patient'"),
    ("batch", lambda b: b.__setitem__("type", "batch"), "type", "must be 'collection'"),
    (
        "wrong resource",
        _condition,
        "entry[{cramp}].resource.resourceType",
        "does not import 'Condition'",
    ),
    ("another symptom", _headache, "entry[{cramp}].resource.valueCodeableConcept", "cramps only"),
    (
        "unknown site",
        _site,
        "entry[{cramp}].resource.bodySite",
        "unknown body site (http://snomed.info/sct|123); allowed: 29707007",
    ),
    (
        "unknown component",
        _component,
        "entry[{cramp}].resource.component[",
        "unknown component code",
    ),
    (
        "no period",
        _drop(cramp, "effectivePeriod"),
        "entry[{cramp}].resource.effectivePeriod",
        "is required",
    ),
    (
        "severity 11",
        _severity(11),
        "entry[{cramp}].resource.component[0].valueInteger",
        "0 to 10, got 11",
    ),
    (
        "severity true",
        _severity(True),
        "entry[{cramp}].resource.component[0].valueInteger",
        "got True",
    ),
    (
        "severity text",
        _severity("7"),
        "entry[{cramp}].resource.component[0].valueInteger",
        "got '7'",
    ),
    (
        "bogus status",
        _set(cramp, "status", "bogus"),
        "entry[{cramp}].resource.status",
        "'bogus' is not allowed",
    ),
    ("no performer", _drop(cramp, "performer"), "entry[{cramp}].resource.performer", "exactly one"),
    ("unknown key", _set(cramp, "bogusKey", 1), "entry[{cramp}].resource.bogusKey", "Extra inputs"),
    ("bad date", _bad_date, "entry[{cramp}].resource.effectivePeriod.start", "regex"),
    ("future", _future, "entry[{cramp}].resource.effectivePeriod.start", "in the future"),
    ("another patient", _other_patient, "entry[{cramp}].resource.subject", "one person's diary"),
    ("same fullUrl", _same_url, "entry[{next}].fullUrl", "used by another entry"),
    ("no result", _no_result, "entry[{risk}].resource.extension", "needs the check's result"),
    ("other level", _other_level, "entry[{risk}].resource.extension[0]", "result says"),
    (
        "unknown finding",
        _unknown_link,
        "entry[{response}].resource.item[",
        "unknown finding id 'not_a_finding'",
    ),
    ("too much water", _water, "entry[{water}].resource.valueQuantity.value", "from 0 to 15"),
    ("unknown shoes", _shoes, "entry[{shoes}].resource.valueCodeableConcept", "unknown answer"),
]


@pytest.mark.parametrize(("name", "change", "field", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_bundle_names_the_problem(
    bundle: Bundle, name: str, change: Callable[[Bundle], None], field: str, message: str
) -> None:
    places = {
        "cramp": cramp(bundle),
        "risk": risk(bundle),
        "response": response(bundle),
        "next": cramp(bundle) + 1,
        "shoes": factor("footwear")(bundle),
        "water": factor("water_litres")(bundle),
    }
    change(bundle)
    with pytest.raises(InvalidInputError) as caught:
        plan_from_bundle(json.loads(json.dumps(bundle)), "mine.json")
    problems = caught.value.problems
    want = field.format(**places)
    assert any(p.field.startswith(want) and message in p.message for p in problems), [
        p.render() for p in problems
    ]
    assert caught.value.message.startswith(("mine.json: nothing imported", "mine.json: not a FHIR"))


def test_the_good_bundle_imports(good_bundle: Bundle) -> None:
    plan = plan_from_bundle(json.loads(json.dumps(good_bundle)))
    assert (len(plan.episodes), len(plan.days), len(plan.assessments)) == (3, 3, 2)


def test_deep_nesting_and_broken_json_are_refused_before_parsing() -> None:
    deep = '{"resourceType": "Bundle", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(InvalidInputError) as caught:
        parse_import_text(deep, "deep.json")
    assert caught.value.problems[0].message == "nests deeper than 32 levels"
    with pytest.raises(InvalidInputError) as caught:
        parse_import_text('{"resourceType": "Bundle", "entry": [', "cut.json")
    assert "not valid JSON" in caught.value.message


def test_a_bundle_with_too_many_entries_is_refused(
    good_bundle: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crampwise.fhir.read as read

    monkeypatch.setattr(read, "MAX_ENTRIES", 5)
    with pytest.raises(InvalidInputError) as caught:
        plan_from_bundle(good_bundle, "big.json")
    assert caught.value.problems[0].field == "entry"
    assert "at most 5" in caught.value.problems[0].message
    assert common.MAX_ENTRIES == 1_000_000


def test_the_cli_refuses_a_bad_bundle_and_writes_nothing(
    bundle: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", db)
    _severity(12)(bundle)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(bundle))
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2, result.output
    assert f"entry[{cramp(bundle)}].resource.component[0].valueInteger" in result.output
    with open_store(db) as store:
        assert store.counts() == {"episodes": 0, "days": 0, "assessments": 0}
