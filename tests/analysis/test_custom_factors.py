"""The analysis takes its factor definitions as arguments: a custom definition file works,
and a number factor without bounds neither crashes the messages nor the synthetic diary."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from crampwise.analysis.design import build_day_table
from crampwise.analysis.insights import build_insights
from crampwise.analysis.synthetic import Effects, generate_diary
from crampwise.diary.factors import FactorDefinition, load_factors
from crampwise.diary.records import DayFactors, Episode

CUSTOM = """\
factors:
  - id: steps_thousands
    label: "Steps (thousands)"
    type: number
    minimum: 0
    exposure: {name: many_steps, label: "10,000 steps or more", at_least: 10}
  - id: cold_room
    label: "Slept in a cold room"
    type: bool
    exposure: {name: cold_room, label: "a cold bedroom", equals: [true]}
  - id: mood
    label: "Mood"
    type: choice
    choices: [low, fine, good]
    exposure: {name: low_mood, label: "a low mood", equals: [low]}
  - id: screen_hours
    label: "Screen hours"
    type: number
    exposure: {name: screens, label: "6 screen hours or more", at_least: 6}
"""


@pytest.fixture
def custom(tmp_path: Path) -> tuple[FactorDefinition, ...]:
    path = tmp_path / "factors.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    return load_factors(path)


def test_a_number_factor_without_bounds_explains_itself(
    custom: tuple[FactorDefinition, ...],
) -> None:
    steps, _cold, _mood, screens = custom
    assert steps.allowed() == "must be a number of at least 0"
    assert screens.allowed() == "must be a number"
    with pytest.raises(ValueError, match="at least 0"):
        steps.check(-1)
    assert steps.check(250) == 250.0 and screens.check(-3) == -3.0
    capped = steps.model_copy(update={"minimum": None, "maximum": 50.0})
    assert capped.allowed() == "must be a number of at most 50"


def test_synthetic_diary_records_exactly_the_defined_factors(
    custom: tuple[FactorDefinition, ...],
) -> None:
    days, episodes = generate_diary(4, 90, date(2024, 6, 30), factors=custom)
    assert episodes
    ids = {f.id for f in custom}
    for record in days:
        assert set(record.values) == ids
        for f in custom:
            f.check(record.values[f.id])  # every value is allowed by its definition
    # The shipped factors get their realistic values whatever else is defined.
    shipped = load_factors()
    mixed = (*shipped, *custom)
    plain_days, _ = generate_diary(4, 30, date(2024, 6, 30), factors=shipped)
    mixed_days, _ = generate_diary(4, 30, date(2024, 6, 30), factors=mixed)
    assert set(mixed_days[0].values) == {f.id for f in mixed}
    water = [d.values["water_litres"] for d in mixed_days]
    assert water == [d.values["water_litres"] for d in plain_days]


def test_the_day_table_and_insights_use_the_definitions_given(
    custom: tuple[FactorDefinition, ...],
) -> None:
    start = date(2024, 1, 1)
    days = [
        DayFactors(start + timedelta(days=i), {"steps_thousands": 12.0 if i % 2 else 3.0})
        for i in range(60)
    ]
    episodes = [
        Episode(datetime.combine(start + timedelta(days=i), time(2)), 1.0, ("calf",), 4)
        for i in range(0, 60, 3)
    ]
    table = build_day_table(episodes, days, factors=custom)
    assert table is not None
    assert [c.key for c in table.columns][:2] == ["many_steps", "many_steps_previous_day"]
    assert len(table.columns) == 2 * len(custom)
    result = build_insights(episodes, days, factors=custom)
    assert {r.name for r in result.triggers.results} == {  # type: ignore[union-attr]
        "many_steps",
        "cold_room",
        "low_mood",
        "screens",
    }


def test_synthetic_effects_apply_to_custom_exposures(
    custom: tuple[FactorDefinition, ...],
) -> None:
    calm = Effects(baseline_per_day=0.5, same_day={}, previous_day={})
    strong = Effects(baseline_per_day=0.5, same_day={"cold_room": 4.0}, previous_day={})
    _d, few = generate_diary(2, 200, date(2024, 6, 30), calm, factors=custom)
    _d, many = generate_diary(2, 200, date(2024, 6, 30), strong, factors=custom)
    assert len(many) > 1.5 * len(few)
