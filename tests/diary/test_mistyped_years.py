"""One mistyped year must not ruin the diary (issue 8, item 9), in the terminal.

A date in the future is refused; a date years before the rest of the diary is asked about
at a terminal and refused in a script (unless --yes); and insights analyse the period the
diary covers, naming the entries they left out.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import open_store
from tests.diary.conftest import Cli

YESTERDAY = date.today() - timedelta(days=1)
BULK_DAYS = 180
STRAY = "1926-12-01"


def fill_recent_diary(url: str, n_days: int = BULK_DAYS) -> date:
    """``n_days`` recorded days up to yesterday, cramps mostly on low-water days."""
    first = YESTERDAY - timedelta(days=n_days - 1)
    days, episodes = [], []
    for i in range(n_days):
        day = first + timedelta(days=i)
        low_water = i % 3 == 0
        days.append(
            DayFactors(
                day, {"water_litres": 1.0 if low_water else 2.0, "stretching_done": i % 2 == 0}
            )
        )
        for k in range(2 if low_water else i % 2):
            episodes.append(
                Episode(datetime.combine(day, time(2, k)), 2.0, ("calf",), 5, activity="in_bed")
            )
    with open_store(url) as store:
        store.set_days(days)
        store.add_episodes(episodes)
    return first


def test_log_far_before_the_diary_is_refused_in_a_script(cli: Cli) -> None:
    fill_recent_diary(cli.url, 30)
    before = cli.counts()
    result = cli(
        "log", "--site", "calf", "--severity", "5", "--minutes", "2", "--at", f"{STRAY} 10:00"
    )
    assert result.exit_code == 2
    assert "--at" in result.stderr and "check the year" in result.stderr
    assert "--yes" in result.stderr
    assert cli.counts() == before


def test_log_far_before_the_diary_with_yes_is_recorded(cli: Cli) -> None:
    fill_recent_diary(cli.url, 30)
    args = ("log", "--site", "calf", "--severity", "5", "--minutes", "2", "--at", f"{STRAY} 10:00")
    result = cli(*args, "--yes")
    assert result.exit_code == 0, result.output
    with open_store(cli.url) as s:
        assert s.list_episodes(date(1926, 12, 1), date(1926, 12, 1))


@pytest.mark.parametrize(("answer", "stored"), [("n\n", False), ("y\n", True)])
def test_log_far_before_the_diary_asks_at_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, answer: str, stored: bool
) -> None:
    import crampwise.cli.diary as diary_cli

    fill_recent_diary(cli.url, 30)
    monkeypatch.setattr(diary_cli, "interactive", lambda: True)
    args = ("log", "--site", "calf", "--severity", "5", "--minutes", "2", "--at", f"{STRAY} 10:00")
    result = cli(*args, input=answer)
    assert "check the year" in result.output
    assert (result.exit_code == 0) is stored
    with open_store(cli.url) as s:
        assert bool(s.list_episodes(date(1926, 12, 1), date(1926, 12, 1))) is stored


def test_day_far_before_the_diary_is_refused_in_a_script(cli: Cli) -> None:
    fill_recent_diary(cli.url, 30)
    result = cli("day", "--date", STRAY, "--factor", "water_litres=1.2")
    assert result.exit_code == 2
    assert "--date" in result.stderr and "check the year" in result.stderr
    with open_store(cli.url) as s:
        assert s.get_day(date(1926, 12, 1)) is None


def test_day_far_before_the_diary_with_yes_is_recorded(cli: Cli) -> None:
    fill_recent_diary(cli.url, 30)
    result = cli("day", "--date", STRAY, "--factor", "water_litres=1.2", "--yes")
    assert result.exit_code == 0, result.output
    with open_store(cli.url) as s:
        assert s.get_day(date(1926, 12, 1)) is not None


def test_a_date_within_a_few_years_of_the_diary_is_fine(cli: Cli) -> None:
    first = fill_recent_diary(cli.url, 30)
    earlier = (first - timedelta(days=2 * 365)).isoformat()
    result = cli("day", "--date", earlier, "--factor", "water_litres=1.2")
    assert result.exit_code == 0, result.output


def test_the_first_entry_of_an_empty_diary_may_be_old(cli: Cli) -> None:
    result = cli("day", "--date", "2001-05-05", "--factor", "water_litres=1.2")
    assert result.exit_code == 0, result.output


def test_future_dates_are_refused(cli: Cli) -> None:
    tomorrow = date.today() + timedelta(days=1)
    log = cli(
        "log", "--site", "calf", "--severity", "5", "--minutes", "2", "--at", f"{tomorrow} 10:00"
    )
    assert log.exit_code == 2 and "--at" in log.stderr and "future" in log.stderr
    day = cli("day", "--date", tomorrow.isoformat(), "--factor", "water_litres=1")
    assert day.exit_code == 2 and "--date" in day.stderr and "future" in day.stderr
    assert cli.counts() == {"episodes": 0, "days": 0, "assessments": 0}


def test_insights_leave_out_a_stray_entry_and_say_so(cli: Cli) -> None:
    first = fill_recent_diary(cli.url)
    with open_store(cli.url) as s:
        s.add_episode(Episode(datetime(1926, 12, 1, 10, 0), 2.0, ("calf",), 5))
    result = cli("insights", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    summary = data["summary"]
    assert summary["start"] == first.isoformat() and summary["days_covered"] == BULK_DAYS
    assert summary["cramps_per_week"] > 5  # not "0.0 a week over 36,526 days"
    assert data["left_out"] == [STRAY]
    assert any(STRAY in m and "left out" in m.lower() for m in data["messages"])
    water = next(r for r in data["triggers"]["results"] if r["key"] == "low_water")
    assert water["status"] != "not_enough_data"
    text = cli("insights")
    assert text.exit_code == 0 and STRAY in text.stdout
