"""N-of-1 experiments: the experiments and their daily check-ins.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("remedy", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("block_days", sa.Integer(), nullable=False),
        sa.Column("washout_days", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.CheckConstraint("pairs >= 1", name="ck_experiments_pairs"),
        sa.CheckConstraint("block_days >= 1", name="ck_experiments_block_days"),
        sa.CheckConstraint("washout_days >= 0", name="ck_experiments_washout_days"),
        sa.CheckConstraint("seed >= 0", name="ck_experiments_seed"),
    )
    # One answer per (experiment, day); deleting an experiment deletes its check-ins.
    op.create_table(
        "experiment_checkins",
        sa.Column(
            "experiment_id",
            sa.Integer(),
            sa.ForeignKey("experiments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=False), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("experiment_checkins")
    op.drop_table("experiments")
