"""An index for paging history newest first: (started_at, id) serves keyset pages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Keyset paging orders by (started_at, id) and seeks past the last row of a page;
    # this index answers each page without a sort, and covers date ranges as the old one did.
    op.create_index("ix_episodes_started_at_id", "episodes", ["started_at", "id"])
    op.drop_index("ix_episodes_started_at", table_name="episodes")


def downgrade() -> None:
    op.create_index("ix_episodes_started_at", "episodes", ["started_at"])
    op.drop_index("ix_episodes_started_at_id", table_name="episodes")
