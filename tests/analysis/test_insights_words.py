"""Insights as people read them, in the terminal and on the web page: the caveats once, the
unclear factors in one sentence, lines that fit the terminal, level words not level ids."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.analysis.insights import build_insights
from crampwise.analysis.synthetic import generate_diary
from crampwise.cli import main

from .conftest import FACTORS

END = date.today() - timedelta(days=1)
REPEATED = "No clear association once"


@pytest.fixture
def demo_diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from crampwise.diary.store import open_store

    url = f"sqlite:///{tmp_path}/d.sqlite3"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    records, episodes = generate_diary(7, 365, END, factors=FACTORS)
    with open_store(url) as store:
        store.set_days(records)
        store.add_episodes(episodes)
    return url


def test_terminal_says_the_caveat_once_wraps_and_names_the_level(
    demo_diary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    result = CliRunner().invoke(main, ["insights", "--age", "60"])
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())  # the words, whatever the line breaks
    assert REPEATED not in flat
    assert flat.count("No clear link for") == 1 and flat.count("by chance") == 1
    assert flat.count("not proof") == 1
    assert max(len(line) for line in out.splitlines()) <= 72
    # The level in the knowledge base's words, never its id.
    assert "From your diary: doctor" not in out
    assert re.search(r"What your diary suggests: (See a doctor|Self-care|Urgent|Emergency)\n", out)


def test_web_page_shows_the_same_grouped_words(demo_diary: str, tmp_path: Path) -> None:
    from crampwise.web.app import WebSettings, create_app
    from tests.web.helpers import TEST_HOST, TestClient

    settings = WebSettings(
        database_url=demo_diary, allowed_hosts=(TEST_HOST,), data_dir=tmp_path / "data"
    )
    with TestClient(create_app(settings)) as client:
        html = client.get("/diary/insights").text
    from crampwise.diary.store import open_store

    with open_store(demo_diary) as store:
        insights = build_insights(store.list_episodes(), store.list_days(), factors=FACTORS)
    words = insights.readout
    assert words is not None and words.unclear is not None
    assert REPEATED not in html
    assert html.count("by chance") == 1 and html.count("not proof") == 1
    assert f"<p>{words.unclear}</p>" in html.replace("&#39;", "'")
    for text in words.clear:
        assert f"<li>{text}</li>" in html


def test_a_wide_terminal_gets_longer_lines_up_to_a_readable_bound(
    demo_diary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    out = CliRunner().invoke(main, ["insights"]).output
    longest = max(len(line) for line in out.splitlines())
    assert 80 < longest <= 100  # cli.text.MAX_WIDTH
