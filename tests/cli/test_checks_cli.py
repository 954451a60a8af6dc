"""`crampwise checks`: the saved checks newest first, one opened again; and `crampwise
history --limit N --page K`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crampwise.case.parse import parse_case
from crampwise.cli import main
from crampwise.diary.pages import save_check_once
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore, open_store
from crampwise.engine.assess import assess
from crampwise.knowledge import load_knowledge


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DiaryStore]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "100")
    with open_store(url) as s:
        yield s


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _save(store: DiaryStore, findings: dict[str, bool], age: int, when: datetime) -> int:
    kb = load_knowledge()
    case = parse_case({"age": age, "findings": findings}, kb)
    result = assess(case, kb)
    saved, _ = save_check_once(
        store, case.to_dict(), result.to_dict(), result.knowledge_version, when
    )
    assert saved.id is not None
    return saved.id


def test_checks_lists_newest_first_and_opens_one(store: DiaryStore) -> None:
    assert "No saved checks" in run("checks").stdout
    first = _save(store, {"foot_pale_or_cold": True}, 74, datetime(2026, 3, 1, 9, 0))
    second = _save(store, {"site_calf": True}, 40, datetime(2026, 4, 1, 9, 0))
    listed = run("checks")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0] == "Saved checks (2), newest first"
    rows = [line for line in lines[2:] if line[:1].isdigit()]  # a long cause wraps
    assert rows[0].startswith(f"{second}  ") and "2026-04-01 09:00" in rows[0]
    assert rows[1].startswith(f"{first}  ") and "Emergency" in rows[1]
    as_json = json.loads(run("checks", "--json").stdout)
    assert [c["id"] for c in as_json] == [second, first]
    assert as_json[1]["level"] == "emergency" and as_json[1]["created_at"] == "2026-03-01T09:00"
    opened = run("checks", str(first))
    assert opened.exit_code == 0
    assert opened.stdout.startswith(f"Saved check #{first} of 2026-03-01 09:00\n")
    assert "EMERGENCY: Call your emergency number now" in opened.stdout
    doc = json.loads(run("checks", str(first), "--json").stdout)
    assert doc["case"]["findings"] == {"foot_pale_or_cold": True}
    assert doc["result"]["triage"]["level"] == "emergency"


@pytest.mark.parametrize(("arg", "message"), [("99", "no saved check with id 99"), ("0", "0")])
def test_a_missing_or_bad_id_is_exit_2(store: DiaryStore, arg: str, message: str) -> None:
    result = run("checks", arg)
    assert result.exit_code == 2 and message in result.output


def test_history_pages_newest_first(store: DiaryStore) -> None:
    start = datetime(2026, 1, 1, 22, 0)
    store.add_episodes(Episode(start + timedelta(hours=i), 1.0, ("calf",), 3) for i in range(7))
    store.set_days(DayFactors(date(2026, 1, 1) + timedelta(days=i), {}, f"d{i}") for i in range(5))
    first = run("history", "--limit", "3")
    assert "Cramps (1–3 of 7, newest first)" in first.stdout
    assert "Days (1–3 of 5, newest first)" in first.stdout
    assert "Older entries: crampwise history --limit 3 --page 2" in first.stdout
    pages = [
        json.loads(run("history", "--limit", "3", "--page", str(k), "--json").stdout)
        for k in (1, 2, 3, 4)
    ]
    ids = [e["id"] for p in pages for e in p["episodes"]]
    assert ids == [7, 6, 5, 4, 3, 2, 1]
    assert [d["date"] for p in pages for d in p["days"]] == [
        f"2026-01-0{k}" for k in (5, 4, 3, 2, 1)
    ]
    assert pages[0]["page"] == {"limit": 3, "page": 1, "episodes_total": 7, "days_total": 5}
    assert (
        pages[3]["episodes"] == []
        and "Older entries" not in run("history", "--limit", "3", "--page", "3").stdout
    )
    ranged = run("history", "--from", "2026-01-02", "--limit", "1")
    assert "Days (1–1 of 4, newest first)" in ranged.stdout
    assert "crampwise history --from 2026-01-02 --limit 1 --page 2" in ranged.stdout
    # Without --limit: everything, oldest first, as before (the JSON has no "page" key).
    plain = json.loads(run("history", "--json").stdout)
    assert [e["id"] for e in plain["episodes"]] == [1, 2, 3, 4, 5, 6, 7]
    assert set(plain) == {"episodes", "days"}


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--limit", "0"), "--limit: must be from 1 to 1000"),
        (("--limit", "1001"), "--limit: must be from 1 to 1000"),
        (("--limit", "5", "--page", "0"), "--page: must be 1 or more"),
        (("--page", "2"), "--page: goes with --limit"),
    ],
)
def test_bad_paging_options_are_exit_2(
    store: DiaryStore, args: tuple[str, ...], problem: str
) -> None:
    result = run("history", *args)
    assert result.exit_code == 2 and problem in result.output
