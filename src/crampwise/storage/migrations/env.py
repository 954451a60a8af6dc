"""Alembic environment: always run from :func:`crampwise.storage.migrate.upgrade`.

The caller hands over an open connection in ``config.attributes["connection"]``, so there
is no alembic.ini and no URL here. Batch mode lets ALTER TABLE work on SQLite.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from crampwise.storage.models import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through crampwise.storage.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    # upgrade() runs Alembic inside its own locked transaction (then this flag is moot and
    # all pending migrations commit together); used alone, each commits on its own.
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
