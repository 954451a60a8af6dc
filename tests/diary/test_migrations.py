"""Migrations on SQLite and PostgreSQL: an old database upgrades with its data intact."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, inspect, text

from crampwise.diary.store import open_store
from crampwise.storage import migrate
from crampwise.storage.database import make_engine

OLD_ROWS = [
    "INSERT INTO episodes (started_at, duration_minutes, sites, severity, side, activity,"
    " actions, helped, note) VALUES ('2026-03-01 22:00:00.000000', 1.5, '[\"toes\", \"calf\"]',"
    " 3, 'left', 'in_bed', '[\"stretched\"]', true, 'from the old schema')",
    "INSERT INTO days (day, note) VALUES ('2026-03-01', 'old day')",
    "INSERT INTO day_factor_values (day, factor_id, value_json) VALUES"
    " ('2026-03-01', 'water_litres', '1.5'), ('2026-03-01', 'stretching_done', 'true')",
]


def test_upgrade_from_0001_keeps_the_data(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        assert migrate.current_revision(conn) == "0001"
        assert not inspect(conn).has_table("saved_assessments")
        for statement in OLD_ROWS:
            conn.execute(text(statement))
    engine.dispose()

    with open_store(db_url) as store:
        (ep,) = store.list_episodes()
        assert (ep.started_at, ep.duration_minutes, ep.sites, ep.severity) == (
            datetime(2026, 3, 1, 22, 0),
            1.5,
            ("toes", "calf"),
            3,
        )
        assert (ep.side, ep.activity, ep.actions, ep.helped, ep.note) == (
            "left",
            "in_bed",
            ("stretched",),
            True,
            "from the old schema",
        )
        (day,) = store.list_days()
        assert day.day == date(2026, 3, 1) and day.note == "old day"
        assert day.values == {"water_litres": 1.5, "stretching_done": True}
        assert store.save_assessment({"a": 1}, {"b": 2}, "kb").id == 1  # 0002's table works

    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        indexes = {i["name"] for i in inspect(conn).get_indexes("episodes")}
    engine.dispose()
    assert "ix_episodes_started_at_id" in indexes  # 0003: history pages newest first


def test_a_database_at_head_never_starts_alembic(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(db_url).close()

    def fail(*_args: object) -> None:
        raise AssertionError("Alembic ran although the database is at head")

    monkeypatch.setattr(migrate, "_run_alembic", fail)
    with open_store(db_url) as store:
        assert store.counts()["episodes"] == 0
