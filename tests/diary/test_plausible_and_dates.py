"""The plausibility rules (diary/plausible.py) and the date-range rule (diary/dates.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.diary.dates import DateRange, date_range
from crampwise.diary.plausible import (
    MAX_YEARS_BEFORE,
    Period,
    check_not_far_before,
    covered_period,
    far_before,
    far_before_in,
)
from crampwise.errors import InvalidInputError

START = date(2026, 1, 1)
YEAR = [START + timedelta(days=i) for i in range(300)]
STRAY = date(1926, 12, 1)


# ------------------------------------------------------------------ covered period


def test_covered_period_of_nothing_is_none() -> None:
    assert covered_period([]) is None


def test_a_stray_day_far_before_the_bulk_is_left_out() -> None:
    assert covered_period([*YEAR, STRAY]) == Period(YEAR[0], YEAR[-1], (STRAY,))


def test_a_stray_pair_far_before_the_bulk_is_left_out() -> None:
    early = [date(1926, 5, 1), date(1962, 5, 2)]
    assert covered_period([*early, *YEAR]) == Period(YEAR[0], YEAR[-1], tuple(early))


def test_the_latest_entries_are_never_left_out() -> None:
    # Back after a long break: the new entries are what was just typed.
    late = [date(2028, 5, 1), date(2028, 5, 2)]
    assert covered_period([*YEAR, *late]) == Period(YEAR[0], late[-1], ())


def test_a_substantial_earlier_part_is_kept() -> None:
    earlier = [date(2020, 1, 1) + timedelta(days=i) for i in range(40)]
    period = covered_period([*earlier, *YEAR])
    assert period == Period(earlier[0], YEAR[-1], ())


def test_gaps_shorter_than_a_year_never_split_the_diary() -> None:
    sparse = [START + timedelta(days=200 * i) for i in range(6)]
    assert covered_period(sparse) == Period(sparse[0], sparse[-1], ())


def test_one_day_against_one_day_keeps_the_later() -> None:
    # Mistyped years land in the past: the earlier of two lone days is the suspect.
    assert covered_period([STRAY, START]) == Period(START, START, (STRAY,))


def test_period_contains_its_ends_only() -> None:
    period = Period(START, YEAR[-1])
    assert START in period and YEAR[-1] in period
    assert START - timedelta(days=1) not in period and "2026-01-01" not in period


# ------------------------------------------------------------------ far before


def test_far_before_flags_a_new_date_years_before_the_diary() -> None:
    (found,) = far_before([STRAY], YEAR)
    assert (found.index, found.day, found.diary_start) == (0, STRAY, START)
    assert "1926-12-01" in found.message() and "check the year" in found.message()
    assert f"{MAX_YEARS_BEFORE} years" in found.message()


def test_far_before_allows_dates_within_the_limit_and_an_empty_diary() -> None:
    within = date(START.year - MAX_YEARS_BEFORE, START.month, START.day)
    assert far_before([within], YEAR) == []
    assert far_before([within - timedelta(days=1)], YEAR) != []
    assert far_before([STRAY], []) == []
    assert far_before([], YEAR) == []


def test_far_before_judges_a_whole_file_against_its_own_bulk() -> None:
    found = far_before([*YEAR[:50], STRAY, *YEAR[50:]])
    assert [(f.index, f.day) for f in found] == [(50, STRAY)]


def test_check_not_far_before_names_each_field_and_line() -> None:
    dates = [YEAR[0], STRAY, date(1927, 1, 1)]
    fields = ["episodes[0].started_at", "episodes[1].started_at", "days[0].date"]
    with pytest.raises(InvalidInputError) as caught:
        check_not_far_before(dates, fields, YEAR, lines=[2, 3, 4])
    got = [(p.field, p.line) for p in caught.value.problems]
    assert got == [("episodes[1].started_at", 3), ("days[0].date", 4)]
    check_not_far_before([YEAR[5]], ["date"], YEAR)  # plausible: no error


# ------------------------------------------------------------------ date range


def test_date_range_accepts_open_ends_and_text() -> None:
    assert date_range(None, None) == DateRange()
    assert date_range("2026-03-01", None) == DateRange(date(2026, 3, 1), None)
    assert date_range(None, date(2026, 3, 1)) == DateRange(None, date(2026, 3, 1))
    same = date_range("2026-03-01", "2026-03-01")
    assert date(2026, 3, 1) in same and date(2026, 3, 2) not in same


def test_from_after_to_names_the_from_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        date_range("2026-03-05", "2026-03-01", start_field="query.from", end_field="query.to")
    (problem,) = caught.value.problems
    assert problem.field == "query.from"
    assert "2026-03-05 is after query.to (2026-03-01)" in problem.message
    assert caught.value.exit_code == 2 and caught.value.http_status == 422


def test_a_bad_day_names_its_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        date_range("2026-02-30", None, start_field="--from")
    assert [p.field for p in caught.value.problems] == ["--from"]


# ------------------------------------------------------------------ against a diary


class _Diary:
    """A diary that counts how often every entry day had to be read."""

    def __init__(self, days: list[date]) -> None:
        self.days = days
        self.full_reads = 0
        self.latest_reads = 0

    def latest_entry_day(self) -> date | None:
        self.latest_reads += 1
        return max(self.days) if self.days else None

    def entry_days(self) -> list[date]:
        self.full_reads += 1
        return sorted(self.days)


def test_a_recent_date_is_judged_without_reading_every_entry() -> None:
    diary = _Diary(YEAR)
    assert far_before_in(diary, [YEAR[-1]]) == []
    assert far_before_in(diary, [YEAR[0] - timedelta(days=400)]) == []
    assert diary.full_reads == 0


def test_an_early_date_is_judged_against_the_whole_diary() -> None:
    diary = _Diary(YEAR)
    (found,) = far_before_in(diary, [STRAY])
    assert (found.day, found.diary_start) == (STRAY, YEAR[0])
    assert diary.full_reads == 1
    with pytest.raises(InvalidInputError) as caught:
        check_not_far_before([STRAY], ["date"], diary)
    assert [p.field for p in caught.value.problems] == ["date"]


def test_todays_entry_is_judged_without_any_query() -> None:
    # Nothing in a diary is after today, so a date of these last years needs no lookup.
    diary = _Diary(YEAR)
    assert far_before_in(diary, [date.today()]) == []
    assert far_before_in(diary, [date.today() - timedelta(days=2 * 365)]) == []
    assert diary.latest_reads == 0 and diary.full_reads == 0


# The diary's own rule: no entry is in the future (records refuse it), so none is after today.
@settings(max_examples=200, deadline=None)
@given(
    existing=st.lists(st.dates(date(1900, 1, 1), date.today()), max_size=30),
    new=st.lists(st.dates(date(1900, 1, 1), date(2030, 1, 1)), min_size=1, max_size=5),
)
def test_the_short_cut_never_changes_the_answer(existing: list[date], new: list[date]) -> None:
    assert far_before_in(_Diary(existing), new) == far_before(new, existing)
