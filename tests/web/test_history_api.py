"""Paging in the JSON API: ``limit`` gives a page newest first, ``X-Total-Count`` the total
and ``Link: <…>; rel="next"`` the next page; without ``limit`` the list is as it always was."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI

from crampwise.diary.records import DayFactors, Episode
from tests.web.helpers import TestClient
from tests.web.test_history_page import store_of

START = datetime(2026, 1, 1, 22, 0)


@pytest.fixture
def filled(app: FastAPI) -> FastAPI:
    store = store_of(app)
    # Two cramps at each instant: the page boundary falls between equal times too.
    store.add_episodes(
        Episode(START + timedelta(hours=9 * (i // 2)), 1.0, ("calf",), i % 11) for i in range(37)
    )
    store.set_days(
        DayFactors(date(2025, 6, 1) + timedelta(days=3 * i), {"water_litres": 1.0})
        for i in range(11)
    )
    return app


def next_link(headers: Any) -> str | None:
    value = headers.get("link")
    if value is None:
        return None
    match = re.fullmatch(r'<([^>]+)>; rel="next"', value)
    assert match, value
    return match.group(1)


def walk(client: TestClient, path: str, **params: Any) -> tuple[list[Any], list[Any]]:
    response = client.get(path, params=params)
    pages, totals = [response.json()], [response.headers["x-total-count"]]
    while (url := next_link(response.headers)) is not None:
        query = parse_qs(urlsplit(url).query)
        for key, value in params.items():
            assert query[key] == [str(value)]  # from, to and limit are kept
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.json())
        totals.append(response.headers["x-total-count"])
    return pages, totals


def test_episodes_page_newest_first_with_total_and_next(
    filled: FastAPI, client: TestClient
) -> None:
    pages, totals = walk(client, "/api/v1/episodes", limit=10)
    assert [len(p) for p in pages] == [10, 10, 10, 7] and set(totals) == {"37"}
    ids = [e["id"] for p in pages for e in p]
    assert sorted(ids) == list(range(1, 38))  # each once
    keys = [(e["started_at"], e["id"]) for p in pages for e in p]
    assert keys == sorted(keys, reverse=True)
    # The list is the same shape as without paging: a list of episodes.
    everything = client.get("/api/v1/episodes").json()
    assert sorted(e["id"] for e in everything) == sorted(ids)
    assert {e["id"]: e for e in everything} == {e["id"]: e for p in pages for e in p}


def test_without_limit_the_list_is_unchanged_oldest_first(
    filled: FastAPI, client: TestClient
) -> None:
    response = client.get("/api/v1/episodes")
    listed = response.json()
    assert len(listed) == 37 and "link" not in response.headers
    assert response.headers["x-total-count"] == "37"
    keys = [(e["started_at"], e["id"]) for e in listed]
    assert keys == sorted(keys)


def test_paging_keeps_the_date_range(filled: FastAPI, client: TestClient) -> None:
    params = {"from": "2026-01-02", "to": "2026-01-05", "limit": 3}
    pages, totals = walk(client, "/api/v1/episodes", **params)
    inside = client.get("/api/v1/episodes", params={"from": "2026-01-02", "to": "2026-01-05"})
    assert set(totals) == {str(len(inside.json()))}
    assert [e["id"] for p in pages for e in p] == [e["id"] for e in reversed(inside.json())]


def test_days_are_paged_the_same_way(filled: FastAPI, client: TestClient) -> None:
    pages, totals = walk(client, "/api/v1/days", limit=4)
    assert [len(p) for p in pages] == [4, 4, 3] and set(totals) == {"11"}
    dates = [d["date"] for p in pages for d in p]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == 11
    plain = client.get("/api/v1/days")
    assert [d["date"] for d in plain.json()] == sorted(dates)
    assert plain.headers["x-total-count"] == "11"


def test_the_last_page_has_no_next_link(filled: FastAPI, client: TestClient) -> None:
    response = client.get("/api/v1/episodes", params={"limit": 1000})
    assert len(response.json()) == 37 and "link" not in response.headers


@pytest.mark.parametrize("path", ["/api/v1/episodes", "/api/v1/days"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "1001"}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"limit": "5", "cursor": "not-a-cursor"}, "query.cursor"),
        ({"limit": "5", "cursor": "ZXwyMDI2LTAxLTAxVDAwOjAwOjAwfDE"}, None),  # a valid one
        ({"cursor": "ZXwyMDI2LTAxLTAxVDAwOjAwOjAwfDE"}, "query.cursor"),  # without limit
    ],
)
def test_bad_paging_input_is_a_422_naming_the_field(
    filled: FastAPI, client: TestClient, path: str, params: dict[str, str], field: str | None
) -> None:
    response = client.get(path, params=params)
    if field is None:
        # An episode cursor is not a day cursor: each list reads only its own.
        expected = 200 if path.endswith("episodes") else 422
        assert response.status_code == expected
        return
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["error"]["problems"]] == [field]


def test_the_openapi_document_describes_paging(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    operation = doc["paths"]["/api/v1/episodes"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"limit", "cursor", "from", "to"} <= names
    assert {"X-Total-Count", "Link"} <= set(operation["responses"]["200"]["headers"])
