"""Experiments in the JSON export and import: a lossless round trip, all or nothing."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest

import tests.diary.conftest as _fixtures
from crampwise.diary.records import Episode
from crampwise.diary.store import DiaryStore, open_store
from crampwise.diary.transfer import export_document, parse_json_document, write_json, write_plan
from crampwise.errors import InvalidInputError
from crampwise.experiments.design import design
from crampwise.experiments.store import CheckIn, Experiment, ExperimentStore
from crampwise.experiments.transfer import experiment_from_dict, experiment_to_dict

# Fixtures shared with tests/diary/conftest.py
db_url = _fixtures.db_url
pg_url = _fixtures.pg_url
store = _fixtures.store

START = date(2026, 3, 2)


def finished(seed: int = 99, stopped_on: date | None = None) -> Experiment:
    schedule = design(
        "magnesium_supplement", start=START, seed=seed, pairs=2, block_days=14, washout_days=4
    )
    checkins = tuple(
        CheckIn(
            d.date,
            d.arm == "remedy" if i % 9 else d.arm == "usual",
            datetime.combine(d.date, datetime.min.time()) + timedelta(hours=21, seconds=i),
        )
        for i, d in enumerate(schedule.days)
        if i % 5 != 3  # some days without a check-in
    )
    return Experiment(schedule, datetime(2026, 3, 1, 19, 45, 12), stopped_on, None, checkins)


def exported(store: DiaryStore) -> str:
    out = io.StringIO()
    write_json(store, out)
    return out.getvalue()


def without_ids(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [{**r, "id": None} if isinstance(r, dict) else r for r in v]
        if isinstance(v, list)
        else v
        for k, v in doc.items()
    }


def test_round_trip_keeps_experiments_checkins_and_seed(store: DiaryStore, tmp_path: Any) -> None:
    repo = ExperimentStore(store)
    repo.add(finished())
    repo.add(finished(seed=5, stopped_on=START + timedelta(days=20)))
    store.add_episode(Episode(datetime(2026, 3, 9, 23, 10), 2.0, ("calf",), 6))
    text = exported(store)
    doc = json.loads(text)
    assert len(doc["experiments"]) == 2
    first = doc["experiments"][0]
    assert first["seed"] == 99 and first["remedy"] == "magnesium_supplement"
    assert len(first["checkins"]) == len(finished().checkins)

    with open_store(f"sqlite:///{tmp_path / 'copy.sqlite3'}") as copy:
        counts = write_plan(copy, parse_json_document(text))
        assert counts.experiments == 2 and counts.episodes == 1
        assert without_ids(export_document(copy)) == without_ids(export_document(store))
        (a, b) = ExperimentStore(copy).all()
        assert a.schedule == finished().schedule and a.checkins == finished().checkins
        assert b.stopped_on == START + timedelta(days=20)
        # Importing the same file again adds nothing, and says so.
        again = write_plan(copy, parse_json_document(text))
        assert (again.experiments, again.already["experiments"], again.episodes) == (0, 2, 0)
        assert len(ExperimentStore(copy).all()) == 2


def test_to_and_from_dict_are_inverse() -> None:
    e = finished()
    back = experiment_from_dict(json.loads(json.dumps(experiment_to_dict(e))))
    assert back == e and back.checkins == e.checkins


def _doc(**changes: Any) -> dict[str, Any]:
    raw = experiment_to_dict(finished())
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ("not an object", "experiments[0]", "must be an object"),
        (_doc(remedy="quinine"), "experiments[0].remedy", "unknown remedy"),
        (_doc(seed=-1), "experiments[0].seed", "greater than or equal to 0"),
        (_doc(seed="7"), "experiments[0].seed", "valid integer"),
        (_doc(pairs=True), "experiments[0].pairs", "valid integer"),
        (_doc(created_at="yesterday"), "experiments[0].created_at", "datetime"),
        (_doc(colour="blue"), "experiments[0].colour", "unknown field"),
        (_doc(start="2026-03-03"), "experiments[0].schedule[0].date", "follow each other"),
        (
            _doc(schedule=experiment_to_dict(finished())["schedule"][:-1]),
            "experiments[0].schedule",
            "must have 56 days",
        ),
    ],
)
def test_bad_experiments_are_named(raw: Any, field: str, words: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        experiment_from_dict(raw)
    problems = {p.field: p.message for p in info.value.problems}
    assert field in problems, problems
    assert words in problems[field]


def test_a_flipped_arm_or_washout_or_checkin_is_refused() -> None:
    raw = _doc()
    raw["schedule"][3]["arm"] = "usual" if raw["schedule"][3]["arm"] == "remedy" else "remedy"
    raw["schedule"][20]["counted"] = not raw["schedule"][20]["counted"]
    raw["checkins"].append({**raw["checkins"][0]})
    raw["checkins"].append(
        {"date": "2027-01-01", "done": True, "recorded_at": "2027-01-01T21:00:00"}
    )
    with pytest.raises(InvalidInputError) as info:
        experiment_from_dict(raw)
    fields = {p.field for p in info.value.problems}
    assert {"experiments[0].schedule[3].arm", "experiments[0].schedule[20].counted"} <= fields
    n = len(raw["checkins"])
    assert {
        f"experiments[0].checkins[{n - 2}].date",
        f"experiments[0].checkins[{n - 1}].date",
    } <= fields


def test_one_bad_experiment_imports_nothing_and_names_its_line(store: DiaryStore) -> None:
    good = experiment_to_dict(finished())
    bad = {**experiment_to_dict(finished(seed=3)), "pairs": 0}
    episode = {
        "started_at": "2026-03-09T23:10:00",
        "duration_minutes": 2.0,
        "sites": ["calf"],
        "severity": 6,
    }
    text = (
        '{"format": "crampwise-diary/1",\n "episodes": [\n  ' + json.dumps(episode) + "\n ],\n"
        ' "experiments": [\n  ' + json.dumps(good) + ",\n  " + json.dumps(bad) + "\n ]\n}\n"
    )
    with pytest.raises(InvalidInputError) as info:
        parse_json_document(text, "diary.json")
    (problem,) = [p for p in info.value.problems if p.field == "experiments[1].pairs"]
    assert problem.line == 7
    assert store.counts()["episodes"] == 0 and ExperimentStore(store).all() == []


def test_a_failing_experiment_write_rolls_back_the_whole_import(
    store: DiaryStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Episodes and experiments go in one transaction: a crash in between leaves nothing."""
    import crampwise.experiments.transfer as transfer

    text = exported_with()

    def boom(*_args: Any) -> tuple[int, int]:
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(transfer, "write_experiments", boom)
    with pytest.raises(RuntimeError):
        write_plan(store, parse_json_document(text))
    assert store.counts()["episodes"] == 0
    assert ExperimentStore(store).all() == []


def exported_with() -> str:
    """An export holding one episode and one experiment, from a scratch diary."""
    with open_store("sqlite://") as scratch:
        ExperimentStore(scratch).add(finished())
        scratch.add_episode(Episode(datetime(2026, 3, 9, 23, 10), 2.0, ("calf",), 6))
        return exported(scratch)


def test_an_order_its_seed_does_not_draw_is_refused() -> None:
    """Swapping the arms of a whole pair keeps the design's shape but not its randomisation."""
    raw = _doc()
    block = raw["block_days"]
    for d in raw["schedule"][: 2 * block]:
        d["arm"] = "usual" if d["arm"] == "remedy" else "remedy"
    with pytest.raises(InvalidInputError) as info:
        experiment_from_dict(raw)
    assert [p.field for p in info.value.problems] == ["experiments[0].schedule"]
    assert "its seed draws" in info.value.problems[0].message
