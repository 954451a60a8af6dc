"""Properties, on SQLite and PostgreSQL: export then import into a fresh diary loses nothing
(JSON; CSV for episodes and days), and importing the same export again changes nothing."""

from __future__ import annotations

import io
import itertools
import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.diary.factors import load_factors
from crampwise.diary.records import (
    ACTIONS,
    ACTIVITIES,
    SIDES,
    SITES,
    DayFactors,
    Episode,
    SavedAssessment,
)
from crampwise.diary.store import DiaryStore, open_store
from crampwise.diary.transfer import (
    parse_csv,
    parse_json_document,
    write_days_csv,
    write_episodes_csv,
    write_json,
    write_plan,
)
from tests.diary.conftest import reset_postgres

# Notes that a spreadsheet would run as a formula (OWASP's list) must survive the CSV too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "'", "'=", "''+")  # notes refuse CR
notes = st.none() | st.tuples(
    st.sampled_from(("", *FORMULA_STARTS)),
    # Notes refuse control characters other than tab and newline (diary.fields).
    st.text(
        st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"),
        min_size=1,
        max_size=40,
    ),
).map("".join)
episodes = st.builds(
    Episode,
    started_at=st.datetimes(datetime(1990, 1, 1), datetime(2025, 12, 31)),
    duration_minutes=st.floats(0, 1440, allow_nan=False),
    sites=st.lists(st.sampled_from(SITES), min_size=1, max_size=3, unique=True).map(tuple),
    severity=st.integers(0, 10),
    side=st.none() | st.sampled_from(SIDES),
    activity=st.none() | st.sampled_from(ACTIVITIES),
    actions=st.lists(st.sampled_from(ACTIONS), max_size=3, unique=True)
    .filter(lambda a: "nothing" not in a or len(a) == 1)  # "nothing" stands alone
    .map(tuple),
    helped=st.none() | st.booleans(),
    note=notes,
)


def _value(factor_id: str) -> st.SearchStrategy[Any]:
    f = next(f for f in load_factors() if f.id == factor_id)
    if f.type == "bool":
        return st.booleans()
    if f.type == "choice":
        return st.sampled_from(f.choices)
    return st.floats(f.minimum, f.maximum, allow_nan=False)


@st.composite
def day_values(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(st.sampled_from([f.id for f in load_factors()]), unique=True))
    return {i: draw(_value(i)) for i in ids}


days = st.lists(
    st.builds(
        DayFactors,
        day=st.dates(date(1990, 1, 1), date(2025, 12, 31)),
        values=day_values(),
        note=notes,
    ),
    max_size=5,
    unique_by=lambda d: d.day,
)
json_values = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=10)
assessments = st.lists(
    st.builds(
        SavedAssessment,
        created_at=st.datetimes(datetime(2020, 1, 1), datetime(2025, 12, 31)),
        case=st.dictionaries(st.text(max_size=5), json_values, max_size=3),
        result=st.dictionaries(st.text(max_size=5), st.lists(json_values, max_size=3), max_size=3),
        knowledge_version=st.text("abc.-0123", min_size=1, max_size=8),
    ),
    max_size=2,
)

PROPERTY = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Fresh:
    """A new empty diary per call: a new SQLite file, or an emptied PostgreSQL schema."""

    def __init__(self, db_url: str, tmp_path: Path) -> None:
        self.db_url, self.tmp_path, self.n = db_url, tmp_path, itertools.count()

    def __call__(self) -> DiaryStore:
        if self.db_url.startswith("sqlite"):
            return open_store(f"sqlite:///{self.tmp_path / f'd{next(self.n)}.sqlite3'}")
        reset_postgres(self.db_url)
        return open_store(self.db_url)


@pytest.fixture
def fresh(db_url: str, tmp_path: Path) -> Fresh:
    return Fresh(db_url, tmp_path)


def without_ids(items: list[Any]) -> list[Any]:
    return [replace(x, id=None) for x in items]


@PROPERTY
@given(eps=st.lists(episodes, max_size=8), ds=days, saved=assessments)
def test_json_round_trip_is_lossless(
    fresh: Fresh, eps: list[Episode], ds: list[DayFactors], saved: list[SavedAssessment]
) -> None:
    with fresh() as source:
        source.add_episodes(eps)
        source.set_days(ds)
        source.add_assessments(saved)
        text = io.StringIO()
        write_json(source, text)
    with fresh() as target:
        write_plan(
            target, parse_json_document(text.getvalue()), batch_size=3, allow_far_before=True
        )
        assert without_ids(target.list_episodes()) == sorted(eps, key=lambda e: e.started_at)
        assert target.list_days() == sorted(ds, key=lambda d: d.day)
        got = without_ids(target.list_assessments())
        assert got == sorted(saved, key=lambda a: a.created_at)


@PROPERTY
@given(eps=st.lists(episodes, max_size=8), ds=days)
def test_csv_round_trip_is_lossless(fresh: Fresh, eps: list[Episode], ds: list[DayFactors]) -> None:
    with fresh() as source:
        source.add_episodes(eps)
        source.set_days(ds)
        episodes_csv, days_csv = io.StringIO(), io.StringIO()
        write_episodes_csv(source.list_episodes(), episodes_csv)
        write_days_csv(source.list_days(), days_csv)
    with fresh() as target:
        write_plan(target, parse_csv(episodes_csv.getvalue()), allow_far_before=True)
        write_plan(target, parse_csv(days_csv.getvalue()), allow_far_before=True)
        assert without_ids(target.list_episodes()) == sorted(eps, key=lambda e: e.started_at)
        assert target.list_days() == sorted(ds, key=lambda d: d.day)


def json_export(store: DiaryStore) -> str:
    out = io.StringIO()
    write_json(store, out)
    return out.getvalue()


def csv_export(store: DiaryStore) -> tuple[str, str]:
    episodes_csv, days_csv = io.StringIO(), io.StringIO()
    write_episodes_csv(store.list_episodes(), episodes_csv)
    write_days_csv(store.list_days(), days_csv)
    return episodes_csv.getvalue(), days_csv.getvalue()


def _without_id_keys(document: str) -> object:
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(document))


@PROPERTY
@given(eps=st.lists(episodes, max_size=8), ds=days, saved=assessments)
def test_importing_the_same_json_twice_changes_nothing(
    fresh: Fresh, eps: list[Episode], ds: list[DayFactors], saved: list[SavedAssessment]
) -> None:
    with fresh() as source:
        source.add_episodes(eps)
        source.set_days(ds)
        source.add_assessments(saved)
        exported = json_export(source)
    with fresh() as target:
        first = write_plan(target, parse_json_document(exported), 3, allow_far_before=True)
        once = json_export(target)
        again = write_plan(target, parse_json_document(exported), 3, allow_far_before=True)
        assert json_export(target) == once
    # export → import → import again → export: the same diary (ids are the store's own)
    assert _without_id_keys(once) == _without_id_keys(exported)
    assert (first.episodes, first.days, first.assessments) == (len(eps), len(ds), len(saved))
    assert (again.episodes, again.days, again.assessments) == (0, 0, 0)
    assert again.already == {
        "episodes": len(eps),
        "days": len(ds),
        "assessments": len(saved),
        "experiments": 0,
    }


@PROPERTY
@given(eps=st.lists(episodes, max_size=8), ds=days)
def test_importing_the_same_csv_twice_changes_nothing(
    fresh: Fresh, eps: list[Episode], ds: list[DayFactors]
) -> None:
    with fresh() as source:
        source.add_episodes(eps)
        source.set_days(ds)
        episodes_csv, days_csv = csv_export(source)
    with fresh() as target:
        for _ in range(2):
            write_plan(target, parse_csv(episodes_csv), allow_far_before=True)
            write_plan(target, parse_csv(days_csv), allow_far_before=True)
            assert without_ids(target.list_episodes()) == sorted(eps, key=lambda e: e.started_at)
            assert target.list_days() == sorted(ds, key=lambda d: d.day)
