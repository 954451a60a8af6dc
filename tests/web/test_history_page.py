"""The history page: true totals, keyset pages, notes shown, edit, delete after a
confirmation, and undo."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pytest
from fastapi import FastAPI

from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore
from crampwise.web.app import AppState
from tests.web.helpers import TestClient, h1, hidden

START = datetime(2026, 1, 1, 22, 0)


def store_of(app: FastAPI) -> DiaryStore:
    state = app.state.crampwise
    assert isinstance(state, AppState)
    return state.store()


def fill(app: FastAPI, cramps: int, days: int = 0) -> None:
    store = store_of(app)
    store.add_episodes(
        Episode(START + timedelta(hours=5 * i), 1.5, ("calf",), i % 11, note=f"note {i}")
        for i in range(cramps)
    )
    store.set_days(
        DayFactors(date(2025, 1, 1) + timedelta(days=i), {"water_litres": 1.0}, f"day {i}")
        for i in range(days)
    )


def shown_cramps(page: str) -> list[str]:
    return re.findall(r'<th scope="row" data-label="When">([^<]*)</th>', page)


def link(page: str, rel: str, name: str = "cramps") -> str | None:
    label = {"older": "Older →", "newer": "← Newer"}[rel]
    found = re.findall(rf'<a class="button button--small" href="([^"]*)">{label}</a>', page)
    wanted = [html.unescape(u) for u in found if f"{name}=" in html.unescape(u).split("&")[-1]]
    return wanted[0] if wanted else None


def test_the_headings_give_the_true_totals(app: FastAPI, client: TestClient) -> None:
    fill(app, 230, 210)
    page = client.get("/diary/history").text
    assert "Cramps (230)" in page and "Days (210)" in page  # not "(200)"
    assert len(shown_cramps(page)) == 20
    assert "note 229" in page  # the newest cramp's note is shown


def test_older_and_newer_pages_cover_every_cramp_once(app: FastAPI, client: TestClient) -> None:
    fill(app, 47, 3)
    page = client.get("/diary/history").text
    assert link(page, "newer") is None
    seen: list[str] = []
    pages = [page]
    while True:
        seen += shown_cramps(pages[-1])
        older = link(pages[-1], "older")
        if older is None:
            break
        pages.append(client.get(older).text)
    assert len(pages) == 3 and len(seen) == 47 and len(set(seen)) == 47
    assert seen == sorted(seen, reverse=True)
    # Back from the last page with "Newer": the same pages in reverse.
    newer = link(pages[-1], "newer")
    assert newer is not None
    assert shown_cramps(client.get(newer).text) == shown_cramps(pages[1])
    assert "Days (3)" in pages[-1]  # the other list stays on its page


def test_the_period_filter_keeps_its_range_across_pages(app: FastAPI, client: TestClient) -> None:
    fill(app, 100)
    first = client.get("/diary/history", params={"from": "2026-01-03", "to": "2026-01-12"})
    # Every 5 hours from Jan 1 22:00: the cramps on Jan 3 .. Jan 12.
    expected = [
        t
        for i in range(100)
        if date(2026, 1, 3) <= (t := START + timedelta(hours=5 * i)).date() <= date(2026, 1, 12)
    ]
    assert f"Cramps ({len(expected)})" in first.text
    seen, page = shown_cramps(first.text), first.text
    while (older := link(page, "older")) is not None:
        assert "from=2026-01-03" in older and "to=2026-01-12" in older
        page = client.get(older).text
        seen += shown_cramps(page)
    assert seen == [t.strftime("%Y-%m-%d %H:%M") for t in reversed(expected)]


@pytest.mark.parametrize(
    ("query", "field"), [({"cramps": "oXX"}, "query.cramps"), ({"days": "x"}, "query.days")]
)
def test_a_bad_page_address_names_its_field(
    client: TestClient, query: dict[str, str], field: str
) -> None:
    response = client.get("/diary/history", params=query)
    assert response.status_code == 422 and field in response.text


def test_edit_a_cramp(app: FastAPI, client: TestClient) -> None:
    fill(app, 1)
    (ep,) = store_of(app).list_episodes()
    form = client.get(f"/diary/episodes/{ep.id}/edit")
    assert h1(form.text) == "Edit a cramp"
    assert 'value="1.5"' in form.text and "note 0" in form.text
    data = {
        "csrf_token": hidden(form.text, "csrf_token"),
        "started_at": "2026-01-01T22:00",
        "duration_minutes": "3",
        "severity": "8",
        "sites": ["calf", "toes"],
        "note": "edited",
    }
    saved = client.post(f"/diary/episodes/{ep.id}", data=data, follow_redirects=False)
    assert saved.status_code == 303
    (after,) = store_of(app).list_episodes()
    assert (after.id, after.severity, after.sites, after.note) == (
        ep.id,
        8,
        ("calf", "toes"),
        "edited",
    )
    assert "Your change is saved." in client.get(saved.headers["location"]).text
    # A required field emptied: nothing saved, the field named in the form's words.
    bad = client.post(f"/diary/episodes/{ep.id}", data={**data, "severity": ""})
    assert bad.status_code == 422 and "how bad it was" in bad.text
    assert store_of(app).get_episode(ep.id or 0).severity == 8


def test_edit_a_day_replaces_it(app: FastAPI, client: TestClient) -> None:
    store_of(app).set_days(
        [DayFactors(date(2026, 2, 1), {"water_litres": 2.0, "alcohol_units": 1})]
    )
    form = client.get("/diary/days/2026-02-01/edit")
    assert h1(form.text) == "Edit a day" and 'value="2"' in form.text
    data = {"csrf_token": hidden(form.text, "csrf_token"), "factor_water_litres": "1.5"}
    assert (
        client.post("/diary/days/2026-02-01", data=data, follow_redirects=False).status_code == 303
    )
    assert store_of(app).get_day(date(2026, 2, 1)) == DayFactors(
        date(2026, 2, 1), {"water_litres": 1.5}
    )
    assert client.get("/diary/days/2026-02-02/edit").status_code == 404


def _confirm(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return page.text


def test_delete_asks_first_then_offers_undo(app: FastAPI, client: TestClient) -> None:
    fill(app, 3)
    store = store_of(app)
    newest = store.list_episodes()[-1]
    listing = client.get("/diary/history").text
    # The Delete control is a link to a page that asks: no form deletes from the list.
    assert f'href="/diary/episodes/{newest.id}/delete"' in listing
    assert 'action="/diary/episodes/' not in listing
    confirm = _confirm(client, f"/diary/episodes/{newest.id}/delete")
    assert h1(confirm).startswith("Delete the cramp of ") and "note 2" in confirm
    assert len(store.list_episodes()) == 3  # asking deleted nothing
    data = {
        "csrf_token": hidden(confirm, "csrf_token"),
        "entry": hidden(confirm, "entry"),
        "confirm": "yes",
    }
    # Without the confirmation field the post only asks again.
    unconfirmed = {k: v for k, v in data.items() if k != "confirm"}
    again = client.post(f"/diary/episodes/{newest.id}/delete", data=unconfirmed)
    assert again.status_code == 200 and h1(again.text).startswith("Delete")
    assert len(store.list_episodes()) == 3
    done = client.post(f"/diary/episodes/{newest.id}/delete", data=data)
    assert done.status_code == 200 and "Deleted the cramp of" in done.text
    assert len(store.list_episodes()) == 2 and "Cramps (2)" in done.text
    # A reload posts the same form again: the same page, nothing else deleted.
    reload = client.post(f"/diary/episodes/{newest.id}/delete", data=data)
    assert reload.status_code == 200 and "Deleted the cramp of" in reload.text
    assert len(store.list_episodes()) == 2
    undo = {"csrf_token": hidden(done.text, "csrf_token"), "entry": hidden(done.text, "entry")}
    for _ in range(3):  # pressed three times (or reloaded): back once
        back = client.post("/diary/undo", data=undo, follow_redirects=False)
        assert back.status_code == 303
    episodes = store.list_episodes()
    assert len(episodes) == 3
    restored = episodes[-1]
    assert (restored.started_at, restored.note, restored.severity) == (
        newest.started_at,
        newest.note,
        newest.severity,
    )
    assert "The entry is back in your diary." in client.get(back.headers["location"]).text


def test_a_deleted_day_comes_back_under_what_the_date_holds_now(
    app: FastAPI, client: TestClient
) -> None:
    store = store_of(app)
    store.set_days([DayFactors(date(2026, 2, 1), {"water_litres": 2.0, "alcohol_units": 1}, "n")])
    confirm = _confirm(client, "/diary/days/2026-02-01/delete")
    data = {
        "csrf_token": hidden(confirm, "csrf_token"),
        "entry": hidden(confirm, "entry"),
        "confirm": "yes",
    }
    done = client.post("/diary/days/2026-02-01/delete", data=data)
    assert "Deleted the day 2026-02-01" in done.text and store.get_day(date(2026, 2, 1)) is None
    store.update_day(DayFactors(date(2026, 2, 1), {"water_litres": 0.5}))  # logged again since
    undo = {"csrf_token": hidden(done.text, "csrf_token"), "entry": hidden(done.text, "entry")}
    assert client.post("/diary/undo", data=undo, follow_redirects=False).status_code == 303
    assert store.get_day(date(2026, 2, 1)) == DayFactors(
        date(2026, 2, 1), {"water_litres": 0.5, "alcohol_units": 1}, "n"
    )


def test_undo_refuses_a_forged_entry_and_a_missing_token(app: FastAPI, client: TestClient) -> None:
    fill(app, 1)
    (ep,) = store_of(app).list_episodes()
    confirm = _confirm(client, f"/diary/episodes/{ep.id}/delete")
    token = hidden(confirm, "csrf_token")
    forged = client.post("/diary/undo", data={"csrf_token": token, "entry": "e30.abc"})
    assert forged.status_code == 422
    # An interview's signed state is not an entry.
    assert client.post("/diary/undo", data={"csrf_token": token}).status_code == 422
    assert client.post("/diary/undo", data={"entry": hidden(confirm, "entry")}).status_code == 403
    # A confirmation form for one cramp does not delete another.
    other = store_of(app).add_episode(Episode(START, 1.0, ("toes",), 3))
    data = {"csrf_token": token, "entry": hidden(confirm, "entry"), "confirm": "yes"}
    asked = client.post(f"/diary/episodes/{other.id}/delete", data=data)
    assert asked.status_code == 200 and h1(asked.text).startswith("Delete")
    assert len(store_of(app).list_episodes()) == 2


@pytest.mark.parametrize(
    "path",
    ["/diary/episodes/999/delete", "/diary/episodes/x/delete", "/diary/days/2026-01-01/delete"],
)
def test_deleting_what_is_not_there_is_a_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404
