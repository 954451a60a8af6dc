"""One day update in the store, merge or replace, and the CLI `day` and `history` on it."""

from __future__ import annotations

from datetime import date

import pytest

from crampwise.diary.records import DayFactors
from crampwise.diary.store import DiaryStore
from crampwise.errors import InvalidInputError
from tests.diary.conftest import Cli

DAY = date(2026, 3, 1)


def test_update_day_merges_by_default(store: DiaryStore) -> None:
    store.update_day(DayFactors(DAY, {"water_litres": 1.2}, note="hot"))
    merged = store.update_day(DayFactors(DAY, {"alcohol_units": 2.0, "water_litres": 2.0}))
    assert merged == DayFactors(DAY, {"water_litres": 2.0, "alcohol_units": 2.0}, note="hot")
    assert store.get_day(DAY) == merged


def test_update_day_replace_makes_the_day_exactly_what_is_given(store: DiaryStore) -> None:
    store.update_day(DayFactors(DAY, {"water_litres": 1.2}, note="hot"))
    replaced = store.update_day(DayFactors(DAY, {"footwear": "barefoot"}), mode="replace")
    assert replaced == DayFactors(DAY, {"footwear": "barefoot"})
    assert store.get_day(DAY) == replaced
    assert store.set_day(DayFactors(DAY, {})) == DayFactors(DAY, {})  # set_day replaces


def test_update_day_validates_and_writes_nothing_on_error(store: DiaryStore) -> None:
    store.update_day(DayFactors(DAY, {"water_litres": 1.2}))
    with pytest.raises(InvalidInputError) as caught:
        store.update_day(DayFactors(DAY, {"water_litres": 99.0}))
    assert [p.field for p in caught.value.problems] == ["values.water_litres"]
    with pytest.raises(InvalidInputError) as bad_mode:
        store.update_day(DayFactors(DAY, {}), mode="append")  # type: ignore[arg-type]
    assert [p.field for p in bad_mode.value.problems] == ["mode"]
    assert store.get_day(DAY) == DayFactors(DAY, {"water_litres": 1.2})


def test_entry_days_lists_each_day_once(store: DiaryStore) -> None:
    from datetime import datetime

    from crampwise.diary.records import Episode

    store.update_day(DayFactors(DAY, {}))
    store.add_episode(Episode(datetime(2026, 3, 1, 2, 0), 1.0, ("calf",), 3))
    store.add_episode(Episode(datetime(2026, 2, 1, 2, 0), 1.0, ("calf",), 3))
    assert store.entry_days() == [date(2026, 2, 1), DAY]


def test_cli_day_merges_and_replace_flag_replaces(cli: Cli) -> None:
    assert cli("day", "--date", "2026-03-01", "--factor", "water_litres=1.2").exit_code == 0
    merged = cli("day", "--date", "2026-03-01", "--factor", "alcohol_units=2")
    assert merged.stdout == "Saved 2026-03-01: water_litres=1.2, alcohol_units=2.\n"
    replaced = cli("day", "--date", "2026-03-01", "--factor", "footwear=barefoot", "--replace")
    assert replaced.stdout == "Saved 2026-03-01: footwear=barefoot.\n"


@pytest.mark.parametrize("command", ["history", "insights"])
def test_from_after_to_is_exit_2_naming_from(cli: Cli, command: str) -> None:
    result = cli(command, "--from", "2026-03-05", "--to", "2026-03-01")
    assert result.exit_code == 2
    assert "--from: 2026-03-05 is after --to (2026-03-01)" in result.stderr


def test_history_honours_from_and_to(cli: Cli) -> None:
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        cli("day", "--date", day, "--factor", "water_litres=1")
    shown = cli("history", "--from", "2026-03-02", "--to", "2026-03-02", "--json")
    import json

    assert [d["date"] for d in json.loads(shown.stdout)["days"]] == ["2026-03-02"]
