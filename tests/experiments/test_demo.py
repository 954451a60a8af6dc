"""The demo's example experiment: finished, deterministic, and agreeing with the demo diary."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from crampwise.analysis.synthetic import generate_diary
from crampwise.diary.factors import load_factors
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import open_store
from crampwise.diary.transfer import ImportPlan, write_plan
from crampwise.experiments import running
from crampwise.experiments.demo import REMEDY, demo_experiment
from crampwise.experiments.store import ExperimentStore


@pytest.fixture(scope="module")
def diary() -> tuple[list[DayFactors], list[Episode]]:
    return generate_diary(seed=7, days=120, factors=load_factors())


def test_same_seed_same_experiment(diary: tuple[list[DayFactors], list[Episode]]) -> None:
    days, episodes = diary
    first = demo_experiment(days, episodes, 7)
    again = demo_experiment(days, episodes, 7)
    assert first == again
    other = demo_experiment(days, episodes, 8)
    assert other[2][0].schedule.seed != first[2][0].schedule.seed


def test_it_is_finished_and_the_diary_agrees(
    diary: tuple[list[DayFactors], list[Episode]],
) -> None:
    days, episodes = diary
    new_days, new_episodes, (e,) = demo_experiment(days, episodes, 7)
    assert e.remedy == REMEDY
    assert e.end_date == max(d.day for d in days) - timedelta(days=7)
    assert e.status(date.today()) == "finished"
    by_day = {d.day: d for d in new_days}
    for scheduled in e.schedule.days:
        if scheduled.date in by_day:
            assert by_day[scheduled.date].values["stretching_done"] == (scheduled.arm == "remedy")
    # Outside the experiment the diary is untouched.
    outside = [d for d in days if e.day(d.day) is None]
    assert outside == [d for d in new_days if e.day(d.day) is None]
    assert [ep for ep in episodes if e.day(ep.started_at.date()) is None] == [
        ep for ep in new_episodes if e.day(ep.started_at.date()) is None
    ]
    # Most days are checked in, as planned; a few are missed or slipped.
    assert 0.75 * 42 <= len(e.checkins) < 42
    planned = sum(1 for c in e.checkins if c.done == (e.day(c.day).arm == "remedy"))  # type: ignore[union-attr]
    assert planned >= 0.8 * len(e.checkins)


def test_a_short_diary_gets_no_experiment() -> None:
    days, episodes = generate_diary(seed=1, days=30, factors=load_factors())
    assert demo_experiment(days, episodes, 1) == (days, episodes, [])
    assert demo_experiment([], [], 1) == ([], [], [])


def test_written_with_the_demo_diary_it_reads_as_a_result(
    diary: tuple[list[DayFactors], list[Episode]], tmp_path: Path
) -> None:
    days, episodes = diary
    new_days, new_episodes, experiments = demo_experiment(days, episodes, 7)
    with open_store(f"sqlite:///{tmp_path / 'demo.sqlite3'}") as store:
        plan = ImportPlan(episodes=new_episodes, days=new_days, experiments=experiments)
        counts = write_plan(store, plan, allow_far_before=True)
        assert counts.experiments == 1
        (e,) = ExperimentStore(store).all()
        found = running.result(e, running.cramp_dates(store, e), date.today())
    assert found.complete and found.days == {"remedy": 15, "usual": 15}
    assert found.rate_ratio is not None and found.adherence is not None
    assert sum(found.cramps.values()) > 0
