"""/api/v1/experiments: the same rules as the terminal, in the OpenAPI schema, one error shape."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

import tests.web.conftest as _fixtures
from crampwise.diary.records import Episode
from crampwise.diary.store import open_store
from tests.web.helpers import TestClient

# Fixtures shared with tests/web/conftest.py
app = _fixtures.app
client = _fixtures.client
db_url = _fixtures.db_url
settings = _fixtures.settings

TODAY = date.today()


def start(c: TestClient, **body: Any) -> Any:
    return c.post("/api/v1/experiments", json={"remedy": "calf_stretch_bedtime", **body})


def problems(response: Any) -> dict[str, str]:
    error = response.json()["error"]
    assert set(error) == {"status", "message", "problems"}
    assert error["status"] == response.status_code
    return {p["field"]: p["message"] for p in error["problems"]}


def test_every_endpoint_is_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/api/v1/experiments"]) == {"get", "post"}
    for path in ("", "/result", "/status", "/chart.svg"):
        assert "get" in paths[f"/api/v1/experiments/{{experiment_id}}{path}"]
    for path in ("/checkins", "/stop"):
        assert "post" in paths[f"/api/v1/experiments/{{experiment_id}}{path}"]
    assert "get" in paths["/api/v1/remedies"]
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"ExperimentIn", "ExperimentOut", "CheckInIn", "ResultOut", "StatusOut"} <= set(schemas)
    post = paths["/api/v1/experiments"]["post"]
    assert post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorOut"
    )


def test_start_check_in_status_result_stop(client: TestClient, db_url: str) -> None:
    created = start(client, pairs=2, seed=8)
    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["remedy"] == "calf_stretch_bedtime" and doc["seed"] == 8
    assert len(doc["schedule"]) == 28 and set(doc["schedule"][0]) == {"date", "arm", "counted"}
    experiment = f"/api/v1/experiments/{doc['id']}"
    assert client.get("/api/v1/experiments").json() == [doc]
    assert client.get(experiment).json() == doc

    with open_store(db_url) as store:
        store.add_episode(Episode(datetime.combine(TODAY, time(0, 2)), 1.0, ("toes",), 3))
    answer = client.post(f"{experiment}/checkins", json={"done": True})
    assert answer.status_code == 200
    assert answer.json()["date"] == TODAY.isoformat() and answer.json()["done"] is True
    client.post(f"{experiment}/checkins", json={"done": False, "date": TODAY.isoformat()})
    assert [c["done"] for c in client.get(experiment).json()["checkins"]] == [False]

    status = client.get(f"{experiment}/status").json()
    assert status["today"]["day_number"] == 1 and status["today"]["checked_in"] is False
    assert status["progress"] == {
        "days_total": 28,
        "days_passed": 1,
        "days_left": 27,
        "checkins_missed": 0,
    }
    assert status["cramps_all_days"] == 1

    result = client.get(f"{experiment}/result").json()
    assert {
        "rate_ratio",
        "interval",
        "p_benefit",
        "p_benefit_20",
        "cramps",
        "days",
        "adherence",
        "verdict",
    } <= set(result)
    chart = client.get(f"{experiment}/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")

    stopped = client.post(f"{experiment}/stop")
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
    again = client.post(f"{experiment}/stop")
    assert again.status_code == 422 and "already stopped" in again.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"remedy": "bananas"}, "remedy", "unknown remedy"),
        ({"remedy": "quinine"}, "remedy", "Quinine can cause"),
        ({"start": (TODAY - timedelta(days=1)).isoformat()}, "start", "before today"),
        ({"start": "2026-13-01"}, "start", "not a real date"),
        ({"start": "soon"}, "start", "pattern"),
        ({"pairs": "3"}, "pairs", "valid integer"),
        ({"pairs": 13}, "pairs", "from 1 to 12"),
        ({"seed": 2**31}, "seed", "not allowed"),
        ({"colour": "blue"}, "colour", "xtra"),
    ],
)
def test_start_errors_name_the_field(
    client: TestClient, body: dict[str, Any], field: str, words: str
) -> None:
    response = start(client, **body)
    assert response.status_code == 422
    found = problems(response)
    assert field in found, found
    assert words in found[field]
    assert client.get("/api/v1/experiments").json() == []


def test_another_running_is_a_422_naming_it(client: TestClient) -> None:
    first = start(client).json()
    response = start(client, remedy="warm_bath_bedtime")
    assert response.status_code == 422
    assert f"experiment {first['id']}" in problems(response)["remedy"]


def test_check_in_errors(client: TestClient) -> None:
    doc = start(client).json()
    url = f"/api/v1/experiments/{doc['id']}/checkins"
    for body, status, field in [
        ({"done": True, "date": (TODAY + timedelta(days=1)).isoformat()}, 422, "date"),
        ({"done": True, "date": (TODAY - timedelta(days=1)).isoformat()}, 422, "date"),
        ({"done": "yes"}, 422, "done"),
        ({}, 422, "done"),
    ]:
        response = client.post(url, json=body)
        assert response.status_code == status, body
        assert field in problems(response)
    missing = client.post("/api/v1/experiments/77/checkins", json={"done": True})
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404


def test_bodies_must_be_json(client: TestClient) -> None:
    response = client.post("/api/v1/experiments", data={"remedy": "calf_stretch_bedtime"})
    assert response.status_code == 415
    assert client.get("/api/v1/experiments/0").status_code == 422
    assert client.get("/api/v1/experiments/5").status_code == 404


def test_remedies_say_which_the_latest_check_rules_out(client: TestClient, db_url: str) -> None:
    with open_store(db_url) as store:
        store.save_assessment({"age": 60, "findings": {"kidney_disease": True}}, {}, "kb")
    doc = client.get("/api/v1/remedies").json()
    by_id = {r["id"]: r for r in doc["remedies"]}
    assert by_id["magnesium_supplement"]["not_for_you"]
    assert by_id["calf_stretch_bedtime"]["not_for_you"] == []
    assert doc["excluded"][0]["id"] == "quinine"
    refused = start(client, remedy="magnesium_supplement")
    assert refused.status_code == 422 and "magnesium" in problems(refused)["remedy"]
