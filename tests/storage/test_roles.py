"""Multi-user mode's database on PostgreSQL: a real non-superuser, non-owner app role.

The second proof of isolation: with the app's owner filter switched off
(``unscoped_for_tests``), row-level security alone still hides and refuses another
account's rows. The role is created for these tests and dropped after them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from crampwise.diary.records import Episode
from crampwise.diary.store import DiaryStore
from crampwise.errors import DatabaseSettingsError, NotFoundError, StorageError
from crampwise.experiments.store import ExperimentStore
from crampwise.storage import migrate
from crampwise.storage.database import make_engine
from crampwise.storage.models import days, episodes
from crampwise.storage.ownership import OWNED_TABLES, unscoped_for_tests
from crampwise.storage.roles import check_app_role, open_service_store, prepare_database
from tests.diary.conftest import reset_postgres

pytestmark = pytest.mark.postgres
ANN, BOB = 11, 22


@dataclass(frozen=True)
class Db:
    admin_url: str
    app_url: str
    role: str


@pytest.fixture
def db(pg_url: str) -> Iterator[Db]:
    """An empty database, and the name of an app role that does not exist yet."""
    reset_postgres(pg_url)
    role = f"crampwise_test_app_{uuid.uuid4().hex[:8]}"
    app_url = (
        make_url(pg_url)
        .set(username=role, password="pw-' \"quoted")
        .render_as_string(hide_password=False)
    )
    yield Db(pg_url, app_url, role)
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                {"r": role},
            )
            conn.execute(text(f'DROP ROLE "{role}"'))
    engine.dispose()
    reset_postgres(pg_url)


@pytest.fixture
def service(db: Db) -> Iterator[DiaryStore]:
    store = open_service_store(db.app_url, db.admin_url)
    yield store
    store.close()


def cramp(note: str) -> Episode:
    return Episode(datetime(2026, 3, 2, 22, 0), 2.0, ("calf",), 4, note=note)


def test_prepare_creates_a_role_that_row_level_security_binds(db: Db) -> None:
    prepare_database(db.admin_url, db.app_url)
    prepare_database(db.admin_url, db.app_url)  # idempotent: every start runs it
    engine = create_engine(db.admin_url)
    with engine.connect() as conn:
        flags = conn.execute(
            text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :r"),
            {"r": db.role},
        ).one()
        secured: dict[str, bool] = dict(
            conn.execute(
                text("SELECT relname, relrowsecurity FROM pg_class WHERE relname = ANY(:t)"),
                {"t": [t.name for t in OWNED_TABLES]},
            ).all()
        )
    engine.dispose()
    assert tuple(flags) == (False, False, True)
    assert secured == {t.name: True for t in OWNED_TABLES}


def test_the_service_store_works_as_the_app_role(service: DiaryStore) -> None:
    assert service.owner_id is None
    ann, bob = service.for_owner(ANN), service.for_owner(BOB)
    ep = ann.add_episode(cramp("ann"))
    bob.add_episode(cramp("bob"))
    assert [e.note for e in ann.list_episodes()] == ["ann"]
    with pytest.raises(NotFoundError):
        bob.get_episode(ep.id or 0)
    first = ann.revision()
    ann.update_episode(ep.id or 0, cramp("ann, edited"))  # the revision's update path
    assert 0 < first < ann.revision()
    assert ExperimentStore(ann).all() == []
    ann.erase_owner_data()
    assert ann.counts()["episodes"] == 0 and bob.counts()["episodes"] == 1


def test_row_level_security_alone_hides_and_refuses_other_rows(service: DiaryStore, db: Db) -> None:
    ann, bob = service.for_owner(ANN), service.for_owner(BOB)
    ann.add_episode(cramp("ann"))
    bob.add_episode(cramp("bob"))

    # The app filter off, app.user_id = Bob (set by the store): only Bob's row.
    with bob.connection() as conn:
        conn = unscoped_for_tests(conn)
        notes = conn.execute(select(episodes.c.note, episodes.c.owner_id)).all()
        assert [tuple(r) for r in notes] == [("bob", BOB)]
        assert conn.execute(text("SELECT count(*) FROM episodes")).scalar_one() == 1
        # An UPDATE or DELETE of every row reaches Bob's only.
        assert conn.execute(text("UPDATE episodes SET note = 'x'")).rowcount == 1
        assert conn.execute(text("DELETE FROM days")).rowcount == 0
    assert ann.list_episodes()[0].note == "ann"

    # No app.user_id at all (a raw connection of the app role): nothing.
    engine = make_engine(db.app_url)
    with engine.connect() as conn:
        conn = unscoped_for_tests(conn)
        assert conn.execute(text("SELECT count(*) FROM episodes")).scalar_one() == 0
    engine.dispose()

    # WITH CHECK: Bob cannot write a row that belongs to Ann, nor move his row to her.
    planted = date(2026, 3, 3)
    row = {"owner_id": ANN, "day": planted, "note": "planted"}
    for statement in (insert(days).values(**row), text("UPDATE episodes SET owner_id = 11")):
        with pytest.raises(StorageError) as caught, bob.connection() as conn:
            unscoped_for_tests(conn).execute(statement)
        # PostgreSQL's refusal, not the app's.
        assert isinstance(caught.value.__cause__, DBAPIError)
        assert "violates row-level security policy" in str(caught.value)
    assert [e.note for e in ann.list_episodes()] == ["ann"]
    assert ann.get_day(planted) is None


def test_the_table_owner_is_refused_as_app_role(db: Db) -> None:
    # The test server's postgres role is a superuser and owns the tables: refused as both.
    prepare_database(db.admin_url, db.app_url)
    with pytest.raises(DatabaseSettingsError, match="superuser"):
        open_service_store(db.admin_url)
    owner = f"crampwise_test_owner_{uuid.uuid4().hex[:8]}"
    admin = create_engine(db.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'ALTER TABLE episodes OWNER TO "{owner}"'))
    owner_url = make_url(db.admin_url).set(username=owner).render_as_string(hide_password=False)
    try:
        owner_engine = make_engine(owner_url)
        with pytest.raises(DatabaseSettingsError, match="owns the table 'episodes'"):
            check_app_role(owner_engine)
        owner_engine.dispose()
        # A member of the owner's role counts as the owner too.
        with admin.connect() as conn:
            conn.execute(text(f'GRANT "{owner}" TO "{db.role}"'))
        with pytest.raises(DatabaseSettingsError, match=f"{db.role}.*owns the table"):
            open_service_store(db.app_url)
    finally:
        with admin.connect() as conn:
            conn.execute(text('ALTER TABLE episodes OWNER TO "postgres"'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                {"r": owner},
            )
            conn.execute(text(f'DROP OWNED BY "{owner}"'))
            conn.execute(text(f'DROP ROLE "{owner}"'))
        admin.dispose()


def test_a_schema_behind_the_newest_is_refused_without_an_admin_url(db: Db) -> None:
    prepare_database(db.admin_url, db.app_url)
    engine = make_engine(db.admin_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    engine.dispose()
    with pytest.raises(DatabaseSettingsError, match="CRAMPWISE_ADMIN_DATABASE_URL"):
        open_service_store(db.app_url)


def test_a_role_that_was_never_prepared_is_told_what_to_do(db: Db) -> None:
    engine = create_engine(db.admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{db.role}" LOGIN'))
    engine.dispose()
    admin = make_engine(db.admin_url)
    migrate.upgrade(admin)
    admin.dispose()
    with pytest.raises(DatabaseSettingsError, match="CRAMPWISE_ADMIN_DATABASE_URL"):
        open_service_store(db.app_url)


@pytest.mark.parametrize("url", ["sqlite:///tmp/x.sqlite3", "mysql://u@h/db", "not a url at all"])
def test_multi_user_mode_needs_postgresql(url: str) -> None:
    with pytest.raises(DatabaseSettingsError, match="PostgreSQL|not a valid"):
        open_service_store(url)


def test_a_wrong_admin_url_is_one_clear_error(db: Db) -> None:
    bad_admin = (
        make_url(db.admin_url)
        .set(database="crampwise_no_such_db")
        .render_as_string(hide_password=False)
    )
    with pytest.raises(DatabaseSettingsError, match="cannot"):
        prepare_database(bad_admin, db.app_url)
