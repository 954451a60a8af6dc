"""The diary schema as SQLAlchemy Core tables.

Migrations (``migrations/versions``) create this schema; a test checks that the two agree.
Core, not the ORM: the store maps rows to records itself, and leaving ``sqlalchemy.orm``
unimported saves a tenth of a second on every ``crampwise log``.
Daily factors are rows of ``day_factor_values`` (day, factor id, JSON value), so a new
factor in ``factors.yaml`` needs no schema change.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from crampwise.diary.vocabulary import SEVERITY_MAX, SEVERITY_MIN

metadata = MetaData()
"""Every table of the schema (other modules add theirs to it with ``sqlalchemy.Table``)."""

episodes = Table(
    # An Episode (crampwise.diary.records): one column per field, same names (a test checks).
    # The columns are spelled out because the schema belongs to the migrations, not to the
    # record model; the store maps between the two by the record's field names.
    "episodes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Local wall-clock time: a night cramp at 23:10 stays 23:10 wherever the file goes.
    Column("started_at", DateTime(timezone=False), nullable=False),
    Column("duration_minutes", Float, nullable=False),
    Column("sites", JSON, nullable=False),
    Column("severity", Integer, nullable=False),
    Column("side", String(16)),
    Column("activity", String(32)),
    Column("actions", JSON, nullable=False),
    Column("helped", Boolean),
    Column("note", Text),
    # Defence in depth: the record model rejects these first, with a friendlier message.
    CheckConstraint(
        f"severity BETWEEN {SEVERITY_MIN} AND {SEVERITY_MAX}", name="ck_episodes_severity"
    ),
    CheckConstraint("duration_minutes >= 0", name="ck_episodes_duration"),
    Index("ix_episodes_started_at_id", "started_at", "id"),
)

days = Table(
    "days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("note", Text),
)

day_factor_values = Table(
    "day_factor_values",
    metadata,
    Column("day", Date, ForeignKey("days.day", ondelete="CASCADE"), primary_key=True),
    Column("factor_id", String(64), primary_key=True),
    # JSON text keeps the type: true, 1.5 and "hard" come back as bool, float and str.
    Column("value_json", Text, nullable=False),
)

saved_assessments = Table(
    "saved_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("knowledge_version", String(64), nullable=False),
    Column("case_json", JSON, nullable=False),
    Column("result_json", JSON, nullable=False),
)

# The accounts' and experiments' tables join the same metadata, so the schema (and the test that the
# migrations build exactly it) is complete whichever module is imported first.
from crampwise.storage import account_tables as account_tables  # noqa: E402
from crampwise.storage import experiment_tables as experiment_tables  # noqa: E402

__all__ = ["day_factor_values", "days", "episodes", "metadata", "saved_assessments"]
