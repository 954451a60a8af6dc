"""The one date-range rule for everything that lists or analyses the diary.

``from`` and ``to`` are inclusive days, either may be left out, and ``from`` after ``to``
is a mistake (never silently an empty list): an InvalidInputError naming the field, which
is exit status 2 in the terminal and 422 in the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crampwise.errors import FieldProblem, InvalidInputError


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive first and last day; None is open-ended."""

    start: date | None = None
    end: date | None = None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def parse_day(text: str, field: str) -> date:
    """A YYYY-MM-DD day, or InvalidInputError naming ``field``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            "invalid date", [FieldProblem(field, f"{text!r} is not a real date (YYYY-MM-DD)")]
        ) from None


def date_range(
    start: date | str | None,
    end: date | str | None,
    *,
    start_field: str = "from",
    end_field: str = "to",
) -> DateRange:
    """The range from ``start`` to ``end`` (days or YYYY-MM-DD text).

    ``start_field`` and ``end_field`` name the inputs in messages: ``--from`` on the command
    line, ``query.from`` in the API (see ``crampwise.errors.field_path``).
    """
    first = parse_day(start, start_field) if isinstance(start, str) else start
    last = parse_day(end, end_field) if isinstance(end, str) else end
    if first is not None and last is not None and first > last:
        raise InvalidInputError(
            "empty date range",
            [
                FieldProblem(
                    start_field,
                    f"{first.isoformat()} is after {end_field} ({last.isoformat()}): "
                    "give the earlier day first",
                )
            ],
        )
    return DateRange(first, last)


__all__ = ["DateRange", "date_range", "parse_day"]
