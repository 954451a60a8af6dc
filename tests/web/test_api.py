"""The JSON API: assessments, the stateless interview, diary CRUD with date filters, exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.knowledge import KnowledgeBase
from tests.web.helpers import TestClient


def episode(day: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "started_at": f"{day}T22:30",
        "duration_minutes": 2,
        "sites": ["calf"],
        "severity": 5,
    }
    body.update(overrides)
    return body


def test_assessment_equals_the_library_result(
    client: TestClient, kb: KnowledgeBase, public_cases: list[dict[str, Any]]
) -> None:
    for vignette in public_cases[:5]:
        response = client.post("/api/v1/assessments", json=vignette["case"])
        assert response.status_code == 200
        expected = assess(parse_case(vignette["case"], kb), kb).to_dict()
        assert response.json() == json.loads(json.dumps(expected))  # tuples become lists


def test_interview_next_runs_to_a_result(client: TestClient) -> None:
    state: dict[str, Any] = {"age": 74, "sex": "male", "answers": []}
    first = client.post("/api/v1/interview/next", json=state).json()
    assert first["should_stop"] is False
    question = first["question"]
    assert question["id"] == "emergency_signs" and question["kind"] == "checklist"
    assert first["asked"] == 0 and first["remaining_estimate"] >= 1
    values = {item["finding"]: item["finding"] == "foot_pale_or_cold" for item in question["items"]}
    state["answers"].append({"question_id": question["id"], "values": values})
    done = client.post("/api/v1/interview/next", json=state).json()
    assert done["should_stop"] is True
    assert done["result"]["triage"]["level"] == "emergency"
    assert "question" not in done


def test_interview_dont_know_is_null(client: TestClient) -> None:
    body = {
        "age": 40,
        "answers": [{"question_id": "current_cramp", "values": {"current_cramp_minutes": None}}],
    }
    response = client.post("/api/v1/interview/next", json=body)
    assert response.status_code == 200
    assert response.json()["asked"] == 1


def test_interview_question_says_whether_does_not_apply_is_offered(
    client: TestClient, kb: KnowledgeBase
) -> None:
    none_of = [
        {"question_id": qid, "values": dict.fromkeys(kb.question_by_id[qid].finding_ids(), False)}
        for qid in ("emergency_signs", "leg_warning_signs", "body_warning_signs")
    ]
    body = {"age": 40, "answers": none_of}
    question = client.post("/api/v1/interview/next", json=body).json()["question"]
    assert question["id"] == "current_cramp" and question["not_applicable"] is True
    body["answers"].append({"question_id": "current_cramp", "values": {"current_cramp_minutes": 1}})
    question = client.post("/api/v1/interview/next", json=body).json()["question"]
    assert question["id"] != "current_cramp" and question["not_applicable"] is False


def test_interview_answer_problems_name_the_field(client: TestClient) -> None:
    body = {"age": 40, "answers": [{"question_id": "severity", "values": {"severity": 11}}]}
    response = client.post("/api/v1/interview/next", json=body)
    assert response.status_code == 422
    fields = [p["field"] for p in response.json()["error"]["problems"]]
    assert fields == ["answers[0].values.severity"]


def test_strict_input_false_is_not_zero(client: TestClient) -> None:
    response = client.post("/api/v1/episodes", json=episode("2020-01-01", severity=False))
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["error"]["problems"]] == ["severity"]
    response = client.post("/api/v1/assessments", json={"age": 40, "findings": {"severity": False}})
    assert response.status_code == 422


def test_episode_crud_and_date_filters(client: TestClient) -> None:
    ids = []
    for day in ("2020-01-01", "2020-01-05", "2020-01-09"):
        response = client.post("/api/v1/episodes", json=episode(day))
        assert response.status_code == 201
        ids.append(response.json()["id"])
    listed = client.get("/api/v1/episodes", params={"from": "2020-01-02", "to": "2020-01-09"})
    assert [e["id"] for e in listed.json()] == ids[1:]
    assert [e["id"] for e in client.get("/api/v1/episodes?to=2020-01-01").json()] == ids[:1]
    got = client.get(f"/api/v1/episodes/{ids[0]}").json()
    assert got["started_at"] == "2020-01-01T22:30:00" and got["sites"] == ["calf"]
    updated = client.put(
        f"/api/v1/episodes/{ids[0]}",
        json=episode("2020-01-01", sites=["toes", "foot"], helped=True),
    )
    assert updated.status_code == 200
    assert updated.json()["sites"] == ["toes", "foot"] and updated.json()["helped"] is True
    assert client.delete(f"/api/v1/episodes/{ids[0]}").status_code == 204
    assert client.get(f"/api/v1/episodes/{ids[0]}").status_code == 404
    assert len(client.get("/api/v1/episodes").json()) == 2


def test_day_crud_and_date_filters(client: TestClient) -> None:
    body = {"date": "2020-03-01", "values": {"water_litres": 1.2, "stretching_done": True}}
    response = client.post("/api/v1/days", json=body)
    assert response.status_code == 201
    assert response.json() == {**body, "note": None}
    put = client.put("/api/v1/days/2020-03-02", json={"values": {"footwear": "high_heels"}})
    assert put.status_code == 200 and put.json()["date"] == "2020-03-02"
    assert [d["date"] for d in client.get("/api/v1/days?from=2020-03-02").json()] == ["2020-03-02"]
    assert client.get("/api/v1/days/2020-03-01").json()["values"]["stretching_done"] is True
    assert client.delete("/api/v1/days/2020-03-01").status_code == 204
    assert client.get("/api/v1/days/2020-03-01").status_code == 404
    factors = {f["id"] for f in client.get("/api/v1/factors").json()}
    assert {"water_litres", "footwear"} <= factors


def test_insights_and_export(client: TestClient) -> None:
    empty = client.get("/api/v1/insights").json()
    assert empty["empty"] is True and empty["summary"] is None
    for day in ("2020-01-01", "2020-01-02"):
        client.post("/api/v1/episodes", json=episode(day, note='tight, "new" shoes'))
    client.post("/api/v1/days", json={"date": "2020-01-01", "values": {"water_litres": 1}})
    insights = client.get("/api/v1/insights").json()
    assert insights["summary"]["cramps"] == 2
    doc = client.get("/api/v1/export?format=json").json()
    assert doc["format"] == "crampwise-diary/1"
    assert len(doc["episodes"]) == 2 and len(doc["days"]) == 1
    response = client.get("/api/v1/export?format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["note"] for r in rows] == ['tight, "new" shoes'] * 2
    days_csv = client.get("/api/v1/export", params={"format": "csv", "table": "days"}).text
    assert days_csv.splitlines()[0].startswith("date,note,water_litres")


def test_openapi_documents_the_api_only(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        "/api/v1/assessments",
        "/api/v1/interview/next",
        "/api/v1/episodes",
        "/api/v1/episodes/{episode_id}",
        "/api/v1/days",
        "/api/v1/days/{day}",
        "/api/v1/insights",
        "/api/v1/export",
    } <= paths
    assert all(p.startswith("/api/v1/") for p in paths)  # the HTML pages are not API
    case_schema = doc["paths"]["/api/v1/assessments"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    assert case_schema["additionalProperties"] is False
    assert "foot_pale_or_cold" in case_schema["properties"]["findings"]["properties"]
    assert "422" in doc["paths"]["/api/v1/episodes"]["post"]["responses"]
