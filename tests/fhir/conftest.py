"""Fixtures for the FHIR tests: the diary fixtures (a database per backend), a small diary
with every kind of record, and its exported bundle."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

import pytest

from crampwise.case.model import validate_case
from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.engine.assess import assess
from crampwise.knowledge import KnowledgeBase

# The diary's fixtures: a fresh database per test on SQLite and on PostgreSQL.
from tests.diary.conftest import _never_the_real_diary, db_url, pg_url  # noqa: F401


def saved_check(kb: KnowledgeBase, case: dict[str, Any], at: datetime) -> SavedAssessment:
    checked = validate_case(case, kb)
    result = assess(checked, kb)
    return SavedAssessment(at, checked.to_dict(), result.to_dict(), result.knowledge_version)


@pytest.fixture(scope="session")
def records(kb: KnowledgeBase) -> tuple[list[Episode], list[DayFactors], list[SavedAssessment]]:
    episodes = [
        Episode(
            datetime(2026, 1, 1, 23, 10),
            2.5,
            ("calf", "toes"),
            6,
            side="left",
            activity="in_bed",
            actions=("stretched", "massaged"),
            helped=True,
            note="ouch",
        ),
        Episode(datetime(2026, 1, 3, 4, 0, 30, 250000), 1 / 3, ("thigh",), 0),
        Episode(
            datetime(2026, 1, 4, 7, 5),
            1440.0,
            ("foot", "buttock", "hands", "trunk"),
            10,
            side="both",
            activity="after_exercise",
            actions=("nothing",),
            helped=False,
        ),
    ]
    days = [
        DayFactors(
            date(2026, 1, 1),
            {
                "water_litres": 1.2,
                "stretching_done": True,
                "footwear": "everyday",
                "exercise_minutes": 30.0,
            },
            "a note",
        ),
        DayFactors(date(2026, 1, 2), {}, "only a note"),
        DayFactors(
            date(2026, 1, 3),
            {
                "alcohol_units": 4.0,
                "exercise_intensity": "hard",
                "caffeine_drinks": 2.0,
                "hours_on_feet": 9.5,
                "mineral_rich_foods": False,
                "medicine_change": True,
            },
        ),
    ]
    saved = [
        saved_check(
            kb,
            {
                "age": 67,
                "sex": "male",
                "findings": {
                    "site_calf": True,
                    "timing_night": True,
                    "side": "left",
                    "severity": 6,
                    "episodes_per_week": 4,
                },
            },
            datetime(2026, 1, 2, 10, 0),
        ),
        saved_check(
            kb,
            {"age": 44.5, "findings": {"foot_pale_or_cold": True, "site_foot": True}},
            datetime(2026, 1, 5, 9, 30),
        ),
    ]
    return episodes, days, saved


@pytest.fixture(scope="session")
def good_bundle(
    records: tuple[list[Episode], list[DayFactors], list[SavedAssessment]],
) -> dict[str, Any]:
    from crampwise.fhir import build_bundle

    return build_bundle(*records)


@pytest.fixture
def bundle(good_bundle: dict[str, Any]) -> dict[str, Any]:
    """A copy each test may change."""
    return copy.deepcopy(good_bundle)
