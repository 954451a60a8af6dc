"""'nothing' means no other action was taken: the episode record refuses it beside other
actions, so the terminal, the web form, the API and the import all say so; the demo diary
never makes it, nor a 'nothing' that 'helped'."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from crampwise.analysis.synthetic import generate_diary
from crampwise.diary.factors import load_factors
from crampwise.diary.records import Episode, validate_episode
from crampwise.errors import InvalidInputError
from tests.diary.conftest import Cli

WHEN = datetime(2026, 3, 1, 23, 10)
MESSAGE = "'nothing' cannot go with other actions (stretched): keep one or the other"


def test_the_record_refuses_nothing_with_another_action() -> None:
    with pytest.raises(InvalidInputError) as info:
        Episode(WHEN, 2.0, ("toes",), 5, actions=("nothing", "stretched"))
    assert [(p.field, p.message) for p in info.value.problems] == [("actions", MESSAGE)]
    with pytest.raises(InvalidInputError) as checked:
        validate_episode(
            {
                "started_at": "2026-03-01 23:10",
                "duration_minutes": 2,
                "sites": ["toes"],
                "severity": 5,
                "actions": ["stretched", "nothing"],
            }
        )
    assert [p.field for p in checked.value.problems] == ["actions"]


@pytest.mark.parametrize("actions", [(), ("nothing",), ("stretched", "massaged")])
def test_nothing_alone_and_other_actions_together_are_fine(actions: tuple[str, ...]) -> None:
    assert Episode(WHEN, 2.0, ("toes",), 5, actions=actions).actions == actions


def test_the_terminal_refuses_it_naming_the_option(cli: Cli) -> None:
    result = cli(
        "log", "--site", "toes", "--severity", "6", "--minutes", "2",
        "--at", "2026-03-01 23:10", "--did", "nothing", "--did", "stretched",
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"--did: {MESSAGE}" in result.stderr
    assert cli.counts()["episodes"] == 0


def test_the_import_refuses_it_naming_the_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(
        "started_at,duration_minutes,sites,severity,actions\n"
        "2026-03-01 22:00,1,toes,3,stretched\n"
        "2026-03-02 22:00,1,toes,3,nothing;stretched\n"
    )
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "line 3" in result.stderr and MESSAGE in result.stderr
    assert cli.counts()["episodes"] == 0


def test_the_api_and_the_web_form_refuse_it(tmp_path: Path) -> None:
    from crampwise.web.app import WebSettings, create_app
    from tests.web.helpers import TEST_HOST, TestClient, hidden

    settings = WebSettings(
        database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}",
        allowed_hosts=(TEST_HOST,),
        data_dir=tmp_path / "data",
    )
    body = {"started_at": "2026-03-01T22:30", "duration_minutes": 2, "sites": ["calf"]}
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/v1/episodes", json={**body, "severity": 5, "actions": ["nothing", "stretched"]}
        )
        assert response.status_code == 422
        assert response.json()["error"]["problems"] == [{"field": "actions", "message": MESSAGE}]
        token = hidden(client.get("/diary").text, "csrf_token")
        form = {
            "csrf_token": token,
            "started_at": "2026-03-01T22:30",
            "duration_minutes": "2",
            "sites": "calf",
            "severity": "5",
            "actions": ["nothing", "stretched"],
        }
        page = client.post("/diary/episodes", data=form, follow_redirects=False)
        assert page.status_code == 422
        assert MESSAGE.replace("'", "&#39;") in page.text
        assert client.get("/api/v1/episodes").json() == []
        # The API's schema states the rule too, so clients can check before they send.
        schema = client.get("/openapi.json").json()["components"]["schemas"]["EpisodeIn"]
        assert schema["properties"]["actions"]["if"] == {"contains": {"const": "nothing"}}
        assert schema["properties"]["actions"]["then"] == {"maxItems": 1}


def test_the_demo_diary_never_pairs_nothing_with_an_action_or_with_helped() -> None:
    _days, episodes = generate_diary(7, 365, date(2026, 6, 30), factors=load_factors())
    with_nothing = [e for e in episodes if "nothing" in e.actions]
    assert with_nothing, "the demo should still have cramps where nothing was done"
    assert all(e.actions == ("nothing",) and e.helped is None for e in with_nothing)
    # The others still say whether what was done helped.
    helped = Counter(e.helped for e in episodes if "nothing" not in e.actions)
    assert helped[True] > helped[False] > 0 and helped[None] == 0
