"""The repository API on SQLite and PostgreSQL: round trips, transactions, errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore, open_store
from crampwise.errors import InvalidInputError, NotFoundError
from crampwise.storage.database import StorageError
from crampwise.storage.migrate import MIGRATIONS_DIR, head_revision
from crampwise.storage.models import metadata

NIGHT = datetime(2026, 3, 4, 23, 10, 5, 123456)


def episode(**changes: object) -> Episode:
    base: dict[str, object] = {
        "started_at": NIGHT,
        "duration_minutes": 2.5,
        "sites": ("toes", "calf"),
        "severity": 6,
        "side": "left",
        "activity": "in_bed",
        "actions": ("stretched", "walked"),
        "helped": True,
        "note": "woke me up — ouch",
    }
    base.update(changes)
    return Episode(**base)  # type: ignore[arg-type]


def test_episode_round_trip(store: DiaryStore) -> None:
    saved = store.add_episode(episode(id=999))
    assert saved.id is not None and saved.id != 999  # the store assigns ids
    assert saved == episode(id=saved.id)
    assert store.get_episode(saved.id) == saved
    bare = store.add_episode(episode(side=None, activity=None, actions=(), helped=None, note=None))
    assert store.list_episodes() == [saved, bare]


def test_update_and_delete_episode(store: DiaryStore) -> None:
    saved = store.add_episode(episode())
    assert saved.id is not None
    changed = store.update_episode(saved.id, episode(severity=2, helped=False))
    assert (changed.id, changed.severity, changed.helped) == (saved.id, 2, False)
    assert store.get_episode(saved.id) == changed
    store.delete_episode(saved.id)
    with pytest.raises(NotFoundError, match=f"no episode with id {saved.id}"):
        store.get_episode(saved.id)
    with pytest.raises(NotFoundError):
        store.update_episode(saved.id, episode())
    with pytest.raises(NotFoundError):
        store.delete_episode(saved.id)


def test_list_episodes_by_inclusive_dates(store: DiaryStore) -> None:
    times = [datetime(2026, 3, d, h, 0) for d, h in ((1, 0), (1, 23), (2, 12), (3, 23), (4, 0))]
    store.add_episodes([episode(started_at=t) for t in reversed(times)])
    got = store.list_episodes(date(2026, 3, 1), date(2026, 3, 3))
    assert [e.started_at for e in got] == times[:4]
    assert [e.started_at for e in store.list_episodes(start=date(2026, 3, 3))] == times[3:]
    assert [e.started_at for e in store.list_episodes(end=date(2026, 3, 1))] == times[:2]


def test_add_episodes_is_one_transaction(store: DiaryStore) -> None:
    good = [episode(severity=s) for s in range(5)]
    # A record is checked when built; what the store still checks is the clock.
    future = datetime.now() + timedelta(days=1)
    late = [episode(started_at=future), episode(started_at=future + timedelta(hours=1))]
    with pytest.raises(InvalidInputError) as caught:
        store.add_episodes([*good, *late])
    fields = [p.field for p in caught.value.problems]
    assert fields == ["episodes[5].started_at", "episodes[6].started_at"]
    assert store.list_episodes() == []
    assert store.add_episodes(good) == 5
    assert store.counts()["episodes"] == 5


def test_single_invalid_records_are_refused(store: DiaryStore) -> None:
    future = datetime.now() + timedelta(days=1)
    with pytest.raises(InvalidInputError, match="invalid cramp episode") as caught:
        store.add_episode(episode(started_at=future))
    assert [p.field for p in caught.value.problems] == ["started_at"]
    with pytest.raises(InvalidInputError, match="not stored") as caught:
        store.set_day(DayFactors(date(2026, 3, 1), {"moon_phase": 3.0}))
    assert [p.field for p in caught.value.problems] == ["values.moon_phase"]
    saved = store.add_episode(episode())
    assert saved.id is not None
    with pytest.raises(InvalidInputError):
        store.update_episode(saved.id, episode(started_at=future))
    assert store.get_episode(saved.id) == saved
    assert store.counts() == {"episodes": 1, "days": 0, "assessments": 0}


def test_days_upsert_replaces_values(store: DiaryStore) -> None:
    first = DayFactors(
        date(2026, 3, 1),
        {"water_litres": 1.25, "stretching_done": True, "footwear": "barefoot"},
        note="hot",
    )
    assert store.set_day(first) == first
    assert store.get_day(date(2026, 3, 1)) == first
    replacement = DayFactors(date(2026, 3, 1), {"exercise_minutes": 30.0})
    store.set_day(replacement)
    assert store.get_day(date(2026, 3, 1)) == replacement
    assert store.get_day(date(2026, 3, 2)) is None
    store.set_day(DayFactors(date(2026, 3, 3), {}, note="nothing special"))
    assert [d.day for d in store.list_days()] == [date(2026, 3, 1), date(2026, 3, 3)]
    assert [d.day for d in store.list_days(start=date(2026, 3, 2))] == [date(2026, 3, 3)]
    store.delete_day(date(2026, 3, 1))
    assert store.get_day(date(2026, 3, 1)) is None
    with pytest.raises(NotFoundError, match="2026-03-01"):
        store.delete_day(date(2026, 3, 1))


def test_factor_values_keep_their_type(store: DiaryStore) -> None:
    store.set_day(DayFactors(date(2026, 3, 1), {"water_litres": 1.0, "stretching_done": False}))
    values = store.list_days()[0].values
    assert values == {"water_litres": 1.0, "stretching_done": False}
    assert type(values["water_litres"]) is float and type(values["stretching_done"]) is bool


def test_assessments(store: DiaryStore) -> None:
    case = {"age": 61, "findings": ["night_calf_cramps"]}
    result = {"urgency": "routine", "causes": [{"id": "x", "score": 0.5}]}
    saved = store.save_assessment(case, result, "kb-2026.11")
    assert saved.id is not None and saved.knowledge_version == "kb-2026.11"
    assert store.list_assessments() == [saved]
    with pytest.raises(InvalidInputError, match="invalid saved assessment") as caught:
        store.save_assessment({"bad": {1, 2}}, result, "kb")  # a set is not JSON
    assert [p.field for p in caught.value.problems] == ["case"]
    assert len(store.list_assessments()) == 1


def test_store_is_a_context_manager_and_reopens(db_url: str) -> None:
    with open_store(db_url) as s:
        s.add_episode(episode())
        assert s.url == db_url
    with open_store(db_url) as s:
        assert len(s.list_episodes()) == 1


def test_default_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'env.sqlite3'}"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    with open_store() as s:
        assert s.url == url
    assert (tmp_path / "nested" / "dir" / "env.sqlite3").exists()  # directory created


def test_unusable_database_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("not a directory")
    with pytest.raises(StorageError, match="cannot prepare the diary database"):
        open_store(f"sqlite:///{tmp_path / 'a_file' / 'x' / 'diary.sqlite3'}")


def test_bad_url_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="database URL"):
        open_store("not a url at all")


def test_head_revision_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == head_revision()


def test_migrations_match_the_models(db_url: str) -> None:
    """Autogenerate finds nothing to do: the migrations build exactly models.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    open_store(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_latest_entry_day_looks_at_episodes_and_days(store: DiaryStore) -> None:
    assert store.latest_entry_day() is None
    store.add_episode(Episode(datetime(2026, 3, 1, 22, 0), 2.0, ("calf",), 4))
    assert store.latest_entry_day() == date(2026, 3, 1)
    store.set_day(DayFactors(date(2026, 3, 4), {"water_litres": 1.5}))
    assert store.latest_entry_day() == date(2026, 3, 4)
    store.add_episode(Episode(datetime(2026, 3, 9, 1, 30), 1.0, ("toes",), 2))
    assert store.latest_entry_day() == date(2026, 3, 9)
