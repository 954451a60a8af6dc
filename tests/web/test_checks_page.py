"""Saving a check: once per check, with a "saved" confirmation; the list of saved checks
and each one opened again with the interview's result view."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi import FastAPI

from tests.web.helpers import Interview, TestClient, h1, hidden
from tests.web.test_history_page import store_of


def finished(client: TestClient, age: str = "74", item: str = "foot_pale_or_cold") -> Interview:
    iv = Interview(client).start(age=age, sex="male")
    iv.post(action="answer", item=[item])
    if not iv.is_result:
        iv.answer_all_dont_know()
    assert iv.is_result
    return iv


def save(client: TestClient, iv: Interview) -> str:
    """Press the result page's "Save to my diary" button (whatever address its form names)."""
    form = re.search(
        r'<form method="post" action="([^"]+)">\s*(?:<input[^>]*>\s*)*<button[^>]*>'
        r"Save to my diary",
        iv.html,
    )
    assert form, "no save button on the result page"
    data = {"csrf_token": hidden(iv.html, "csrf_token"), "state": hidden(iv.html, "state")}
    response = client.post(form.group(1), data=data, follow_redirects=False)
    assert response.status_code == 303
    location: str = response.headers["location"]
    return location


def test_the_result_page_saves_to_the_new_address(client: TestClient) -> None:
    assert 'action="/checks"' in finished(client).html


def test_pressing_save_three_times_saves_one_check(app: FastAPI, client: TestClient) -> None:
    iv = finished(client)
    places = [save(client, iv) for _ in range(3)]
    assert len(store_of(app).list_assessments()) == 1
    assert places[0].endswith("?saved=new")
    assert places[1] == places[2] and places[1].endswith("?saved=already")
    assert places[0].split("?")[0] == places[1].split("?")[0]
    assert len(store_of(app).list_assessments()) == 1
    first = client.get(places[0]).text
    assert "Saved to your diary." in first
    assert "already saved in your diary, so it was not saved again" in client.get(places[1]).text


def test_a_different_check_is_saved_as_a_new_one(app: FastAPI, client: TestClient) -> None:
    save(client, finished(client))
    second = save(client, finished(client, age="40"))
    assert second.endswith("?saved=new")
    assert len(store_of(app).list_assessments()) == 2


def test_the_same_answers_a_day_later_are_a_new_check(app: FastAPI, client: TestClient) -> None:
    from crampwise.diary.pages import DUPLICATE_WINDOW

    iv = finished(client)
    save(client, iv)
    store = store_of(app)
    (old,) = store.list_assessments()
    # Move the saved check back in time beyond the window.
    from sqlalchemy import update

    from crampwise.storage.models import metadata

    table = metadata.tables["saved_assessments"]
    with store.connection(write=True) as conn:
        conn.execute(
            update(table).values(created_at=old.created_at - DUPLICATE_WINDOW - timedelta(1))
        )
    assert save(client, iv).endswith("?saved=new")


def test_saved_checks_are_listed_newest_first_and_reopen(app: FastAPI, client: TestClient) -> None:
    emergency = finished(client)
    save(client, emergency)
    calm = save(client, finished(client, age="40"))
    listing = client.get("/checks")
    assert listing.status_code == 200 and h1(listing.text) == "Saved checks"
    links = re.findall(r'<a href="/checks/(\d+)">', listing.text)
    assert links == ["2", "1"]  # newest first
    assert "Emergency" in listing.text
    opened = client.get(calm.split("?")[0])
    assert opened.status_code == 200 and h1(opened.text).startswith("Saved check of ")
    old = client.get("/checks/1").text
    # The same result view as the interview's result page, without a save button.
    assert 'class="triage triage--emergency' in old
    assert "Save to my diary" not in old and 'action="/checks"' not in old
    assert "emergency-now" not in old  # an old check is not today's red banner
    assert 'href="/checks/1"' in client.get("/diary/history").text


def test_a_saved_result_is_shown_as_saved(app: FastAPI, client: TestClient) -> None:
    store = store_of(app)
    save(client, finished(client))
    (saved,) = store.list_assessments()
    # Whatever the engine says today, the page shows the result that was saved.
    changed = dict(saved.result)
    changed["triage"] = {**changed["triage"], "headline": "A headline saved long ago"}
    from sqlalchemy import update

    from crampwise.storage.models import metadata

    table = metadata.tables["saved_assessments"]
    with store.connection(write=True) as conn:
        conn.execute(update(table).values(result_json=changed))
    assert "A headline saved long ago" in client.get(f"/checks/{saved.id}").text


@pytest.mark.parametrize(("path", "status"), [("/checks/99", 404), ("/checks/0", 422)])
def test_a_missing_check(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def test_an_unfinished_or_forged_check_is_not_saved(app: FastAPI, client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    data = {"csrf_token": hidden(iv.html, "csrf_token"), "state": hidden(iv.html, "state")}
    assert client.post("/checks", data=data).status_code == 422
    assert client.post("/checks", data={**data, "state": "x.y"}).status_code == 422
    assert client.post("/checks", data={"state": data["state"]}).status_code == 403
    assert store_of(app).list_assessments() == []
    assert "No saved checks yet" in client.get("/checks").text
