"""The diary schema as SQLAlchemy Core tables.

Migrations (``migrations/versions``) create this schema; a test checks that the two agree.
Core, not the ORM: the store maps rows to records itself, and leaving ``sqlalchemy.orm``
unimported saves a tenth of a second on every ``crampwise log``.
Daily factors are rows of ``day_factor_values`` (day, factor id, JSON value), so a new
factor in ``factors.yaml`` needs no schema change.

Every diary row has an ``owner_id`` (an account id; the local diary is
``LOCAL_OWNER``). Queries never name it: :mod:`crampwise.storage.ownership` adds it to
every statement, and PostgreSQL's row-level security checks it again (migration 0006).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from crampwise.diary.vocabulary import SEVERITY_MAX, SEVERITY_MIN
from crampwise.storage.owner_column import owner_column

metadata = MetaData()
"""Every table of the schema (other modules add theirs to it with ``sqlalchemy.Table``)."""

episodes = Table(
    # An Episode (crampwise.diary.records): one column per field, same names (a test checks).
    # The columns are spelled out because the schema belongs to the migrations, not to the
    # record model; the store maps between the two by the record's field names.
    "episodes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    owner_column(),
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
    # One owner's cramps in (started_at, id) order: date ranges and keyset history pages.
    # (The name is 0003's; since 0006 the index leads with the owner.)
    Index("ix_episodes_started_at_id", "owner_id", "started_at", "id"),
)

days = Table(
    # One record per owner and date: two people may both record 3 March.
    "days",
    metadata,
    owner_column(primary_key=True),
    Column("day", Date, primary_key=True),
    Column("note", Text),
)

day_factor_values = Table(
    "day_factor_values",
    metadata,
    owner_column(primary_key=True),
    Column("day", Date, primary_key=True),
    Column("factor_id", String(64), primary_key=True),
    # JSON text keeps the type: true, 1.5 and "hard" come back as bool, float and str.
    Column("value_json", Text, nullable=False),
    ForeignKeyConstraint(
        ["owner_id", "day"],
        ["days.owner_id", "days.day"],
        ondelete="CASCADE",
        name="fk_day_factor_values_days",
    ),
)

saved_assessments = Table(
    "saved_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    owner_column(),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("knowledge_version", String(64), nullable=False),
    Column("case_json", JSON, nullable=False),
    Column("result_json", JSON, nullable=False),
    # Saved checks are listed newest first, one owner's at a time.
    Index("ix_saved_assessments_owner_created", "owner_id", "created_at", "id"),
)

diary_revisions = Table(
    # A number per owner that grows with every committed write of that owner's rows
    # (``DiaryStore.revision``): a cache of derived results keys on it.
    "diary_revisions",
    metadata,
    owner_column(primary_key=True),
    Column("revision", BigInteger, nullable=False),
)

# The accounts' and experiments' tables join the same metadata, so the schema (and the test that the
# migrations build exactly it) is complete whichever module is imported first.
from crampwise.storage import account_tables as account_tables  # noqa: E402
from crampwise.storage import experiment_tables as experiment_tables  # noqa: E402

__all__ = [
    "day_factor_values",
    "days",
    "diary_revisions",
    "episodes",
    "metadata",
    "saved_assessments",
]
