"""The diary schema as typed SQLAlchemy models.

Migrations (``migrations/versions``) create this schema; a test checks that the two agree.
Daily factors are rows of ``day_factor_values`` (day, factor id, JSON value), so a new
factor in ``factors.yaml`` needs no schema change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crampwise.diary.vocabulary import SEVERITY_MAX, SEVERITY_MIN


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
"""Every table of the schema (other modules add theirs to it with ``sqlalchemy.Table``)."""


class EpisodeRow(Base):
    """An Episode (crampwise.diary.records): one column per field, same names (a test checks).

    The columns are spelled out because the schema belongs to the migrations, not to the
    record model; the store maps between the two by the record's field names.
    """

    __tablename__ = "episodes"
    __table_args__ = (
        # Defence in depth: the record model rejects these first, with a friendlier message.
        CheckConstraint(
            f"severity BETWEEN {SEVERITY_MIN} AND {SEVERITY_MAX}", name="ck_episodes_severity"
        ),
        CheckConstraint("duration_minutes >= 0", name="ck_episodes_duration"),
        Index("ix_episodes_started_at_id", "started_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Local wall-clock time: a night cramp at 23:10 stays 23:10 wherever the file goes.
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    duration_minutes: Mapped[float] = mapped_column(Float)
    sites: Mapped[list[str]] = mapped_column(JSON)
    severity: Mapped[int] = mapped_column(Integer)
    side: Mapped[str | None] = mapped_column(String(16))
    activity: Mapped[str | None] = mapped_column(String(32))
    actions: Mapped[list[str]] = mapped_column(JSON)
    helped: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)


class DayRow(Base):
    __tablename__ = "days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    note: Mapped[str | None] = mapped_column(Text)


class DayFactorValueRow(Base):
    __tablename__ = "day_factor_values"

    day: Mapped[date] = mapped_column(
        Date, ForeignKey("days.day", ondelete="CASCADE"), primary_key=True
    )
    factor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # JSON text keeps the type: true, 1.5 and "hard" come back as bool, float and str.
    value_json: Mapped[str] = mapped_column(Text)


class AssessmentRow(Base):
    __tablename__ = "saved_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    knowledge_version: Mapped[str] = mapped_column(String(64))
    case_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    result_json: Mapped[dict[str, Any]] = mapped_column(JSON)
