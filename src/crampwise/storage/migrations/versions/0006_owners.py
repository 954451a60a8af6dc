"""Owners: every diary, assessment and experiment row belongs to one account.

Adds ``owner_id`` (default and existing rows: 0, the local diary's owner) to the six diary tables,
makes a day unique per owner and date, leads the history index with the owner, and adds
``diary_revisions``. On PostgreSQL each owned table gets row-level security: a row is
visible and writable only when its owner is the transaction's ``app.user_id``. Not
FORCEd: the tables' owner (migrations, the local diary) is not bound; the app role of
multi-user mode, which owns nothing, is (``crampwise.storage.roles``).

SQLite cannot change a primary key in place, and dropping a table that a cascading
foreign key points at would empty its children (foreign keys are on), so there every
table is rebuilt beside the old one, filled, and swapped in: children dropped first,
parents renamed first (SQLite rewrites the children's references on rename).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Parents before children.
OWNED = (
    "days",
    "day_factor_values",
    "experiments",
    "experiment_checkins",
    "episodes",
    "saved_assessments",
)
RLS_TABLES = (*OWNED, "diary_revisions")
POLICY = "crampwise_owner"
# NULL when app.user_id is unset or empty: then no row matches and no row may be written.
_IS_OWNER = "owner_id = NULLIF(current_setting('app.user_id', true), '')::int"
_TMP = "_0006"

Columns = Callable[[bool, str], list[SchemaItem]]


def _owner(owned: bool, primary_key: bool = False) -> list[SchemaItem]:
    if not owned:
        return []
    return [
        sa.Column(
            "owner_id",
            sa.Integer(),
            nullable=False,
            primary_key=primary_key,
            autoincrement=False,
            server_default="0",
        )
    ]


def _episodes(owned: bool, suffix: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        *_owner(owned),
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
    ]


def _days(owned: bool, suffix: str) -> list[SchemaItem]:
    return [
        *_owner(owned, primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("note", sa.Text(), nullable=True),
    ]


def _day_factor_values(owned: bool, suffix: str) -> list[SchemaItem]:
    key = ["owner_id", "day"] if owned else ["day"]
    return [
        *_owner(owned, primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("factor_id", sa.String(64), primary_key=True),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            key,
            [f"days{suffix}.{c}" for c in key],
            ondelete="CASCADE",
            name="fk_day_factor_values_days" if owned else None,
        ),
    ]


def _saved_assessments(owned: bool, suffix: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        *_owner(owned),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("knowledge_version", sa.String(64), nullable=False),
        sa.Column("case_json", sa.JSON(), nullable=False),
        sa.Column("result_json", sa.JSON(), nullable=False),
    ]


def _experiments(owned: bool, suffix: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        *_owner(owned),
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
    ]


def _experiment_checkins(owned: bool, suffix: str) -> list[SchemaItem]:
    return [
        sa.Column(
            "experiment_id",
            sa.Integer(),
            sa.ForeignKey(f"experiments{suffix}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        *_owner(owned),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=False), nullable=False),
    ]


SHAPES: dict[str, Columns] = {
    "days": _days,
    "day_factor_values": _day_factor_values,
    "experiments": _experiments,
    "experiment_checkins": _experiment_checkins,
    "episodes": _episodes,
    "saved_assessments": _saved_assessments,
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_episodes_started_at_id", table_name="episodes")
    if sqlite:
        _sqlite_swap(owned=True)
    else:
        _postgres_add_owners()
    op.create_index("ix_episodes_started_at_id", "episodes", ["owner_id", "started_at", "id"])
    op.create_index(
        "ix_saved_assessments_owner_created",
        "saved_assessments",
        ["owner_id", "created_at", "id"],
    )
    op.create_index("ix_experiments_owner_id", "experiments", ["owner_id"])
    op.create_table(
        "diary_revisions",
        sa.Column(
            "owner_id", sa.Integer(), primary_key=True, autoincrement=False, server_default="0"
        ),
        sa.Column("revision", sa.BigInteger(), nullable=False),
    )
    if not sqlite:
        for table in RLS_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(
                f"CREATE POLICY {POLICY} ON {table} USING ({_IS_OWNER}) WITH CHECK ({_IS_OWNER})"
            )


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for table in OWNED:
        others = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE owner_id <> 0"))
        if others.scalar():
            # The old schema has room for one diary only; dropping accounts' rows silently
            # would lose health data. Export and delete them first.
            raise RuntimeError(
                f"cannot downgrade below 0006: {table} holds rows of accounts; "
                "export and delete those accounts first"
            )
    if not sqlite:
        for table in RLS_TABLES:
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.drop_table("diary_revisions")
    op.drop_index("ix_experiments_owner_id", table_name="experiments")
    op.drop_index("ix_saved_assessments_owner_created", table_name="saved_assessments")
    op.drop_index("ix_episodes_started_at_id", table_name="episodes")
    if sqlite:
        _sqlite_swap(owned=False)
    else:
        _postgres_drop_owners()
    op.create_index("ix_episodes_started_at_id", "episodes", ["started_at", "id"])


# ---------------------------------------------------------------- SQLite


def _sqlite_swap(*, owned: bool) -> None:
    """Rebuild every owned table with (``owned``) or without the owner column."""
    bind = op.get_bind()
    for table in OWNED:  # parents first: a child's rows need their parent's
        op.create_table(table + _TMP, *SHAPES[table](owned, _TMP))
        old = [c["name"] for c in sa.inspect(bind).get_columns(table) if c["name"] != "owner_id"]
        names = ", ".join(old)
        source = f"0, {names}" if owned else names
        target = f"owner_id, {names}" if owned else names
        op.execute(f"INSERT INTO {table}{_TMP} ({target}) SELECT {source} FROM {table}")
    for table in reversed(OWNED):  # children first: nothing cascades
        op.drop_table(table)
    for table in OWNED:
        op.rename_table(table + _TMP, table)


# ---------------------------------------------------------------- PostgreSQL


def _postgres_add_owners() -> None:
    for table in OWNED:
        # The default fills the existing rows: they are the local diary's.
        op.add_column(
            table, sa.Column("owner_id", sa.Integer(), nullable=False, server_default="0")
        )
    _postgres_day_keys(["owner_id", "day"], "fk_day_factor_values_days")


def _postgres_drop_owners() -> None:
    _postgres_day_keys(["day"], "day_factor_values_day_fkey")
    for table in OWNED:
        op.drop_column(table, "owner_id")


def _postgres_day_keys(key: list[str], fk_name: str) -> None:
    """Point the days' primary key and the factor values' foreign key at ``key``."""
    inspector = sa.inspect(op.get_bind())
    for fk in inspector.get_foreign_keys("day_factor_values"):
        if fk["referred_table"] == "days" and fk["name"]:
            op.drop_constraint(fk["name"], "day_factor_values", type_="foreignkey")
    for table in ("day_factor_values", "days"):
        name = inspector.get_pk_constraint(table)["name"]
        op.drop_constraint(name or f"{table}_pkey", table, type_="primary")
    op.create_primary_key("days_pkey", "days", key)
    op.create_primary_key("day_factor_values_pkey", "day_factor_values", [*key, "factor_id"])
    op.create_foreign_key(fk_name, "day_factor_values", "days", key, key, ondelete="CASCADE")
