"""The diary's shared rules on the web: one day update (merge by default), one date-range
rule, and the mistyped-year checks (issue 8, item 9) in the API and the HTML forms."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import open_store
from tests.web.helpers import TestClient, hidden

YESTERDAY = date.today() - timedelta(days=1)
YESTERDAY_AT_NIGHT = datetime.combine(YESTERDAY, time(23, 0))
STRAY = "1926-12-01"


def recent_diary(client: TestClient, n_days: int = 10) -> list[str]:
    """``n_days`` recorded days up to yesterday, with a cramp on each, through the API."""
    days = [(YESTERDAY - timedelta(days=i)).isoformat() for i in range(n_days)]
    for day in days:
        assert client.post("/api/v1/days", json={"date": day, "values": {}}).status_code == 201
        episode = {"started_at": f"{day}T02:00", "duration_minutes": 2, "sites": ["calf"]}
        response = client.post("/api/v1/episodes", json={**episode, "severity": 5})
        assert response.status_code == 201, response.text
    return days


def problems(response: Any) -> dict[str, str]:
    return {p["field"]: p["message"] for p in response.json()["error"]["problems"]}


def post_form(client: TestClient, path: str, fields: dict[str, str]) -> Any:
    token = hidden(client.get("/diary").text, "csrf_token")
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


# ------------------------------------------------------------------ one day update


def test_api_day_merges_by_default_and_replaces_on_request(client: TestClient) -> None:
    day = "2026-03-01"
    first = {"date": day, "values": {"water_litres": 1.2}, "note": "hot"}
    assert client.post("/api/v1/days", json=first).status_code == 201
    merged = client.post("/api/v1/days", json={"date": day, "values": {"alcohol_units": 2}})
    assert merged.status_code == 201
    assert merged.json() == {
        "date": day,
        "values": {"water_litres": 1.2, "alcohol_units": 2.0},
        "note": "hot",
    }
    put = client.put(f"/api/v1/days/{day}", json={"values": {"footwear": "barefoot"}})
    assert put.json()["values"] == {
        "water_litres": 1.2,
        "alcohol_units": 2.0,
        "footwear": "barefoot",
    }
    replaced = client.put(
        f"/api/v1/days/{day}?mode=replace", json={"values": {"exercise_minutes": 30}}
    )
    assert replaced.json() == {"date": day, "values": {"exercise_minutes": 30.0}, "note": None}
    assert client.get(f"/api/v1/days/{day}").json() == replaced.json()
    posted = client.post(
        "/api/v1/days", params={"mode": "replace"}, json={"date": day, "values": {}}
    )
    assert posted.json()["values"] == {}


def test_api_day_mode_must_be_merge_or_replace(client: TestClient) -> None:
    response = client.post("/api/v1/days?mode=append", json={"date": "2026-03-01", "values": {}})
    assert response.status_code == 422
    assert set(problems(response)) == {"query.mode"}


def test_openapi_documents_the_day_mode_with_merge_default(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for method, path in (("post", "/api/v1/days"), ("put", "/api/v1/days/{day}")):
        params = {p["name"]: p for p in doc["paths"][path][method]["parameters"]}
        mode = params["mode"]
        assert mode["in"] == "query" and mode["schema"]["default"] == "merge"
        assert set(mode["schema"]["enum"]) == {"merge", "replace"}
        assert "merge" in mode["description"]


def test_web_day_form_merges_by_default_and_replaces_when_ticked(
    client: TestClient, db_url: str
) -> None:
    day = "2026-03-01"
    assert (
        post_form(client, "/diary/days", {"date": day, "factor_water_litres": "1.2"}).status_code
        == 303
    )
    kept = post_form(client, "/diary/days", {"date": day, "factor_alcohol_units": "2"})
    assert kept.status_code == 303
    with open_store(db_url) as store:
        got = store.get_day(date(2026, 3, 1))
        assert got is not None and got.values == {"water_litres": 1.2, "alcohol_units": 2.0}
    fields = {"date": day, "factor_exercise_minutes": "30", "mode": "replace"}
    assert post_form(client, "/diary/days", fields).status_code == 303
    with open_store(db_url) as store:
        got = store.get_day(date(2026, 3, 1))
        assert got is not None and got.values == {"exercise_minutes": 30.0}


# ------------------------------------------------------------------ one date-range rule


@pytest.mark.parametrize("path", ["/api/v1/episodes", "/api/v1/days", "/api/v1/insights"])
def test_from_after_to_is_a_422_on_query_from(client: TestClient, path: str) -> None:
    response = client.get(path, params={"from": "2026-03-05", "to": "2026-03-01"})
    assert response.status_code == 422
    found = problems(response)
    assert set(found) == {"query.from"} and "after" in found["query.from"]


def test_api_insights_honour_from_and_to(client: TestClient) -> None:
    days = recent_diary(client, 20)
    start, end = days[14], days[5]  # newest first: days[0] is yesterday
    whole = client.get("/api/v1/insights").json()["summary"]
    assert whole["cramps"] == 20
    part = client.get("/api/v1/insights", params={"from": start, "to": end}).json()["summary"]
    assert (part["start"], part["end"], part["cramps"]) == (start, end, 10)
    listed = client.get("/api/v1/episodes", params={"from": start, "to": end}).json()
    assert len(listed) == 10


@pytest.mark.parametrize("page", ["/diary/history", "/diary/insights", "/diary/charts/cramps.svg"])
def test_pages_refuse_from_after_to(client: TestClient, page: str) -> None:
    response = client.get(page, params={"from": "2026-03-05", "to": "2026-03-01"})
    assert response.status_code == 422
    assert "query.from" in response.text and "is after" in response.text


def test_history_and_insights_pages_honour_from_and_to(client: TestClient) -> None:
    days = recent_diary(client, 20)
    start, end = days[14], days[5]
    history = client.get("/diary/history", params={"from": start, "to": end}).text
    assert "Cramps (10)" in history and f'value="{start}"' in history
    assert days[0] not in history and days[19] not in history
    insights = client.get("/diary/insights", params={"from": start, "to": end}).text
    assert f"cramps from {start} to {end}" in insights
    assert f"/diary/charts/cramps.svg?from={start}&amp;to={end}" in insights
    chart = client.get("/diary/charts/cramps.svg", params={"from": start, "to": end})
    assert chart.status_code == 200
    blank = client.get("/diary/history", params={"from": "", "to": ""})
    assert blank.status_code == 200 and "Cramps (20)" in blank.text


# ------------------------------------------------------------------ mistyped years


def test_api_refuses_an_episode_years_before_the_diary(client: TestClient) -> None:
    recent_diary(client)
    body = {"started_at": f"{STRAY}T10:00", "duration_minutes": 2, "sites": ["calf"], "severity": 5}
    response = client.post("/api/v1/episodes", json=body)
    assert response.status_code == 422
    assert "check the year" in problems(response)["started_at"]
    assert len(client.get("/api/v1/episodes").json()) == 10


def test_api_edits_an_old_episode_kept_on_its_date(client: TestClient, db_url: str) -> None:
    recent_diary(client)
    with open_store(db_url) as store:  # confirmed at a terminal with --yes, say
        old = store.add_episode(Episode(datetime(1926, 12, 1, 10), 2.0, ("calf",), 5))
    body = {"started_at": f"{STRAY}T10:00", "duration_minutes": 3, "sites": ["calf"]}
    edited = client.put(f"/api/v1/episodes/{old.id}", json={**body, "severity": 4})
    assert edited.status_code == 200 and edited.json()["severity"] == 4
    moved = client.put(
        f"/api/v1/episodes/{old.id}", json={**body, "started_at": "1927-01-01T10:00", "severity": 4}
    )
    assert moved.status_code == 422 and "check the year" in problems(moved)["started_at"]


def test_api_refuses_a_day_years_before_the_diary(client: TestClient) -> None:
    recent_diary(client)
    posted = client.post("/api/v1/days", json={"date": STRAY, "values": {"water_litres": 1}})
    assert posted.status_code == 422 and "check the year" in problems(posted)["date"]
    put = client.put(f"/api/v1/days/{STRAY}", json={"values": {"water_litres": 1}})
    assert put.status_code == 422 and "check the year" in problems(put)["date"]
    assert client.get(f"/api/v1/days/{STRAY}").status_code == 404


def test_api_refuses_future_dates(client: TestClient) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    body = {
        "started_at": f"{tomorrow}T10:00",
        "duration_minutes": 2,
        "sites": ["calf"],
        "severity": 5,
    }
    episode = client.post("/api/v1/episodes", json=body)
    assert episode.status_code == 422 and "future" in problems(episode)["started_at"]
    day = client.post("/api/v1/days", json={"date": tomorrow, "values": {}})
    assert day.status_code == 422 and "future" in problems(day)["date"]


def test_web_forms_refuse_a_date_years_before_the_diary(client: TestClient) -> None:
    recent_diary(client)
    day = post_form(client, "/diary/days", {"date": STRAY, "factor_water_litres": "1"})
    assert day.status_code == 422 and "check the year" in day.text
    fields = {"started_at": f"{STRAY}T10:00", "sites": "calf", "severity": "5"}
    episode = post_form(client, "/diary/episodes", {**fields, "duration_minutes": "2"})
    assert episode.status_code == 422 and "check the year" in episode.text
    assert len(client.get("/api/v1/episodes").json()) == 10


def test_api_insights_leave_out_a_stray_old_day(client: TestClient, db_url: str) -> None:
    days = recent_diary(client, 30)
    with open_store(db_url) as store:  # as an old diary may hold it, before these checks
        store.set_day(DayFactors(date(1926, 12, 1), {"water_litres": 1.0}))
        store.add_episode(Episode(YESTERDAY_AT_NIGHT, 1.0, ("toes",), 3))
    response = client.get("/api/v1/insights")
    assert response.status_code == 200
    data = response.json()
    assert data["summary"]["start"] == days[-1] and data["summary"]["days_covered"] == 30
    assert data["left_out"] == [STRAY] and any(STRAY in m for m in data["messages"])
    html = client.get("/diary/insights").text
    assert STRAY in html
    chart = client.get("/diary/charts/cramps.svg")
    assert chart.status_code == 200
