"""POST /api/v1/understand and the interview's pre-filled findings, over real HTTP requests."""

from __future__ import annotations

from typing import Any

import pytest

from crampwise.case import parse_case
from crampwise.knowledge import KnowledgeBase
from crampwise.web.interview_codec import MAX_DESCRIPTION_CHARS
from tests.web.helpers import TestClient
from tests.web.understand_fake import fake_reader  # noqa: F401  (a fixture)

URL = "/api/v1/understand"
TEXTS = [
    "My toes curl up at night after long runs, no swelling, it's been about a month.",
    "Calf cramps most nights, three times a week. I take a water tablet.",
    "My dad had a stroke. I don't have any chest pain but my left calf is swollen.",
    "nothing much to say",
]


@pytest.mark.parametrize("text", TEXTS)
def test_any_reader_answers_a_valid_case_and_its_words(
    client: TestClient, kb: KnowledgeBase, text: str
) -> None:
    response = client.post(URL, json={"text": text, "age": 52, "sex": "female"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"case", "evidence"}
    case = parse_case(body["case"], kb)  # a crampwise-case/1 case the library accepts
    assert case.age == 52 and case.sex == "female"
    assert body["case"]["format"] == "crampwise-case/1"
    for fid, words in body["evidence"].items():
        assert fid in case.findings, f"evidence for {fid}, which the case does not hold"
        assert all(isinstance(w, str) and w and w in text for w in words)


@pytest.mark.usefixtures("fake_reader")
def test_the_answer_is_the_reading(client: TestClient) -> None:
    text = "Cramps in my calf at night, no swelling, twice a week."
    response = client.post(URL, json={"text": text, "age": 61})
    assert response.status_code == 200
    assert response.json() == {
        "case": {
            "format": "crampwise-case/1",
            "age": 61.0,  # no "sex": it was not given
            "findings": {
                "site_calf": True,
                "timing_night": True,
                "calf_swollen_one_side": False,
                "episodes_per_week": 2,
            },
        },
        "evidence": {
            "site_calf": ["my calf"],
            "timing_night": ["at night"],
            "calf_swollen_one_side": ["no swelling"],
            "episodes_per_week": ["twice a week"],
        },
    }


GOOD = {"text": "Cramps in my calf at night.", "age": 50}
ERRORS: list[tuple[dict[str, Any], str]] = [
    ({**GOOD, "text": ""}, "text"),
    ({**GOOD, "text": "   \n  "}, "text"),
    ({**GOOD, "text": "x" * (MAX_DESCRIPTION_CHARS + 1)}, "text"),
    ({**GOOD, "text": "my calf \x1b[2J hurts"}, "text"),
    ({**GOOD, "text": 42}, "text"),
    ({"age": 50}, "text"),
    ({**GOOD, "age": 130}, "age"),
    ({**GOOD, "age": -1}, "age"),
    ({**GOOD, "age": "50"}, "age"),
    ({**GOOD, "age": True}, "age"),
    ({"text": GOOD["text"]}, "age"),
    ({**GOOD, "sex": "robot"}, "sex"),
    ({**GOOD, "findings": {}}, "findings"),
]


@pytest.mark.parametrize(("body", "field"), ERRORS)
def test_bad_input_is_one_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) == {"status", "message", "problems"} and error["status"] == 422
    assert field in [p["field"] for p in error["problems"]]


def test_a_long_text_is_refused_with_its_length(client: TestClient) -> None:
    text = "cramp " * (MAX_DESCRIPTION_CHARS // 5)
    response = client.post(URL, json={"text": text, "age": 50})
    assert response.status_code == 422
    assert str(MAX_DESCRIPTION_CHARS) in response.text


def test_not_json_is_415_in_the_one_shape(client: TestClient) -> None:
    response = client.post(URL, content=b"text=hello&age=40")
    assert response.status_code == 415
    assert response.json()["error"]["status"] == 415


def test_openapi_documents_the_body_the_answer_and_the_prefill(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    operation = doc["paths"]["/api/v1/understand"]["post"]
    body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    answer_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schemas = doc["components"]["schemas"]
    body = schemas[body_ref.rsplit("/", 1)[1]]
    assert body["required"] == ["text", "age"] and body["additionalProperties"] is False
    assert body["properties"]["text"]["maxLength"] == MAX_DESCRIPTION_CHARS
    assert set(schemas[answer_ref.rsplit("/", 1)[1]]["properties"]) == {"case", "evidence"}
    assert "422" in operation["responses"]
    interview = doc["paths"]["/api/v1/interview/next"]["post"]["requestBody"]["content"]
    known = interview["application/json"]["schema"]["properties"]["known"]
    assert known["additionalProperties"] is False and "site_calf" in known["properties"]


# --- The interview takes the pre-filled findings --------------------------------------------


def next_step(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/interview/next", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def run_dont_know(client: TestClient, body: dict[str, Any]) -> list[str]:
    """The interview to its end, "don't know" to every question; the questions asked."""
    body = {**body, "answers": []}
    for _ in range(60):
        step = next_step(client, body)
        if step["should_stop"]:
            return [a["question_id"] for a in body["answers"]]
        question = step["question"]
        ids = [i["finding"] for i in question["items"]] or [question["finding"]]
        body["answers"].append({"question_id": question["id"], "values": dict.fromkeys(ids)})
    raise AssertionError("the interview did not finish")


@pytest.mark.usefixtures("fake_reader")
def test_understood_findings_prefill_the_interview(client: TestClient) -> None:
    text = "Cramps in my calf at night, twice a week, for a month, getting worse."
    read = client.post(URL, json={"text": text, "age": 45}).json()["case"]
    with_text = run_dont_know(client, {"age": 45, "known": read["findings"]})
    without = run_dont_know(client, {"age": 45})
    # Warning signs are still screened first; what the text said is not asked again.
    assert with_text[0] == "emergency_signs"
    assert not {"how_often", "since_when", "trend"} & set(with_text)
    assert {"how_often", "trend", "sites"} <= set(without)
    assert len(with_text) < len(without)
    # Marked as a description's: the open warning signs as one checklist, and shorter still.
    described = run_dont_know(client, {"age": 45, "known": read["findings"], "described": True})
    assert described[0] == "warning_signs_open"
    assert not {"emergency_signs", "leg_warning_signs", "body_warning_signs"} & set(described)
    assert len(described) < len(with_text)


@pytest.mark.usefixtures("fake_reader")
def test_the_described_checklist_is_a_question_like_any_other(client: TestClient) -> None:
    known = {"site_calf": True, "calf_swollen_one_side": False}
    step = next_step(client, {"age": 50, "known": known, "described": True, "answers": []})
    question = step["question"]
    assert question["id"] == "warning_signs_open" and question["kind"] == "checklist"
    assert question["screening"] is True
    items = [i["finding"] for i in question["items"]]
    assert "calf_swollen_one_side" not in items and "foot_pale_or_cold" in items
    answer = {"question_id": "warning_signs_open", "values": {"foot_pale_or_cold": True}}
    body = {"age": 50, "known": known, "described": True, "answers": [answer]}
    step = next_step(client, body)
    assert step["should_stop"] is True and step["result"]["triage"]["level"] == "emergency"


@pytest.mark.parametrize("described", ["yes", 1, None])
def test_described_must_be_a_boolean(client: TestClient, described: object) -> None:
    body = {"age": 40, "known": {}, "described": described}
    response = client.post("/api/v1/interview/next", json=body)
    assert response.status_code == 422
    assert "described" in [p["field"] for p in response.json()["error"]["problems"]]


def test_an_answer_to_the_merged_checklist_names_only_warning_signs(client: TestClient) -> None:
    answer = {"question_id": "warning_signs_open", "values": {"site_calf": True}}
    response = client.post("/api/v1/interview/next", json={"age": 40, "answers": [answer]})
    assert response.status_code == 422
    fields = [p["field"] for p in response.json()["error"]["problems"]]
    assert "answers[0].values.site_calf" in fields


def test_the_openapi_document_names_described(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/interview/next"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["properties"]["described"]["type"] == "boolean"
    answers = schema["properties"]["answers"]["items"]["oneOf"]
    (merged,) = [
        a for a in answers if a["properties"]["question_id"]["enum"] == ["warning_signs_open"]
    ]
    assert "stroke_signs" in merged["properties"]["values"]["properties"]
    assert "site_calf" not in merged["properties"]["values"]["properties"]


@pytest.mark.usefixtures("fake_reader")
def test_a_serious_sign_in_the_text_ends_in_an_emergency_at_once(client: TestClient) -> None:
    text = "My foot went white and cold an hour ago."
    read = client.post(URL, json={"text": text, "age": 74}).json()["case"]
    step = next_step(client, {"age": 74, "known": read["findings"], "answers": []})
    assert step["should_stop"] is True
    assert step["result"]["triage"]["level"] == "emergency"


def test_an_answer_overrides_a_prefilled_finding(client: TestClient) -> None:
    known = {"foot_pale_or_cold": False}
    answer = {"question_id": "emergency_signs", "values": {"foot_pale_or_cold": True}}
    step = next_step(client, {"age": 74, "known": known, "answers": [answer]})
    assert step["should_stop"] is True and step["result"]["triage"]["level"] == "emergency"


@pytest.mark.parametrize(
    ("known", "field"),
    [
        ({"site_elbow": True}, "known.site_elbow"),
        ({"site_calf": "yes"}, "known.site_calf"),
        ({"severity": 11}, "known.severity"),
        ([], "known"),
    ],
)
def test_bad_prefill_is_a_422_naming_it(client: TestClient, known: object, field: str) -> None:
    response = client.post("/api/v1/interview/next", json={"age": 40, "known": known})
    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["problems"]]


def test_the_api_does_not_take_the_web_forms_text_origin(client: TestClient) -> None:
    body = {"age": 40, "text": {"words": "x", "read": {}, "diary": {}}}
    response = client.post("/api/v1/interview/next", json=body)
    assert response.status_code == 422
    assert "text" in [p["field"] for p in response.json()["error"]["problems"]]
