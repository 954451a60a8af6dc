"""The first schema: cramp episodes and daily factors.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "episodes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("duration_minutes", sa.Float(), nullable=False),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("activity", sa.String(32), nullable=True),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("helped", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("severity BETWEEN 0 AND 10", name="ck_episodes_severity"),
        sa.CheckConstraint("duration_minutes >= 0", name="ck_episodes_duration"),
    )
    op.create_table(
        "days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    # One row per (day, factor): a new factor in factors.yaml needs no migration.
    op.create_table(
        "day_factor_values",
        sa.Column(
            "day",
            sa.Date(),
            sa.ForeignKey("days.day", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("factor_id", sa.String(64), primary_key=True),
        sa.Column("value_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("day_factor_values")
    op.drop_table("days")
    op.drop_table("episodes")
