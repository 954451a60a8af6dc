"""The log forms start empty where empty means "not recorded", mark what is required, and
say clearly what is missing; nothing is stored that the person did not enter."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from tests.web.helpers import TestClient, hidden
from tests.web.test_history_page import store_of


def field_tag(page: str, name: str) -> str:
    match = re.search(rf'<input id="{name}"[^>]*>', page, re.S)
    assert match, name
    return match.group(0)


def test_the_cramp_form_starts_empty(client: TestClient) -> None:
    page = client.get("/diary").text
    for name in ("severity", "duration_minutes"):
        tag = field_tag(page, name)
        assert 'value=""' in tag and "required" in tag, tag
    # No activity is ticked for the person: "Not recorded" is.
    checked = re.findall(r'name="activity" value="([^"]*)" checked', page)
    assert checked == [""]
    assert not re.search(r'name="(sites|actions)" value="[^"]*" checked', page)


def test_required_fields_say_so_in_their_labels(client: TestClient) -> None:
    page = client.get("/diary").text
    for label in ("When it started", "How long (minutes)", "How bad (0 to 10)", "Day"):
        assert re.search(rf'{re.escape(label)} <span class="required">\(required\)</span>', page), (
            label
        )
    assert re.search(r"<legend>Where \(tick every place\) <span class=\"required\">", page)


def test_a_cramp_posted_with_only_the_place_and_time_is_refused_by_name(
    app: FastAPI, client: TestClient
) -> None:
    token = hidden(client.get("/diary").text, "csrf_token")
    data = {"csrf_token": token, "started_at": "2026-01-01T22:00", "sites": "calf"}
    response = client.post("/diary/episodes", data=data)
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert "is required: how bad it was, from 0 (none) to 10 (worst)" in response.text
    assert "is required: how long it lasted, in minutes" in response.text
    assert store_of(app).list_episodes() == []


def test_nothing_but_what_was_entered_is_stored(app: FastAPI, client: TestClient) -> None:
    token = hidden(client.get("/diary").text, "csrf_token")
    data = {
        "csrf_token": token,
        "started_at": "2026-01-01T22:00",
        "sites": "calf",
        "severity": "4",
        "duration_minutes": "1",
        "activity": "",
        "side": "",
        "helped": "",
    }
    assert client.post("/diary/episodes", data=data, follow_redirects=False).status_code == 303
    (ep,) = store_of(app).list_episodes()
    assert (ep.activity, ep.side, ep.helped, ep.actions, ep.note) == (None, None, None, (), None)


@pytest.mark.parametrize(
    ("missing", "message"),
    [("sites", "tick at least one place"), ("started_at", "when the cramp started")],
)
def test_each_required_field_has_its_own_message(
    client: TestClient, missing: str, message: str
) -> None:
    token = hidden(client.get("/diary").text, "csrf_token")
    data = {
        "csrf_token": token,
        "started_at": "2026-01-01T22:00",
        "sites": "calf",
        "severity": "4",
        "duration_minutes": "1",
    }
    del data[missing]
    response = client.post("/diary/episodes", data=data)
    assert response.status_code == 422 and message in response.text
