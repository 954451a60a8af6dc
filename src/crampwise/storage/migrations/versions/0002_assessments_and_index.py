"""Saved assessments, and an index for date-range queries on episodes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_assessments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("knowledge_version", sa.String(64), nullable=False),
        sa.Column("case_json", sa.JSON(), nullable=False),
        sa.Column("result_json", sa.JSON(), nullable=False),
    )
    # history, export and the analysis all read episodes by date range.
    op.create_index("ix_episodes_started_at", "episodes", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_episodes_started_at", table_name="episodes")
    op.drop_table("saved_assessments")
