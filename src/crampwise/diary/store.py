"""The diary repository: episodes, daily factors and saved assessments in a database.

Every write is one transaction and every record is validated before it is written, so a
crash or a bad record never leaves half an import or an impossible row behind.

A store belongs to one owner (``owner_id``; the local diary's is ``LOCAL_OWNER``) and sees
only that owner's rows: :meth:`DiaryStore._transaction` hands each connection its owner,
and :mod:`crampwise.storage.ownership` scopes every statement by it. ``for_owner`` gives
another owner's store on the same engine; a store with owner None (multi-user mode's
accounts) may not touch the diary's tables at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from crampwise.checks import trusted
from crampwise.diary.records import (
    EPISODE_FIELDS,
    DayFactors,
    Episode,
    FactorValue,
    SavedAssessment,
)
from crampwise.diary.validate import check_episode, day_problems, episode_problems
from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError, StorageError
from crampwise.storage import ownership
from crampwise.storage.database import default_url, for_writing, make_engine
from crampwise.storage.migrate import upgrade
from crampwise.storage.models import day_factor_values as _values
from crampwise.storage.models import days as _days
from crampwise.storage.models import diary_revisions as _revisions
from crampwise.storage.models import episodes as _episodes
from crampwise.storage.models import saved_assessments as _assessments
from crampwise.storage.owner_column import LOCAL_OWNER, OWNER_OPTION

if TYPE_CHECKING:
    from crampwise.diary.importer import ImportCounts
    from crampwise.experiments.store import Experiment

DayMode = Literal["merge", "replace"]
DAY_MODES: tuple[DayMode, ...] = ("merge", "replace")
"""How a day update treats what the date already holds (see ``DiaryStore.update_day``)."""


def open_store(url: str | None = None) -> DiaryStore:
    """Open the diary at ``url`` (None: ``CRAMPWISE_DATABASE_URL`` or the SQLite default),
    migrating it to the newest schema first. It is the local diary, owned by LOCAL_OWNER."""
    url = url or default_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return DiaryStore(engine, url)


class DiaryStore:
    def __init__(
        self,
        engine: Engine,
        url: str,
        owner_id: int | None = LOCAL_OWNER,
        *,
        owns_engine: bool = True,
    ) -> None:
        """``owner_id``: whose rows this store sees (None: no diary rows at all, only the
        unowned tables). ``owns_engine``: whether ``close()`` disposes the engine."""
        if owner_id is not None and (type(owner_id) is not int or owner_id < 0):
            raise StorageError(f"an owner is an account id (a whole number), not {owner_id!r}")
        ownership.install(engine)  # idempotent: every store's statements are scoped
        self._engine = engine
        self._write_engine = for_writing(engine)  # same pool; SQLite: BEGIN IMMEDIATE
        self._owns_engine = owns_engine
        self.url = url
        self.owner_id = owner_id

    def for_owner(self, owner_id: int) -> DiaryStore:
        """The same diary seen as ``owner_id``: same engine and pool; closing it leaves
        the engine open (the store it came from owns that)."""
        return DiaryStore(self._engine, self.url, owner_id, owns_engine=False)

    # ------------------------------------------------------------ episodes

    def add_episode(self, ep: Episode) -> Episode:
        """Store a new episode (any ``id`` it carries is ignored); returns it with its id."""
        check_episode(ep)
        with self._transaction() as s:
            row = s.execute(
                insert(_episodes).values(_episode_columns(ep)).returning(*_episodes.c)
            ).one()
            return episode_from_row(row)

    def add_episodes(self, eps: Iterable[Episode]) -> int:
        """Store many episodes in one transaction: all of them, or none if one is invalid."""
        items = list(eps)
        now = datetime.now()
        problems: list[FieldProblem] = []
        for i, ep in enumerate(items):
            problems += episode_problems(ep, prefix=f"episodes[{i}].", now=now)
        if problems:
            raise InvalidInputError(f"{len(items)} episodes not stored", problems)
        if not items:
            return 0
        with self._transaction() as s:
            s.execute(insert(_episodes), [_episode_columns(ep) for ep in items])
        return len(items)

    def list_episodes(self, start: date | None = None, end: date | None = None) -> list[Episode]:
        """Episodes in time order; ``start`` and ``end`` are inclusive days."""
        query = select(_episodes).order_by(_episodes.c.started_at, _episodes.c.id)
        if start is not None:
            query = query.where(_episodes.c.started_at >= datetime.combine(start, time()))
        if end is not None:
            next_day = datetime.combine(end + timedelta(days=1), time())
            query = query.where(_episodes.c.started_at < next_day)
        with self._transaction() as s:
            return [episode_from_row(row) for row in s.execute(query)]

    def get_episode(self, episode_id: int) -> Episode:
        with self._transaction() as s:
            row = s.execute(select(_episodes).where(_episodes.c.id == episode_id)).one_or_none()
        if row is None:
            raise _no_episode(episode_id)
        return episode_from_row(row)

    def update_episode(self, episode_id: int, ep: Episode) -> Episode:
        check_episode(ep)
        with self._transaction(write=True) as s:
            row = s.execute(
                update(_episodes)
                .where(_episodes.c.id == episode_id)
                .values(_episode_columns(ep))
                .returning(*_episodes.c)
            ).one_or_none()
            if row is None:
                raise _no_episode(episode_id)
            return episode_from_row(row)

    def delete_episode(self, episode_id: int) -> None:
        with self._transaction(write=True) as s:
            if not s.execute(delete(_episodes).where(_episodes.c.id == episode_id)).rowcount:
                raise _no_episode(episode_id)

    # ------------------------------------------------------------ days

    def set_day(self, day: DayFactors) -> DayFactors:
        """Record a day, replacing whatever was recorded for that date."""
        return self.update_day(day, mode="replace")

    def update_day(self, day: DayFactors, *, mode: DayMode = "merge") -> DayFactors:
        """Record a day and return what the date now holds; the one day update of every
        front end (``crampwise day``, the web day form, the API).

        ``merge`` (the default) keeps the factors already recorded for the date and sets the
        ones given, and keeps the note unless a new one is given; ``replace`` makes the day
        exactly ``day``. The result is validated as a whole before anything is written.
        """
        if mode not in DAY_MODES:
            raise InvalidInputError(
                "invalid day", [FieldProblem("mode", f"must be one of {', '.join(DAY_MODES)}")]
            )
        with self._transaction(write=True) as s:
            record = day
            if mode == "merge" and isinstance(day.day, date):
                existing = s.execute(select(_days.c.note).where(_days.c.day == day.day)).first()
                if existing is not None:
                    old = {
                        factor_id: json.loads(value_json)
                        for factor_id, value_json in s.execute(
                            select(_values.c.factor_id, _values.c.value_json).where(
                                _values.c.day == day.day
                            )
                        )
                    }
                    note = day.note if day.note is not None else existing.note
                    record = DayFactors(day.day, {**old, **day.values}, note)
            problems = day_problems(record, today=date.today())
            if problems:
                raise InvalidInputError("day not stored", problems)
            _replace_days(s, [record])
        return record

    def latest_entry_day(self) -> date | None:
        """The newest day with an episode or a day record (two indexed aggregates)."""
        with self._transaction() as s:
            last_day = s.scalar(select(func.max(_days.c.day)))
            last_start = s.scalar(select(func.max(_episodes.c.started_at)))
        found = [d for d in (last_day, last_start.date() if last_start else None) if d]
        return max(found) if found else None

    def entry_days(self) -> list[date]:
        """Every day that has an episode or a day record, sorted, each once (for the
        plausibility check of new dates, ``crampwise.diary.plausible``)."""
        with self._transaction() as s:
            days = set(s.scalars(select(_days.c.day)))
            for (started,) in s.execute(select(_episodes.c.started_at)):
                days.add(started.date())
        return sorted(days)

    def set_days(self, days: Iterable[DayFactors]) -> int:
        """Record many days in one transaction (each replaces its date); all or none."""
        items = list(days)
        today = date.today()
        problems: list[FieldProblem] = []
        for i, d in enumerate(items):
            problems += day_problems(d, prefix=f"days[{i}]." if len(items) > 1 else "", today=today)
        if problems:
            raise InvalidInputError(f"{len(items)} day(s) not stored", problems)
        if not items:
            return 0
        with self._transaction() as s:
            _replace_days(s, items)
        return len(items)

    def get_day(self, day: date) -> DayFactors | None:
        found = self.list_days(day, day)
        return found[0] if found else None

    def list_days(self, start: date | None = None, end: date | None = None) -> list[DayFactors]:
        days = select(_days.c.day, _days.c.note).order_by(_days.c.day)
        values = select(_values.c.day, _values.c.factor_id, _values.c.value_json)
        if start is not None:
            days = days.where(_days.c.day >= start)
            values = values.where(_values.c.day >= start)
        if end is not None:
            days = days.where(_days.c.day <= end)
            values = values.where(_values.c.day <= end)
        with self._transaction() as s:
            by_day: dict[date, dict[str, FactorValue]] = {}
            for day, factor_id, value_json in s.execute(values.order_by(_values.c.factor_id)):
                by_day.setdefault(day, {})[factor_id] = json.loads(value_json)
            return [
                trusted(DayFactors, day=day, values=by_day.get(day, {}), note=note)
                for day, note in s.execute(days)
            ]

    def delete_day(self, day: date) -> None:
        with self._transaction(write=True) as s:
            # Values first: SQLite enforces the foreign key's cascade only with a pragma.
            s.execute(delete(_values).where(_values.c.day == day))
            if not s.execute(delete(_days).where(_days.c.day == day)).rowcount:
                raise NotFoundError(f"no day recorded for {day.isoformat()}")

    # ------------------------------------------------------------ assessments

    def save_assessment(
        self, case: dict[str, Any], result: dict[str, Any], knowledge_version: str
    ) -> SavedAssessment:
        saved = SavedAssessment(datetime.now(), case, result, knowledge_version)
        with self._transaction() as s:
            row = s.execute(
                insert(_assessments).values(_assessment_columns(saved)).returning(*_assessments.c)
            ).one()
            return assessment_from_row(row)

    def add_assessments(self, items: Iterable[SavedAssessment]) -> int:
        """Store saved assessments as they are (keeping ``created_at``), in one transaction."""
        rows = [_assessment_columns(a, f"assessments[{i}].") for i, a in enumerate(items)]
        if rows:
            with self._transaction() as s:
                s.execute(insert(_assessments), rows)
        return len(rows)

    def list_assessments(self) -> list[SavedAssessment]:
        query = select(_assessments).order_by(_assessments.c.created_at, _assessments.c.id)
        with self._transaction() as s:
            return [assessment_from_row(row) for row in s.execute(query)]

    # ------------------------------------------------------------ import

    def import_entries(
        self,
        episodes: Sequence[Episode] = (),
        days: Sequence[DayFactors] = (),
        assessments: Sequence[SavedAssessment] = (),
        *,
        batch_size: int = 1000,
        on_progress: Callable[[int], None] | None = None,
        experiments: Sequence[Experiment] = (),
    ) -> ImportCounts:
        """Add a whole import in ONE transaction: after any error or crash the diary holds
        all of it or none of it. Entries the diary already has are skipped and counted,
        and days merge by date (what "the same" means: ``crampwise.diary.importer``).

        ``batch_size`` rows go per INSERT statement; ``on_progress`` gets each batch's size.
        """
        from crampwise.diary.importer import check_entries, write_import

        if batch_size < 1:
            raise InvalidInputError(
                "bad batch size", [FieldProblem("batch_size", "must be at least 1")]
            )
        check_entries(episodes, days, assessments, _assessment_columns)
        columns = (_episode_columns, _assessment_columns)
        with self._transaction(write=True) as s:
            return write_import(
                s,
                episodes,
                days,
                assessments,
                columns,
                batch_size,
                on_progress or _ignore,
                experiments=experiments,
            )

    # ------------------------------------------------------------ housekeeping

    def counts(self) -> dict[str, int]:
        """How many episodes, days and assessments the diary holds."""
        with self._transaction() as s:
            return {
                name: s.scalar(select(func.count()).select_from(table)) or 0
                for name, table in (
                    ("episodes", _episodes),
                    ("days", _days),
                    ("assessments", _assessments),
                )
            }

    def revision(self) -> int:
        """A number that changes with every committed write of this owner's rows and never
        goes back (0: nothing written yet, or everything erased); a cache of what is
        derived from the diary keys on it."""
        with self._transaction() as s:
            return int(s.scalar(select(_revisions.c.revision)) or 0)

    def erase_owner_data(self) -> dict[str, int]:
        """Delete every row of this owner in every owned table, in one transaction; returns
        how many rows each table lost. Other owners' rows are untouched."""
        with self._transaction(write=True) as s:
            return ownership.erase_owned_rows(s)

    def close(self) -> None:
        if self._owns_engine:
            self._engine.dispose()

    def __enter__(self) -> DiaryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DiaryStore({_safe_url(self.url)!r}, owner_id={self.owner_id!r})"

    @contextmanager
    def connection(self, *, write: bool = False) -> Iterator[Connection]:
        """One Core connection in one transaction, for repositories that keep their own
        tables in this database (experiments): commit on success, roll back on any error,
        a database failure raised as :class:`StorageError`. ``write`` as for writes below."""
        with self._transaction(write=write) as conn:
            yield conn

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """One connection, one transaction: commit on success, roll back on any exception.

        ``write=True`` for a transaction that reads before it writes: on SQLite it takes
        the write lock at BEGIN (waiting for another writer) instead of failing with
        "database is locked" when its first write comes after another process's.

        The one place a connection gets its owner: the execution option the ownership hook
        scopes every statement by, and on PostgreSQL ``app.user_id`` for row-level
        security, local to this transaction (so a pooled connection never keeps it).
        """
        engine = self._write_engine if write else self._engine
        try:
            with engine.begin() as conn:
                conn.execution_options(**{OWNER_OPTION: self.owner_id})
                conn.info.pop(ownership.WROTE_KEY, None)
                if self.owner_id is not None and conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT set_config('app.user_id', :owner, true)"),
                        {"owner": str(self.owner_id)},
                    )
                yield conn
                if conn.info.pop(ownership.WROTE_KEY, False):
                    ownership.bump_revision(conn)
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            raise StorageError(
                f"the diary at {_safe_url(self.url)} could not be used: {reason}"
            ) from exc


def _ignore(_n: int) -> None:
    return None


def _no_episode(episode_id: int) -> NotFoundError:
    return NotFoundError(f"no episode with id {episode_id}")


def _replace_days(conn: Connection, items: list[DayFactors]) -> None:
    """Write ``items`` over whatever their dates held, inside the caller's transaction."""
    dates = [d.day for d in items]
    conn.execute(delete(_values).where(_values.c.day.in_(dates)))
    conn.execute(delete(_days).where(_days.c.day.in_(dates)))
    conn.execute(insert(_days), [{"day": d.day, "note": d.note} for d in items])
    values = [
        {"day": d.day, "factor_id": k, "value_json": json.dumps(v)}
        for d in items
        for k, v in d.values.items()
    ]
    if values:
        conn.execute(insert(_values), values)


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as is; it has no password to hide
        return url


def _episode_columns(ep: Episode) -> dict[str, Any]:
    columns = {name: getattr(ep, name) for name in EPISODE_FIELDS if name != "id"}
    columns["duration_minutes"] = float(ep.duration_minutes)
    columns["sites"], columns["actions"] = list(ep.sites), list(ep.actions)  # JSON columns
    return columns


def episode_from_row(row: Row[Any]) -> Episode:
    # Rows were checked when written; rebuilding them unchecked keeps reading years of
    # diary quick and keeps a row from before a newer rule readable.
    columns = row._mapping
    values = {name: columns[name] for name in EPISODE_FIELDS}
    values["sites"], values["actions"] = tuple(columns["sites"]), tuple(columns["actions"])
    return trusted(Episode, **values)


def _assessment_columns(a: SavedAssessment, prefix: str = "") -> dict[str, Any]:
    # A SavedAssessment is checked when built (JSON objects, non-empty version).
    return {
        "created_at": a.created_at,
        "knowledge_version": a.knowledge_version,
        "case_json": a.case,
        "result_json": a.result,
    }


def assessment_from_row(row: Row[Any]) -> SavedAssessment:
    return trusted(
        SavedAssessment,
        created_at=row.created_at,
        case=row.case_json,
        result=row.result_json,
        knowledge_version=row.knowledge_version,
        id=row.id,
    )


__all__ = [
    "DAY_MODES",
    "LOCAL_OWNER",
    "DayMode",
    "DiaryStore",
    "assessment_from_row",
    "episode_from_row",
    "open_store",
]
