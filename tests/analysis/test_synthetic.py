"""Synthetic diaries: deterministic, valid for the store, and honest about their truth."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from crampwise.analysis.synthetic import NULL_FACTORS, PLANTED_EFFECTS, Effects, generate_diary
from crampwise.diary.factors import factors_by_id
from crampwise.diary.validate import day_problems, episode_problems

from .conftest import FACTORS

END = date(2024, 6, 30)


def test_same_seed_same_diary_and_different_seed_differs() -> None:
    assert generate_diary(7, 60, END, factors=FACTORS) == generate_diary(
        7, 60, END, factors=FACTORS
    )
    assert generate_diary(7, 60, END, factors=FACTORS) != generate_diary(
        8, 60, END, factors=FACTORS
    )


def test_every_record_passes_the_store_validation() -> None:
    days, episodes = generate_diary(3, 200, END, factors=FACTORS)
    definitions = factors_by_id()
    for d in days:
        assert set(d.values) == set(definitions)
        for fid, value in d.values.items():
            assert definitions[fid].check(value) == value
        assert day_problems(d) == []
    for e in episodes:
        assert episode_problems(e) == []
        assert END - timedelta(days=199) <= e.day <= END


def test_ten_years_gives_about_five_thousand_mostly_night_cramps() -> None:
    days, episodes = generate_diary(2024, 3650, END, factors=FACTORS)
    assert 4500 <= len(episodes) <= 5500
    assert 3450 <= len(days) <= 3600  # about 3% of days have no factor record
    activities = Counter(e.activity for e in episodes)
    assert activities["in_bed"] > 0.75 * len(episodes)
    assert not {"sitting", "walking", "standing"} & set(activities)


def test_planted_truth_is_data() -> None:
    assert PLANTED_EFFECTS.rate_ratio("low_water") == 2.0
    assert PLANTED_EFFECTS.rate_ratio("stretching") == 0.6
    for name in NULL_FACTORS:
        assert PLANTED_EFFECTS.rate_ratio(name, 0) == PLANTED_EFFECTS.rate_ratio(name, 1) == 1.0
    assert PLANTED_EFFECTS.rate_ratio("long_exercise", 1) == 1.2


def test_worsening_adds_daytime_cramps_only_in_the_last_weeks() -> None:
    _d, episodes = generate_diary(5, 120, END, Effects(worsening=True), factors=FACTORS)
    daytime = [e for e in episodes if e.activity in ("sitting", "walking", "standing")]
    assert daytime
    assert min(e.day for e in daytime) > END - timedelta(days=28)


def test_a_diary_ending_today_has_no_cramp_in_the_future() -> None:
    _d, episodes = generate_diary(1, 30, date.today(), factors=FACTORS)
    assert max(e.started_at for e in episodes) <= datetime.now()
    assert all(episode_problems(e) == [] for e in episodes)


def test_days_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_diary(1, 0, factors=FACTORS)
