"""Trigger analysis: recovery of planted effects, the minimum-data guardrail, and the
cases that must not crash (separation, collinearity, no cramps, missing days)."""

from __future__ import annotations

from datetime import date

import pytest

from crampwise.analysis.design import build_day_table
from crampwise.analysis.synthetic import NULL_FACTORS, PLANTED_EFFECTS, generate_diary
from crampwise.analysis.triggers import (
    CAVEAT,
    MIN_DAYS,
    TriggerReport,
    analyse_triggers,
    need_more,
)

from .conftest import FACTORS, make_days, make_episodes

DIARIES = 100
DAYS = 120


def _report(episodes, days) -> TriggerReport:  # type: ignore[no-untyped-def]
    table = build_day_table(episodes, days, factors=FACTORS)
    assert table is not None
    return analyse_triggers(table)


@pytest.fixture(scope="module")
def recovery() -> list[TriggerReport]:
    reports = []
    for seed in range(DIARIES):
        days, episodes = generate_diary(seed, DAYS, end=date(2024, 6, 30), factors=FACTORS)
        reports.append(_report(episodes, days))
    return reports


@pytest.mark.parametrize("name", ["low_water", "stretching"])
def test_planted_effects_are_recovered(recovery: list[TriggerReport], name: str) -> None:
    truth = PLANTED_EFFECTS.rate_ratio(name)
    results = [r.by_key()[name] for r in recovery]
    assert all(r.rate_ratio is not None for r in results)
    covered = sum(r.ci_low <= truth <= r.ci_high for r in results)  # type: ignore[operator]
    right_way = sum((r.rate_ratio - 1) * (truth - 1) > 0 for r in results)  # type: ignore[operator]
    assert covered >= 0.9 * DIARIES, f"{name}: interval covered {truth} in {covered}/{DIARIES}"
    assert right_way >= 0.9 * DIARIES, f"{name}: right direction in {right_way}/{DIARIES}"


@pytest.mark.parametrize("key", [*NULL_FACTORS, *(f"{n}_previous_day" for n in NULL_FACTORS)])
def test_null_factors_show_no_clear_association(recovery: list[TriggerReport], key: str) -> None:
    statuses = [r.by_key()[key].status for r in recovery]
    quiet = statuses.count("no_clear_association")
    assert quiet >= 0.9 * DIARIES, f"{key}: no clear association in {quiet}/{DIARIES}"


def test_long_diary_finds_planted_effects_clearly() -> None:
    days, episodes = generate_diary(5, 3650, end=date(2024, 6, 30), factors=FACTORS)
    results = _report(episodes, days).by_key()
    for name in ("low_water", "stretching"):
        assert results[name].status == "clear_association"
        assert CAVEAT in results[name].message
    low = results["low_water"]
    assert low.rate_ratio is not None and 1.8 < low.rate_ratio < 2.2
    assert "times as many cramps" in low.message and "95% interval" in low.message


@pytest.mark.parametrize(
    ("n_days", "exposed_days", "more", "more_exposed", "more_unexposed"),
    [
        (20, 3, 8, 4, 0),  # too few days overall, and too few exposed
        (40, 2, 5, 5, 0),  # enough days, too few exposed
        (40, 40, 7, 0, 7),  # every day exposed: nothing to compare with
        (10, 10, 18, 0, 7),
        (40, 7, 0, 0, 0),
    ],
)
def test_guardrail_says_how_many_more_days(
    n_days: int, exposed_days: int, more: int, more_exposed: int, more_unexposed: int
) -> None:
    assert need_more(n_days, exposed_days) == (more, more_exposed, more_unexposed)
    # The exposed days come last: day 0 has no previous day, so it drops out of the model.
    days = make_days(n_days, lambda i: {"stretching_done": i >= n_days - exposed_days})
    episodes = make_episodes([1 + i % 3 for i in range(n_days)])
    result = _report(episodes, days).by_key()["stretching"]
    if more:
        assert result.status == "not_enough_data"
        assert result.need_more_days == more
        assert f"Need {more} more days" in result.message
        if more_exposed:
            assert f"at least {more_exposed} of them with stretching done" in result.message
        if more_unexposed:
            assert f"at least {more_unexposed} without" in result.message
    else:
        assert result.status != "not_enough_data"
        assert result.need_more_days is None


def test_guardrail_minimum_is_twenty_eight_days() -> None:
    days = make_days(MIN_DAYS - 1, lambda i: {"water_litres": 1.0 if i % 2 else 2.0})
    report = _report(make_episodes([1] * (MIN_DAYS - 1)), days)
    assert report.by_key()["low_water"].need_more_days == 1
    assert report.days_modelled == 0 and report.dispersion is None


def test_separation_is_reported_not_crashed() -> None:
    # Never a cramp on a stretching day: the rate ratio would be 0, the MLE -infinity.
    n = 90
    days = make_days(n, lambda i: {"stretching_done": i % 3 == 0, "water_litres": 1.0 + i % 2})
    counts = [0 if i % 3 == 0 else 1 + (i % 5 == 0) + (i % 2 == 0) for i in range(n)]
    results = _report(make_episodes(counts), days).by_key()
    assert results["stretching"].status == "not_enough_data"
    assert "no cramps on any exposed day" in results["stretching"].message
    assert results["low_water"].status in ("clear_association", "no_clear_association")


def test_factors_that_always_come_together_are_not_estimated() -> None:
    n = 90
    together = {i for i in range(n) if (i * 7) % 5 < 2}
    days = make_days(
        n,
        lambda i: {"water_litres": 1.0 if i in together else 2.0, "stretching_done": i in together},
    )
    counts = [(2 if i in together else 1) + (i % 4 == 0) for i in range(n)]
    results = _report(make_episodes(counts), days).by_key()
    assert results["low_water"].rate_ratio is not None
    assert results["stretching"].status == "not_enough_data"
    assert "cannot be told apart" in results["stretching"].message


def test_no_cramps_at_all_is_not_enough_data() -> None:
    days = make_days(60, lambda i: {"water_litres": 1.0 + i % 2})
    report = _report([], days)
    assert {r.status for r in report.results} == {"not_enough_data"}
    assert "no cramps" in report.by_key()["low_water"].message


def test_days_without_factor_records_are_left_out() -> None:
    days = [
        d for i, d in enumerate(make_days(100, lambda i: {"water_litres": 1.0 + i % 2})) if i % 4
    ]
    episodes = make_episodes([1 + i % 3 for i in range(100)])
    table = build_day_table(episodes, days, factors=FACTORS)
    assert table is not None and table.n_days == 100 and int(table.recorded.sum()) == 75
    report = analyse_triggers(table)
    # Complete cases with the previous-day columns: recorded today and yesterday.
    both = sum(1 for i in range(1, 100) if i % 4 and (i - 1) % 4)
    assert report.days_modelled == both
    assert report.by_key()["low_water"].days_recorded == both


def test_messages_speak_of_association_never_cause() -> None:
    days, episodes = generate_diary(3, 400, end=date(2024, 6, 30), factors=FACTORS)
    for r in _report(episodes, days).results:
        text = r.message.lower()
        assert "cause" not in text.replace("not proof of cause", "")
        if r.status == "clear_association":
            assert text.endswith("this is an association, not proof of cause.")
