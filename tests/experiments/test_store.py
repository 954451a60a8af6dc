"""The experiments tables: migration 0004 builds them, the repository round-trips records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect

import crampwise.storage.experiment_tables  # noqa: F401  (registers the tables on metadata)
import tests.diary.conftest as _fixtures
from crampwise.diary.store import DiaryStore, open_store
from crampwise.errors import NotFoundError, StorageError
from crampwise.experiments.design import design
from crampwise.experiments.store import CheckIn, Experiment, ExperimentStore
from crampwise.storage import migrate
from crampwise.storage.database import make_engine
from crampwise.storage.models import metadata

# Fixtures shared with tests/diary/conftest.py
db_url = _fixtures.db_url
pg_url = _fixtures.pg_url
store = _fixtures.store

START = date(2026, 3, 2)


def experiment(start: date = START, stopped_on: date | None = None) -> Experiment:
    schedule = design("calf_stretch", start=start, seed=2**31 - 1, pairs=2, washout_days=2)
    return Experiment(
        schedule,
        created_at=datetime(2026, 3, 1, 20, 15, 3),
        stopped_on=stopped_on,
        checkins=(CheckIn(start, True, datetime(2026, 3, 2, 21, 0)),),
    )


def test_migrations_match_the_tables(db_url: str) -> None:
    """Autogenerate finds nothing to do for the experiment tables either."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    open_store(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert {"experiments", "experiment_checkins"} <= tables
    assert diff == []


def test_downgrade_to_0003_removes_the_tables(db_url: str) -> None:
    open_store(db_url).close()
    engine = make_engine(db_url)
    try:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
        with engine.connect() as conn:
            assert not inspect(conn).has_table("experiments")
            assert not inspect(conn).has_table("experiment_checkins")
    finally:
        engine.dispose()


def test_round_trip_keeps_every_field(store: DiaryStore) -> None:
    repo = ExperimentStore(store)
    original = experiment()
    saved = repo.add(original)
    assert saved.id is not None
    (loaded,) = repo.all()
    assert loaded == saved
    assert loaded.schedule == original.schedule  # every day, arm, washout, pair and block
    assert loaded.schedule.seed == 2**31 - 1
    assert loaded.checkins == original.checkins
    assert loaded.created_at == original.created_at and loaded.stopped_on is None
    assert repo.get(saved.id) == loaded


def test_a_second_checkin_for_a_day_replaces_the_first(store: DiaryStore) -> None:
    repo = ExperimentStore(store)
    saved = repo.add(experiment())
    assert saved.id is not None
    later = CheckIn(START, False, datetime(2026, 3, 2, 22, 0))
    repo.check_in(saved.id, later)
    repo.check_in(saved.id, CheckIn(START + timedelta(days=1), True, datetime(2026, 3, 3, 9)))
    loaded = repo.get(saved.id)
    assert loaded.checkins == (
        later,
        CheckIn(START + timedelta(days=1), True, datetime(2026, 3, 3, 9)),
    )
    assert loaded.checkin_on(START) == later


def test_status_follows_the_calendar_and_stop(store: DiaryStore) -> None:
    repo = ExperimentStore(store)
    saved = repo.add(experiment())
    assert saved.id is not None
    assert saved.status(START - timedelta(days=1)) == "planned"
    assert saved.status(START) == "running"
    assert saved.status(saved.end_date) == "running"
    assert saved.status(saved.end_date + timedelta(days=1)) == "finished"
    assert repo.open_experiment(START) == saved
    stopped = repo.stop(saved.id, START + timedelta(days=3))
    assert stopped.status(START + timedelta(days=3)) == "stopped"
    assert stopped.last_day == START + timedelta(days=3)
    assert repo.open_experiment(START) is None


def test_unknown_ids_are_not_found(store: DiaryStore) -> None:
    repo = ExperimentStore(store)
    with pytest.raises(NotFoundError, match="no experiment with id 9"):
        repo.get(9)
    with pytest.raises(NotFoundError):
        repo.check_in(9, CheckIn(START, True, datetime(2026, 3, 2)))
    with pytest.raises(NotFoundError):
        repo.stop(9, START)


def test_delete_removes_the_checkins_too(store: DiaryStore) -> None:
    repo = ExperimentStore(store)
    saved = repo.add(experiment())
    assert saved.id is not None
    repo.delete(saved.id)
    assert repo.all() == []
    again = repo.add(experiment())
    assert again.id is not None and again.checkins == experiment().checkins


def test_add_many_is_all_or_nothing(store: DiaryStore) -> None:
    repo = ExperimentStore(store)
    bad = Experiment(replace(experiment().schedule, pairs=0), datetime(2026, 3, 1))
    with pytest.raises(StorageError):
        repo.add_many([experiment(), bad])
    assert repo.all() == []


def test_two_starts_at_once_make_one_experiment(db_url: str) -> None:
    """The check for an open experiment and the insert are one locked step."""
    import threading

    from crampwise.experiments.running import ExperimentConflictError, start

    results: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(4, timeout=60)  # a thread that fails must not hang the rest

    def go() -> None:
        try:
            with open_store(db_url) as diary:
                barrier.wait()
                try:
                    start(diary, "calf_stretch_bedtime", today=date.today(), now=datetime.now())
                    results.append("started")
                except ExperimentConflictError:
                    results.append("refused")
        except BaseException as exc:
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(results) == ["refused", "refused", "refused", "started"]
    with open_store(db_url) as diary:
        assert len(ExperimentStore(diary).all()) == 1
