"""The experiment pages: start from the list, check in with one tap, stop; no JavaScript."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import tests.web.conftest as _fixtures
from crampwise.diary.records import Episode
from crampwise.diary.store import open_store
from crampwise.experiments.design import design
from crampwise.experiments.store import Experiment, ExperimentStore
from tests.web.helpers import TestClient, hidden

# Fixtures shared with tests/web/conftest.py
app = _fixtures.app
client = _fixtures.client
db_url = _fixtures.db_url
settings = _fixtures.settings


def _start(web: TestClient, **fields: str) -> tuple[int, str]:
    page = web.get("/experiments")
    assert page.status_code == 200
    data = {"csrf_token": hidden(page.text, "csrf_token"), **fields}
    response = web.post("/experiments", data=data, follow_redirects=False)
    if response.status_code != 303:
        return response.status_code, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/experiments/\d+\?done=started", location)
    return 303, location


def test_the_list_offers_every_remedy_with_how_and_who_should_not(client: TestClient) -> None:
    html = client.get("/experiments").text
    for remedy_id in ("calf_stretch_bedtime", "magnesium_supplement", "warm_bath_bedtime"):
        assert f'value="{remedy_id}"' in html
    assert "Who should not try it" in html
    assert "With kidney disease, magnesium can build up in the blood" in html
    assert "Never tested here: Quinine" in html
    assert 'href="/static/experiments.css"' in html


def test_start_check_in_and_read_the_page(client: TestClient, db_url: str) -> None:
    status, location = _start(client, remedy="calf_stretch_bedtime", pairs="2", seed="11")
    assert status == 303
    page = client.get(location)
    assert page.status_code == 200
    html = page.text
    assert "Your experiment has started" in html
    assert "Today, day 1 of 28" in html
    assert "Did you do it today?" in html
    assert html.count('class="xp-day ') == 28
    assert "Not answered yet today." in html
    experiment_id = int(location.split("/")[2].split("?")[0])

    # One tap: the form posts and comes back to the page, answered.
    response = client.post(
        f"/experiments/{experiment_id}/checkin",
        data={
            "csrf_token": hidden(html, "csrf_token"),
            "date": date.today().isoformat(),
            "done": "yes",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/experiments/{experiment_id}?done=checked#today"
    html = client.get(response.headers["location"]).text
    assert "Your answer today: <strong>yes, I did the remedy</strong>" in html

    # The latest answer wins.
    client.post(
        f"/experiments/{experiment_id}/checkin",
        data={"csrf_token": hidden(html, "csrf_token"), "done": "no"},
    )
    with open_store(db_url) as store:
        (saved,) = ExperimentStore(store).all()
    assert [(c.day, c.done) for c in saved.checkins] == [(date.today(), False)]


def test_cramps_from_the_diary_show_in_the_strip_and_result(
    client: TestClient, db_url: str
) -> None:
    status, location = _start(client, remedy="warm_bath_bedtime", seed="3")
    assert status == 303
    with open_store(db_url) as store:
        store.add_episode(Episode(datetime.combine(date.today(), time(0, 5)), 1.0, ("calf",), 4))
    html = client.get(location).text
    assert "●1" in html
    assert "1 cramp." in html  # the screen-reader words of today's cell
    # Day 1 is a washout day: nothing is counted yet, so there is no chart to show.
    assert "What it shows so far" in html and "<svg" not in html


def test_a_finished_experiment_shows_its_result_first_with_the_chart(
    client: TestClient, db_url: str
) -> None:
    start = date.today() - timedelta(days=30)
    schedule = design(
        "warm_bath_bedtime", start=start, seed=2, pairs=1, block_days=7, washout_days=1
    )
    with open_store(db_url) as store:
        saved = ExperimentStore(store).add(Experiment(schedule, datetime.combine(start, time(9))))
        store.add_episode(
            Episode(datetime.combine(start + timedelta(days=3), time(2)), 1.0, ("calf",), 4)
        )
    html = client.get(f"/experiments/{saved.id}").text
    assert "Finished " in html and "Did you do it today?" not in html
    assert html.index("The result") < html.index("The schedule")
    assert '<figure class="xp-chart">' in html and "<svg" in html
    assert "Missed a day?" in html  # no check-ins at all: each day can still be answered


def test_bad_input_is_named_and_nothing_starts(client: TestClient, db_url: str) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    cases = [
        ({"remedy": "nonsense"}, "unknown remedy"),
        ({"remedy": "quinine"}, "Quinine can cause"),
        ({"remedy": "calf_stretch_bedtime", "start": yesterday}, "is before today"),
        ({"remedy": "calf_stretch_bedtime", "start": "2026-02-30"}, "not a real date"),
        ({"remedy": "calf_stretch_bedtime", "pairs": "many"}, "whole number"),
        ({"remedy": "calf_stretch_bedtime", "seed": "-4"}, "seed"),
        ({}, "unknown remedy"),
    ]
    for fields, expected in cases:
        status, html = _start(client, **fields)
        assert status == 422, fields
        assert expected in html, (fields, expected)
        assert "The experiment was not started" in html
    with open_store(db_url) as store:
        assert ExperimentStore(store).all() == []


def test_one_at_a_time_then_stop_frees_the_form(client: TestClient) -> None:
    status, location = _start(client, remedy="calf_stretch_bedtime")
    assert status == 303
    listing = client.get("/experiments").text
    assert "One experiment at a time" in listing
    assert 'action="/experiments"' not in listing  # no start form while one runs
    experiment_id = location.split("/")[2].split("?")[0]
    page = client.get(location).text
    token = hidden(page, "csrf_token")
    unconfirmed = client.post(f"/experiments/{experiment_id}/stop", data={"csrf_token": token})
    assert unconfirmed.status_code == 422 and "tick the box" in unconfirmed.text
    stopped = client.post(
        f"/experiments/{experiment_id}/stop", data={"csrf_token": token, "confirm": "yes"}
    )
    assert stopped.status_code == 200 and "Stopped early on" in stopped.text
    assert "Did you do it today?" not in stopped.text
    assert 'action="/experiments"' in client.get("/experiments").text


def test_check_in_errors_are_shown_on_the_page(client: TestClient) -> None:
    status, location = _start(client, remedy="calf_stretch_bedtime")
    experiment_id = location.split("/")[2].split("?")[0]
    token = hidden(client.get(location).text, "csrf_token")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    before = (date.today() - timedelta(days=1)).isoformat()
    for fields, expected in [
        ({"done": "maybe"}, "answer yes or no"),
        ({"done": "yes", "date": tomorrow}, "is in the future"),
        ({"done": "yes", "date": before}, "the experiment runs from"),
        ({"done": "yes", "date": "yesterday"}, "not a real date"),
    ]:
        response = client.post(
            f"/experiments/{experiment_id}/checkin", data={"csrf_token": token, **fields}
        )
        assert response.status_code == 422, fields
        assert expected in response.text


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    response = client.post("/experiments", data={"remedy": "calf_stretch_bedtime"})
    assert response.status_code == 403


def test_unknown_experiment_pages_are_404(client: TestClient) -> None:
    assert client.get("/experiments/99").status_code == 404
    assert client.get("/experiments/abc").status_code == 404
