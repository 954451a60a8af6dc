"""The tables of multi-user mode: accounts, their API tokens, browser sessions, the audit
log and failed-login counters.

Secrets are never stored: a token or session id is kept as its SHA-256 digest, a password
as its argon2id hash. The audit log names an account by id and an event; it holds no
health data, and it outlives the account it names (so a deletion stays on record).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from crampwise.storage.models import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),  # stored lower-cased
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("last_used_at", DateTime(timezone=False)),
    Index("ix_api_tokens_account_id", "account_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("expires_at", DateTime(timezone=False), nullable=False),
    Index("ix_sessions_account_id", "account_id"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=False), nullable=False),
    Column("account_id", Integer),  # no foreign key: the record outlives the account
    Column("event", String(32), nullable=False),
    Column("address", String(64)),
    Index("ix_audit_events_account_id", "account_id"),
)

login_failures = Table(
    # Fixed-window counters of failed logins, keyed "account:<email digest>" or
    # "address:<ip>", used when no Redis is configured (the database is shared by workers).
    "login_failures",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("window_start", DateTime(timezone=False), primary_key=True),
    Column("count", Integer, nullable=False),
)
