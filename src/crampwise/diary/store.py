"""The diary repository: episodes, daily factors and saved assessments in a database.

Every write is one transaction and every record is validated before it is written, so a
crash or a bad record never leaves half an import or an impossible row behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crampwise.diary.records import DayFactors, Episode, FactorValue, SavedAssessment
from crampwise.diary.validate import check_episode, day_problems, episode_problems
from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError
from crampwise.storage.database import StorageError, default_url, make_engine
from crampwise.storage.migrate import upgrade
from crampwise.storage.models import AssessmentRow, Base, DayFactorValueRow, DayRow, EpisodeRow

_TABLES = Base.metadata.tables  # for Core executemany inserts


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
        with self._transaction() as s:
            row = self._episode_row(s, episode_id)
            for key, value in _episode_columns(ep).items():
                setattr(row, key, value)
            s.flush()
            return _episode(row)

    def delete_episode(self, episode_id: int) -> None:
        with self._transaction() as s:
            s.delete(self._episode_row(s, episode_id))

    # ------------------------------------------------------------ days

    def set_day(self, day: DayFactors) -> DayFactors:
        """Record a day, replacing whatever was recorded for that date."""
        self.set_days([day])
        return day

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
        dates = [d.day for d in items]
        with self._transaction() as s:
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
                DayFactors(day=day, values=by_day.get(day, {}), note=note)
                for day, note in s.execute(days)
            ]

    def delete_day(self, day: date) -> None:
        with self._transaction() as s:
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
    def _transaction(self) -> Iterator[Session]:
        # One session, one transaction: commit on success, roll back on any exception.
        try:
            with Session(self._engine, expire_on_commit=False) as session, session.begin():
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


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as is; it has no password to hide
        return url


def _episode_columns(ep: Episode) -> dict[str, Any]:
    return {
        "started_at": ep.started_at,
        "duration_minutes": float(ep.duration_minutes),
        "sites": list(ep.sites),
        "severity": ep.severity,
        "side": ep.side,
        "activity": ep.activity,
        "actions": list(ep.actions),
        "helped": ep.helped,
        "note": ep.note,
    }


def _episode(row: EpisodeRow) -> Episode:
    return Episode(
        started_at=row.started_at,
        duration_minutes=row.duration_minutes,
        sites=tuple(row.sites),
        severity=row.severity,
        side=row.side,
        activity=row.activity,
        actions=tuple(row.actions),
        helped=row.helped,
        note=row.note,
        id=row.id,
    )


def _assessment_columns(a: SavedAssessment, prefix: str = "") -> dict[str, Any]:
    problems = []
    for field, value in (("case", a.case), ("result", a.result)):
        try:
            if not isinstance(value, dict):
                raise TypeError("must be an object")
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            problems.append(FieldProblem(prefix + field, f"cannot be stored as JSON: {exc}"))
    if not isinstance(a.knowledge_version, str) or not a.knowledge_version:
        problems.append(FieldProblem(prefix + "knowledge_version", "must be non-empty text"))
    if not isinstance(a.created_at, datetime):
        problems.append(FieldProblem(prefix + "created_at", "must be a date and time"))
    if problems:
        raise InvalidInputError("assessment not stored", problems)
    return {
        "created_at": a.created_at,
        "knowledge_version": a.knowledge_version,
        "case_json": a.case,
        "result_json": a.result,
    }


def _assessment(row: AssessmentRow) -> SavedAssessment:
    return SavedAssessment(
        created_at=row.created_at,
        case=row.case_json,
        result=row.result_json,
        knowledge_version=row.knowledge_version,
        id=row.id,
    )


__all__ = ["DiaryStore", "open_store"]
