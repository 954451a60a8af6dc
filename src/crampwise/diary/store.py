"""The diary repository: episodes, daily factors and saved assessments in a database.

Every write is one transaction and every record is validated before it is written, so a
crash or a bad record never leaves half an import or an impossible row behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

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
from crampwise.storage.database import default_url, for_writing, make_engine
from crampwise.storage.migrate import upgrade
from crampwise.storage.models import AssessmentRow, Base, DayFactorValueRow, DayRow, EpisodeRow

if TYPE_CHECKING:
    from crampwise.diary.importer import ImportCounts

_TABLES = Base.metadata.tables  # for Core executemany inserts

DayMode = Literal["merge", "replace"]
DAY_MODES: tuple[DayMode, ...] = ("merge", "replace")
"""How a day update treats what the date already holds (see ``DiaryStore.update_day``)."""


def open_store(url: str | None = None) -> DiaryStore:
    """Open the diary at ``url`` (None: ``CRAMPWISE_DATABASE_URL`` or the SQLite default),
    migrating it to the newest schema first."""
    url = url or default_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return DiaryStore(engine, url)


class DiaryStore:
    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._write_engine = for_writing(engine)  # same pool; SQLite: BEGIN IMMEDIATE
        self.url = url

    # ------------------------------------------------------------ episodes

    def add_episode(self, ep: Episode) -> Episode:
        """Store a new episode (any ``id`` it carries is ignored); returns it with its id."""
        check_episode(ep)
        with self._transaction() as s:
            row = EpisodeRow(**_episode_columns(ep))
            s.add(row)
            s.flush()
            return _episode(row)

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
            # Core executemany: the ORM would split the batch by which columns are NULL.
            s.connection().execute(
                insert(_TABLES["episodes"]), [_episode_columns(ep) for ep in items]
            )
        return len(items)

    def list_episodes(self, start: date | None = None, end: date | None = None) -> list[Episode]:
        """Episodes in time order; ``start`` and ``end`` are inclusive days."""
        query = select(EpisodeRow).order_by(EpisodeRow.started_at, EpisodeRow.id)
        if start is not None:
            query = query.where(EpisodeRow.started_at >= datetime.combine(start, time()))
        if end is not None:
            next_day = datetime.combine(end + timedelta(days=1), time())
            query = query.where(EpisodeRow.started_at < next_day)
        with self._transaction() as s:
            return [_episode(row) for row in s.scalars(query)]

    def get_episode(self, episode_id: int) -> Episode:
        with self._transaction() as s:
            return _episode(self._episode_row(s, episode_id))

    def update_episode(self, episode_id: int, ep: Episode) -> Episode:
        check_episode(ep)
        with self._transaction(write=True) as s:
            row = self._episode_row(s, episode_id)
            for key, value in _episode_columns(ep).items():
                setattr(row, key, value)
            s.flush()
            return _episode(row)

    def delete_episode(self, episode_id: int) -> None:
        with self._transaction(write=True) as s:
            s.delete(self._episode_row(s, episode_id))

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
                existing = s.get(DayRow, day.day)
                if existing is not None:
                    old = {
                        factor_id: json.loads(value_json)
                        for factor_id, value_json in s.execute(
                            select(DayFactorValueRow.factor_id, DayFactorValueRow.value_json).where(
                                DayFactorValueRow.day == day.day
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
            last_day = s.scalar(select(func.max(DayRow.day)))
            last_start = s.scalar(select(func.max(EpisodeRow.started_at)))
        found = [d for d in (last_day, last_start.date() if last_start else None) if d]
        return max(found) if found else None

    def entry_days(self) -> list[date]:
        """Every day that has an episode or a day record, sorted, each once (for the
        plausibility check of new dates, ``crampwise.diary.plausible``)."""
        with self._transaction() as s:
            days = set(s.scalars(select(DayRow.day)))
            for (started,) in s.execute(select(EpisodeRow.started_at)):
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
        # Plain column rows, not ORM objects: years of daily values are tens of thousands of
        # rows, and building mapped objects for them dominated `crampwise insights`.
        days = select(DayRow.day, DayRow.note).order_by(DayRow.day)
        values = select(
            DayFactorValueRow.day, DayFactorValueRow.factor_id, DayFactorValueRow.value_json
        )
        if start is not None:
            days = days.where(DayRow.day >= start)
            values = values.where(DayFactorValueRow.day >= start)
        if end is not None:
            days = days.where(DayRow.day <= end)
            values = values.where(DayFactorValueRow.day <= end)
        with self._transaction() as s:
            by_day: dict[date, dict[str, FactorValue]] = {}
            for day, factor_id, value_json in s.execute(
                values.order_by(DayFactorValueRow.factor_id)
            ):
                by_day.setdefault(day, {})[factor_id] = json.loads(value_json)
            return [
                trusted(DayFactors, day=day, values=by_day.get(day, {}), note=note)
                for day, note in s.execute(days)
            ]

    def delete_day(self, day: date) -> None:
        with self._transaction(write=True) as s:
            if s.get(DayRow, day) is None:
                raise NotFoundError(f"no day recorded for {day.isoformat()}")
            s.execute(delete(DayFactorValueRow).where(DayFactorValueRow.day == day))
            s.execute(delete(DayRow).where(DayRow.day == day))

    # ------------------------------------------------------------ assessments

    def save_assessment(
        self, case: dict[str, Any], result: dict[str, Any], knowledge_version: str
    ) -> SavedAssessment:
        saved = SavedAssessment(datetime.now(), case, result, knowledge_version)
        with self._transaction() as s:
            row = AssessmentRow(**_assessment_columns(saved))
            s.add(row)
            s.flush()
            return _assessment(row)

    def add_assessments(self, items: Iterable[SavedAssessment]) -> int:
        """Store saved assessments as they are (keeping ``created_at``), in one transaction."""
        rows = [_assessment_columns(a, f"assessments[{i}].") for i, a in enumerate(items)]
        if rows:
            with self._transaction() as s:
                s.connection().execute(insert(_TABLES["saved_assessments"]), rows)
        return len(rows)

    def list_assessments(self) -> list[SavedAssessment]:
        query = select(AssessmentRow).order_by(AssessmentRow.created_at, AssessmentRow.id)
        with self._transaction() as s:
            return [_assessment(row) for row in s.scalars(query)]

    # ------------------------------------------------------------ import

    def import_entries(
        self,
        episodes: Sequence[Episode] = (),
        days: Sequence[DayFactors] = (),
        assessments: Sequence[SavedAssessment] = (),
        *,
        batch_size: int = 1000,
        on_progress: Callable[[int], None] | None = None,
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
                s, episodes, days, assessments, columns, batch_size, on_progress or _ignore
            )

    # ------------------------------------------------------------ housekeeping

    def counts(self) -> dict[str, int]:
        """How many episodes, days and assessments the diary holds."""
        with self._transaction() as s:
            return {
                name: s.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (
                    ("episodes", EpisodeRow),
                    ("days", DayRow),
                    ("assessments", AssessmentRow),
                )
            }

    def close(self) -> None:
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
        return f"DiaryStore({_safe_url(self.url)!r})"

    @contextmanager
    def connection(self, *, write: bool = False) -> Iterator[Connection]:
        """One Core connection in one transaction, for repositories that keep their own
        tables in this database (experiments): commit on success, roll back on any error,
        a database failure raised as :class:`StorageError`. ``write`` as for writes below."""
        with self._transaction(write=write) as s:
            yield s.connection()

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Session]:
        """One session, one transaction: commit on success, roll back on any exception.

        ``write=True`` for a transaction that reads before it writes: on SQLite it takes
        the write lock at BEGIN (waiting for another writer) instead of failing with
        "database is locked" when its first write comes after another process's.
        """
        engine = self._write_engine if write else self._engine
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            raise StorageError(
                f"the diary at {_safe_url(self.url)} could not be used: {reason}"
            ) from exc

    @staticmethod
    def _episode_row(s: Session, episode_id: int) -> EpisodeRow:
        row = s.get(EpisodeRow, episode_id)
        if row is None:
            raise NotFoundError(f"no episode with id {episode_id}")
        return row


def _ignore(_n: int) -> None:
    return None


def _replace_days(s: Session, items: list[DayFactors]) -> None:
    """Write ``items`` over whatever their dates held, inside the caller's transaction."""
    dates = [d.day for d in items]
    s.execute(delete(DayFactorValueRow).where(DayFactorValueRow.day.in_(dates)))
    s.execute(delete(DayRow).where(DayRow.day.in_(dates)))
    conn = s.connection()
    conn.execute(insert(_TABLES["days"]), [{"day": d.day, "note": d.note} for d in items])
    values = [
        {"day": d.day, "factor_id": k, "value_json": json.dumps(v)}
        for d in items
        for k, v in d.values.items()
    ]
    if values:
        conn.execute(insert(_TABLES["day_factor_values"]), values)


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


def _episode(row: EpisodeRow) -> Episode:
    # Rows were checked when written; rebuilding them unchecked keeps reading years of
    # diary quick and keeps a row from before a newer rule readable.
    values = {name: getattr(row, name) for name in EPISODE_FIELDS}
    values["sites"], values["actions"] = tuple(row.sites), tuple(row.actions)
    return trusted(Episode, **values)


def _assessment_columns(a: SavedAssessment, prefix: str = "") -> dict[str, Any]:
    # A SavedAssessment is checked when built (JSON objects, non-empty version).
    return {
        "created_at": a.created_at,
        "knowledge_version": a.knowledge_version,
        "case_json": a.case,
        "result_json": a.result,
    }


def _assessment(row: AssessmentRow) -> SavedAssessment:
    return trusted(
        SavedAssessment,
        created_at=row.created_at,
        case=row.case_json,
        result=row.result_json,
        knowledge_version=row.knowledge_version,
        id=row.id,
    )


__all__ = ["DAY_MODES", "DayMode", "DiaryStore", "open_store"]
