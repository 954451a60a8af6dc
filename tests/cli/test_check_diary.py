"""`crampwise check` starts from the diary, says so, and --no-diary asks everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from tests.diary_seed import SENTENCE, seed_worsening_walking_diary

HOW_OFTEN = "About how many cramps do you get in a typical week?"
TREND = "Over the last few weeks, are the cramps getting better"
DONT_KNOW_ALL = "60\n\n" + "?\n" * 40  # age 60, sex skipped, then "don't know" to everything


@pytest.fixture
def diary_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    return url


def run(args: list[str], stdin: str = "") -> str:
    result = CliRunner().invoke(main, args, input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_diary_is_said_first_and_its_questions_skipped(diary_url: str) -> None:
    seed_worsening_walking_diary(diary_url)
    out = run(["check"], DONT_KNOW_ALL)
    assert SENTENCE in " ".join(out.split())  # the sentence is wrapped to the terminal width
    assert out.index("From your diary") < out.index("How old are you")
    assert HOW_OFTEN not in out and TREND not in out
    result = out[out.index("=====") :]
    assert "From your diary: about 7 cramps a week, getting worse" in " ".join(result.split())


def test_a_checklist_marks_what_the_diary_shows(diary_url: str) -> None:
    seed_worsening_walking_diary(diary_url)
    out = run(["check"], DONT_KNOW_ALL)
    assert "When walking (your diary shows this)" in out
    assert "In the calf (your diary shows this)" not in out  # sites are not taken


def test_no_diary_asks_everything(diary_url: str) -> None:
    seed_worsening_walking_diary(diary_url)
    out = run(["check", "--no-diary"], DONT_KNOW_ALL)
    assert "From your diary" not in out and "your diary shows" not in out
    assert HOW_OFTEN in out and TREND in out


def test_a_young_diary_changes_nothing(diary_url: str) -> None:
    from crampwise.diary.store import open_store

    with open_store(diary_url):
        pass  # an empty diary
    assert run(["check"], DONT_KNOW_ALL) == run(["check", "--no-diary"], DONT_KNOW_ALL)


def test_no_diary_file_is_created_by_looking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "none.sqlite3"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", f"sqlite:///{path}")
    out = run(["check"], DONT_KNOW_ALL)
    assert "From your diary" not in out
    assert not path.exists()


def test_case_and_simulate_never_read_the_diary(diary_url: str, tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"age": 60, "findings": {"site_calf": True}}))
    before = run(["check", "--case", str(case), "--json"]), run(["check", "--simulate", str(case)])
    seed_worsening_walking_diary(diary_url)
    after = run(["check", "--case", str(case), "--json"]), run(["check", "--simulate", str(case)])
    assert before == after
    assert "episodes_per_week" not in before[0]


def test_an_unreadable_diary_is_said_and_the_check_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none")
    result = CliRunner().invoke(main, ["check"], input=DONT_KNOW_ALL)
    assert result.exit_code == 0
    assert "Your diary could not be read, so the check goes on without it" in result.stderr
    assert "=====" in result.stdout
