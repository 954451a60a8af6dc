"""The tables of N-of-1 experiments: one row per experiment, one per daily check-in.

Core tables on the diary's one ``metadata``, so the migrations and the schema-agreement
test see them; ``crampwise.experiments.store`` reads and writes them. The schedule is
stored day by day as it was drawn (not re-derived from the seed), so a later change to the
design code can never move the days of an experiment already under way.
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
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from crampwise.storage.models import metadata
from crampwise.storage.owner_column import owner_column

experiments = Table(
    "experiments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    owner_column(),
    Column("remedy", String(64), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("block_days", Integer, nullable=False),
    Column("washout_days", Integer, nullable=False),
    # The seed that drew the schedule, recorded so the draw can be repeated (CENT item 8a).
    Column("seed", BigInteger, nullable=False),
    # [{"date": "YYYY-MM-DD", "arm": "remedy"|"usual", "counted": bool}, ...] in date order.
    Column("schedule", JSON, nullable=False),
    Column("stopped_on", Date, nullable=True),
    CheckConstraint("pairs >= 1", name="ck_experiments_pairs"),
    CheckConstraint("block_days >= 1", name="ck_experiments_block_days"),
    CheckConstraint("washout_days >= 0", name="ck_experiments_washout_days"),
    CheckConstraint("seed >= 0", name="ck_experiments_seed"),
    Index("ix_experiments_owner_id", "owner_id"),
)

experiment_checkins = Table(
    "experiment_checkins",
    metadata,
    Column(
        "experiment_id",
        Integer,
        ForeignKey("experiments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    owner_column(),
    # One answer per day: a second check-in for the same day replaces the first.
    Column("day", Date, primary_key=True),
    Column("done", Boolean, nullable=False),
    Column("recorded_at", DateTime(timezone=False), nullable=False),
)

__all__ = ["experiment_checkins", "experiments"]
