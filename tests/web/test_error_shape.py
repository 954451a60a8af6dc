"""Every API error has one shape, built by one function; this locks it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.helpers import TestClient

JSON = {"content-type": "application/json"}

CASES: list[tuple[str, str, dict[str, Any], int, set[str]]] = [
    # (method, path, request kwargs, expected status, expected offending fields)
    (
        "POST",
        "/api/v1/assessments",
        {
            "json": {
                "age": 200,
                "sex": "robot",
                "findings": {"site_calf": "yes", "nope": True},
                "colour": "blue",
            }
        },
        422,
        {"age", "sex", "findings.site_calf", "findings.nope", "colour"},
    ),
    ("POST", "/api/v1/assessments", {"json": {"findings": {}}}, 422, {"age"}),
    (
        "POST",
        "/api/v1/assessments",
        {"json": {"age": 40, "findings": {"severity": 11}}},
        422,
        {"findings.severity"},
    ),
    ("POST", "/api/v1/assessments", {"json": {"age": True}}, 422, {"age"}),
    ("POST", "/api/v1/assessments", {"json": [1, 2]}, 422, {"(body)"}),
    ("POST", "/api/v1/assessments", {"content": b'{"age": 4', "headers": JSON}, 422, {"(body)"}),
    ("POST", "/api/v1/episodes", {"content": b"{not json", "headers": JSON}, 422, {"(body)"}),
    (
        "POST",
        "/api/v1/interview/next",
        {
            "json": {
                "age": 40,
                "answers": [
                    {"question_id": "nope", "values": {}},
                    {"question_id": "side", "values": {"side": "up"}},
                ],
            }
        },
        422,
        {"answers[0].question_id", "answers[1].values.side"},
    ),
    (
        "POST",
        "/api/v1/episodes",
        {
            "json": {
                "started_at": "2020-01-01T10:00",
                "duration_minutes": False,
                "sites": [],
                "severity": 3,
                "colour": 1,
            }
        },
        422,
        {"duration_minutes", "sites", "colour"},
    ),
    (
        "POST",
        "/api/v1/episodes",
        {
            "json": {
                "started_at": "2999-01-01T10:00",
                "duration_minutes": 1,
                "sites": ["calf"],
                "severity": 3,
            }
        },
        422,
        {"started_at"},
    ),
    (
        "POST",
        "/api/v1/days",
        {"json": {"date": "2020-01-01", "values": {"water_litres": 99}}},
        422,
        {"values.water_litres"},
    ),
    ("GET", "/api/v1/episodes?from=2020-02-30", {}, 422, {"query.from"}),
    ("GET", "/api/v1/episodes?from=yesterday", {}, 422, {"query.from"}),
    (
        "POST",
        "/api/v1/episodes",
        {
            "json": {
                "started_at": "2020-01-01T10:00",
                "duration_minutes": 1,
                "sites": [1, "calf"],
                "severity": 3,
            }
        },
        422,
        {"sites[0]"},  # a list position in brackets (crampwise.errors.field_path)
    ),
    ("POST", "/api/v1/assessments", {"content": b"[" * 100_000, "headers": JSON}, 422, {"(body)"}),
    ("POST", "/api/v1/assessments", {"content": b" " * 1_000_001, "headers": JSON}, 413, set()),
    ("GET", "/api/v1/ping", {"headers": {"host": "evil.example"}}, 421, set()),
    (
        "POST",
        "/api/v1/episodes",
        {"json": {}, "headers": {"origin": "http://evil.example"}},
        403,
        set(),
    ),
    ("GET", "/api/v1/episodes/12345", {}, 404, set()),
    (
        "PUT",
        "/api/v1/episodes/12345",
        {
            "json": {
                "started_at": "2020-01-01T10:00",
                "duration_minutes": 1,
                "sites": ["calf"],
                "severity": 3,
            }
        },
        404,
        set(),
    ),
    ("DELETE", "/api/v1/episodes/12345", {}, 404, set()),
    ("GET", "/api/v1/days/2020-01-01", {}, 404, set()),
    ("DELETE", "/api/v1/days/2020-01-01", {}, 404, set()),
    ("GET", "/api/v1/nothing-here", {}, 404, set()),
    ("GET", "/api/v1/export?format=xml", {}, 422, {"query.format"}),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "fields"), CASES)
def test_error_shape(
    client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    fields: set[str],
) -> None:
    response = client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "message", "problems"}
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    for problem in error["problems"]:
        assert set(problem) <= {"field", "message", "line"}
        assert problem["message"]
    assert {p["field"] for p in error["problems"]} == fields
