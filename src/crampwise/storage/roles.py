"""Multi-user mode's database: an app role that row-level security binds, and its store.

Row-level security does not bind a superuser, a role with BYPASSRLS, or the tables' owner
(or a member of the owner's role). So multi-user mode works with two PostgreSQL roles:

- the **admin** role (``CRAMPWISE_ADMIN_DATABASE_URL``) owns the tables: it migrates
  them and prepares the app role (:func:`prepare_database`), and is used for nothing else;
- the **app** role (``CRAMPWISE_DATABASE_URL``) reads and writes rows and owns nothing,
  so every row it touches passes the policies of migration 0006.

:func:`open_service_store` refuses an app role that would not be bound, and a schema that
is not at the newest revision, each with one sentence that says what to do.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from crampwise.diary.store import DiaryStore
from crampwise.errors import DatabaseSettingsError
from crampwise.storage.database import (
    ENV_VAR,
    connect,
    make_engine,
    require_postgres,
    safe_url,
)
from crampwise.storage.migrate import current_revision, head_revision, upgrade
from crampwise.storage.models import metadata
from crampwise.storage.ownership import OWNED_TABLES

ADMIN_ENV_VAR = "CRAMPWISE_ADMIN_DATABASE_URL"
# pg_advisory_xact_lock key for preparing roles and grants: concurrent GRANTs on one
# object fail ("tuple concurrently updated"), so workers starting together take turns.
_PREPARE_LOCK_KEY = 0x63726D70726F6C65  # "crmprole"


def prepare_database(admin_url: str, app_url: str) -> None:
    """Migrate as the tables' owner, then create the app role if it is missing (LOGIN,
    NOSUPERUSER, NOBYPASSRLS, the URL's password) and grant it row access to the tables.

    Idempotent, and safe for several workers to run at once on every start."""
    require_postgres(admin_url, ADMIN_ENV_VAR)
    role = require_postgres(app_url, ENV_VAR).username
    if not role:
        raise DatabaseSettingsError(
            f"{ENV_VAR} must name the app's role (postgresql+psycopg://ROLE:PASSWORD@host/db)."
        )
    password = make_url(app_url).password
    engine = make_engine(admin_url, pool_size=1, max_overflow=0)
    try:
        upgrade(engine)
        with connect(engine) as conn, conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PREPARE_LOCK_KEY})
            _create_role(conn, role, None if password is None else str(password))
            _grant(conn, role)
    except DBAPIError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise DatabaseSettingsError(
            f"cannot prepare the database at {safe_url(admin_url)} for the role {role!r} "
            f"({reason}); {ADMIN_ENV_VAR} must name the tables' owner or a superuser."
        ) from None
    finally:
        engine.dispose()


def open_service_store(
    app_url: str, admin_url: str | None = None, *, pool_size: int | None = None
) -> DiaryStore:
    """The store of multi-user mode, connected as the app role and NOT migrating: an
    unscoped store (owner None), for ``.for_owner(account_id)``.

    With ``admin_url``, :func:`prepare_database` runs first. Refuses (DatabaseSettingsError)
    anything but PostgreSQL, an app role that row-level security would not bind, and a
    schema that is not at the newest revision."""
    require_postgres(app_url, ENV_VAR)
    if admin_url:
        prepare_database(admin_url, app_url)
    engine = make_engine(app_url, pool_size=pool_size)
    try:
        check_app_role(engine)
    except BaseException:
        engine.dispose()
        raise
    return DiaryStore(engine, app_url, owner_id=None)


def check_app_role(engine: Engine) -> None:
    """DatabaseSettingsError unless ``engine``'s role is bound by row-level security on
    every owned table and the schema is at the newest revision."""
    owned = [t.name for t in OWNED_TABLES]
    fix = f"connect as a role that owns nothing (see {ADMIN_ENV_VAR} in the README)"
    with connect(engine) as conn:
        role, superuser, bypass = conn.execute(
            text(
                "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
        ).one()
        if superuser or bypass:
            kind = "a superuser" if superuser else "allowed to bypass row-level security"
            raise DatabaseSettingsError(
                f"{ENV_VAR} connects as the role {role!r}, which is {kind}, so row-level "
                f"security would not keep accounts apart: {fix}."
            )
        # pg_has_role(..., 'USAGE'): a member that inherits the owner's rights is the owner,
        # as far as row-level security is concerned. Every schema: a role without USAGE on
        # the tables' schema has no current_schema(), and must still be refused.
        owns = conn.execute(
            text(
                "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p')"
                " AND c.relname = ANY(:owned) AND pg_has_role(current_user, c.relowner, 'USAGE')"
                " ORDER BY c.relname"
            ),
            {"owned": owned},
        ).first()
        if owns is not None:
            raise DatabaseSettingsError(
                f"{ENV_VAR} connects as the role {role!r}, which owns the table "
                f"{owns.relname!r}, so row-level security would not bind it: {fix}."
            )
        at = _revision_as(conn, role)
    if at != head_revision():
        raise DatabaseSettingsError(
            f"the database at {safe_url(engine.url)} is at schema revision {at or 'none'}, "
            f"not the newest ({head_revision()}), and the app role may not migrate it: set "
            f"{ADMIN_ENV_VAR} so it can be migrated."
        )


def _revision_as(conn: Connection, role: str) -> str | None:
    try:
        return current_revision(conn)
    except DBAPIError:
        raise DatabaseSettingsError(
            f"the role {role!r} cannot read the schema version: set {ADMIN_ENV_VAR} so the "
            "database can be prepared for it."
        ) from None


def _create_role(conn: Connection, role: str, password: str | None) -> None:
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
        return
    # format() quotes the name (%I) and the password (%L) on the server: no SQL injection.
    template = "CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
    if password is not None:
        template += " PASSWORD %L"
    statement = conn.execute(
        text("SELECT format(:template, CAST(:role AS text), CAST(:password AS text))"),
        {"template": template, "role": role, "password": password},
    ).scalar_one()
    conn.exec_driver_sql(statement)


def _grant(conn: Connection, role: str) -> None:
    quote = conn.dialect.identifier_preparer.quote
    who = quote(role)
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {quote(database)} TO {who}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}")
    tables = ", ".join(quote(name) for name in sorted(metadata.tables))
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {who}")
    conn.exec_driver_sql(f"GRANT SELECT ON alembic_version TO {who}")  # read, never write
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}")


__all__ = ["ADMIN_ENV_VAR", "check_app_role", "open_service_store", "prepare_database"]
