"""Migration 0006 on both backends: a diary from before owners keeps every row (they become
the local diary's), foreign keys and cascades survive the rebuild, and it downgrades."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, inspect, text

from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import LOCAL_OWNER, open_store
from crampwise.experiments.store import ExperimentStore
from crampwise.storage import migrate
from crampwise.storage.database import make_engine

ROWS_0005 = [
    "INSERT INTO episodes (started_at, duration_minutes, sites, severity, side, activity,"
    " actions, helped, note) VALUES ('2026-03-01 22:00:00.000000', 1.5, '[\"calf\"]',"
    " 3, 'left', 'in_bed', '[\"stretched\"]', true, 'before owners')",
    "INSERT INTO days (day, note) VALUES ('2026-03-01', 'old day')",
    "INSERT INTO day_factor_values (day, factor_id, value_json) VALUES"
    " ('2026-03-01', 'water_litres', '1.5'), ('2026-03-01', 'stretching_done', 'true')",
    "INSERT INTO saved_assessments (created_at, knowledge_version, case_json, result_json)"
    " VALUES ('2026-03-01 20:00:00.000000', 'kb1', '{\"a\": 1}', '{\"b\": 2}')",
    "INSERT INTO experiments (id, remedy, created_at, start_date, pairs, block_days,"
    " washout_days, seed, schedule) VALUES (7, 'calf_stretch_bedtime',"
    " '2026-03-01 20:00:00.000000', '2026-03-02', 1, 1, 0, 5,"
    ' \'[{"date": "2026-03-02", "arm": "remedy", "counted": true, "pair": 0,'
    ' "block": 0}, {"date": "2026-03-03", "arm": "usual", "counted": true,'
    ' "pair": 0, "block": 1}]\')',
    "INSERT INTO experiment_checkins (experiment_id, day, done, recorded_at) VALUES"
    " (7, '2026-03-02', true, '2026-03-02 21:00:00.000000')",
]


def _alembic(engine: Engine, target: str, *, down: bool) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def _at_0005_with_rows(db_url: str) -> Engine:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0005")
    with engine.begin() as conn:
        for statement in ROWS_0005:
            conn.execute(text(statement))
    return engine


def test_rows_from_before_owners_belong_to_the_local_diary(db_url: str) -> None:
    _at_0005_with_rows(db_url).dispose()

    with open_store(db_url) as store:
        assert store.owner_id == LOCAL_OWNER
        (ep,) = store.list_episodes()
        assert (ep.note, ep.sites, ep.helped) == ("before owners", ("calf",), True)
        assert store.get_day(date(2026, 3, 1)) == DayFactors(
            date(2026, 3, 1), {"water_litres": 1.5, "stretching_done": True}, "old day"
        )
        (check,) = store.list_assessments()
        assert (check.case, check.knowledge_version) == ({"a": 1}, "kb1")
        (exp,) = ExperimentStore(store).all()
        assert exp.id == 7 and [c.day for c in exp.checkins] == [date(2026, 3, 2)]
        # Nobody else sees them.
        assert store.for_owner(1).counts() == {"episodes": 0, "days": 0, "assessments": 0}
        assert ExperimentStore(store.for_owner(1)).all() == []
        # New rows continue the old ids, and the day's cascade still works after the rebuild.
        new = store.add_episode(Episode(datetime(2026, 3, 2, 1, 0), 1.0, ("toes",), 2))
        assert ep.id is not None and new.id == ep.id + 1
        store.delete_day(date(2026, 3, 1))
        ExperimentStore(store).delete(7)

    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM day_factor_values")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM experiment_checkins")).scalar_one() == 0
        fks = inspect(conn).get_foreign_keys("day_factor_values")
        assert [
            (fk["constrained_columns"], fk["referred_table"], fk["referred_columns"]) for fk in fks
        ] == [(["owner_id", "day"], "days", ["owner_id", "day"])]
        fks = inspect(conn).get_foreign_keys("experiment_checkins")
        assert [(fk["referred_table"], fk["referred_columns"]) for fk in fks] == [
            ("experiments", ["id"])
        ]
        assert not inspect(conn).get_table_names().count("days_0006")
    engine.dispose()


def test_downgrade_to_0005_keeps_the_local_rows(db_url: str) -> None:
    engine = _at_0005_with_rows(db_url)
    try:
        migrate.upgrade(engine)
        _alembic(engine, "0005", down=True)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == "0005"
            columns = {c["name"] for c in inspect(conn).get_columns("days")}
            assert columns == {"day", "note"}
            assert not inspect(conn).has_table("diary_revisions")
            counts = [
                conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("episodes", "days", "day_factor_values", "experiment_checkins")
            ]
            assert counts == [1, 1, 2, 1]
            if conn.dialect.name == "postgresql":
                secured = conn.execute(
                    text("SELECT count(*) FROM pg_class WHERE relrowsecurity")
                ).scalar_one()
                policies = conn.execute(text("SELECT count(*) FROM pg_policies")).scalar_one()
                assert (secured, policies) == (0, 0)
        migrate.upgrade(engine)  # and up again
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            if conn.dialect.name == "postgresql":
                policies = conn.execute(
                    text("SELECT tablename, qual FROM pg_policies ORDER BY tablename")
                ).all()
                assert len(policies) == 7
                assert all("app.user_id" in qual for _name, qual in policies)
    finally:
        engine.dispose()


def test_downgrade_refuses_while_accounts_have_rows(db_url: str) -> None:
    with open_store(db_url) as store:
        store.for_owner(42).add_episode(Episode(datetime(2026, 3, 2, 1, 0), 1.0, ("toes",), 2))
    engine = make_engine(db_url)
    try:
        with pytest.raises(RuntimeError, match="holds rows of accounts"):
            _alembic(engine, "0005", down=True)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        engine.dispose()
