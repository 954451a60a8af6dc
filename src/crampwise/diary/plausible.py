"""Is a diary date plausible? The one place for the "mistyped year" rules.

A cramp logged at "1926-12-01" in a diary that otherwise covers 2026 is almost surely a
typo, and one such entry used to stretch insights over a century. Two rules live here:

- :func:`far_before` flags dates more than :data:`MAX_YEARS_BEFORE` years before the period
  the rest of the diary covers. Front ends apply it to a new entry (the terminal asks for
  confirmation, the web form and the API refuse with 422) and the import applies it to a
  whole file's dates at once (:func:`check_not_far_before`).
- :func:`covered_period` finds the period the diary actually covers, leaving out small
  groups of entries isolated far from the rest, so insights analyse that period and say
  which entries they left out.

Future dates are refused by the record validation itself (``diary/validate.py``).
Pure functions: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, runtime_checkable

from crampwise.errors import FieldProblem, InvalidInputError

MAX_YEARS_BEFORE = 3
"""A date more than this many years before the diary's covered period needs confirmation
(terminal) or is refused (web, API, import)."""

ISOLATION_GAP = timedelta(days=365)
"""Entries separated from the rest by a gap longer than this form their own group."""

OUTLIER_SHARE = 0.05
"""An early group of at most this share of the diary's days (or at most
:data:`OUTLIER_MIN_DAYS` days) isolated from the rest is left out of the covered period."""
OUTLIER_MIN_DAYS = 2


@dataclass(frozen=True, slots=True)
class Period:
    """The days the diary covers, both ends inclusive, and the days left out of it."""

    start: date
    end: date
    left_out: tuple[date, ...] = ()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class FarBefore:
    """One date too far before the diary: its position in the input, and the reference."""

    index: int
    day: date
    diary_start: date

    def message(self) -> str:
        return far_before_message(self.day, self.diary_start)


def covered_period(days: Iterable[date]) -> Period | None:
    """The period the diary covers, given every day that has an entry (episode or factors).

    Days are split into groups wherever two consecutive days are more than
    :data:`ISOLATION_GAP` apart. The earliest groups that hold few days (at most
    :data:`OUTLIER_MIN_DAYS`, or :data:`OUTLIER_SHARE` of all days) are left out, one
    after another, while a later group at least as big remains. None when ``days`` is
    empty.
    """
    ordered = sorted(set(days))
    if not ordered:
        return None
    groups: list[list[date]] = [[ordered[0]]]
    for previous, day in zip(ordered, ordered[1:], strict=False):
        if day - previous > ISOLATION_GAP:
            groups.append([])
        groups[-1].append(day)
    small = max(OUTLIER_MIN_DAYS, int(OUTLIER_SHARE * len(ordered)))
    left_out: list[date] = []
    # Mistyped years land in the past (the future is refused), so only early groups are
    # suspects, even against a later group of the same size. The latest entries are never
    # left out: they are what was just typed, and the trend is "as of" the last of them.
    while len(groups) > 1 and len(groups[0]) <= small:
        if len(groups[0]) > max(len(g) for g in groups[1:]):
            break
        left_out += groups.pop(0)
    return Period(groups[0][0], groups[-1][-1], tuple(left_out))


def far_before(dates: Sequence[date], existing: Iterable[date] = ()) -> list[FarBefore]:
    """The ``dates`` more than :data:`MAX_YEARS_BEFORE` years before the rest of the diary.

    ``dates`` are the new entries' days (one for a form, a whole file for an import);
    ``existing`` are the days already in the diary. The reference is the start of the
    :func:`covered_period` of all of them together, so a stray old date in a file is judged
    against the file's bulk even in an empty diary, and a single entry in an empty diary is
    always plausible. Returns one :class:`FarBefore` per offending date, in input order
    (``index`` is its position in ``dates``).
    """
    period = covered_period([*existing, *dates])
    if period is None:
        return []
    limit = years_before(period.start, MAX_YEARS_BEFORE)
    return [FarBefore(i, d, period.start) for i, d in enumerate(dates) if d < limit]


@runtime_checkable
class DiaryDays(Protocol):
    """What the check needs from a diary (``DiaryStore`` has both)."""

    def latest_entry_day(self) -> date | None: ...

    def entry_days(self) -> list[date]: ...


def far_before_in(diary: DiaryDays, dates: Sequence[date]) -> list[FarBefore]:
    """:func:`far_before` against a diary, reading every entry day only when it matters.

    The covered period starts no later than the newest day of all, so a date within
    :data:`MAX_YEARS_BEFORE` years of that newest day can never be flagged: logging a recent
    cramp costs one aggregate query, not a scan of the whole diary.
    """
    if not dates:
        return []
    # Entries in the future are refused, so no diary day is later than today (a margin of
    # two days for a clock set back): a date within MAX_YEARS_BEFORE years of that can never
    # be flagged, and logging today's cramp costs no query here at all.
    newest_possible = max(date.today() + timedelta(days=2), max(dates))
    if min(dates) >= years_before(newest_possible, MAX_YEARS_BEFORE):
        return []
    latest = diary.latest_entry_day()
    newest = max(dates) if latest is None else max(latest, max(dates))
    if min(dates) >= years_before(newest, MAX_YEARS_BEFORE):
        return []
    return far_before(dates, diary.entry_days())


def check_not_far_before(
    dates: Sequence[date],
    fields: Sequence[str],
    existing: Iterable[date] | DiaryDays = (),
    *,
    lines: Sequence[int | None] | None = None,
) -> None:
    """Raise InvalidInputError naming each field whose date is too far before the diary.

    ``existing`` is the diary (a :class:`DiaryDays`) or the days already in it.
    ``fields[i]`` is the field path of ``dates[i]`` (e.g. ``episodes[3].started_at``, built
    with ``crampwise.errors.field_path``); ``lines[i]``, if given, its line in a file.
    """
    if isinstance(existing, DiaryDays):
        found = far_before_in(existing, dates)
    else:
        found = far_before(dates, existing)
    if found:
        problems = [
            FieldProblem(fields[f.index], f.message(), lines[f.index] if lines else None)
            for f in found
        ]
        raise InvalidInputError(f"{len(found)} date(s) far before the rest of the diary", problems)


def far_before_message(day: date, diary_start: date) -> str:
    return (
        f"{day.isoformat()} is more than {MAX_YEARS_BEFORE} years before the rest of the "
        f"diary (which starts {diary_start.isoformat()}): check the year"
    )


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


__all__ = [
    "ISOLATION_GAP",
    "MAX_YEARS_BEFORE",
    "DiaryDays",
    "FarBefore",
    "Period",
    "check_not_far_before",
    "covered_period",
    "far_before",
    "far_before_in",
    "far_before_message",
]
