"""One exception hierarchy for crampwise.

Each error knows its HTTP status and its command-line exit code, so the terminal, the
HTML pages and the JSON API all render it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One offending field: where it is (dotted path) and what is wrong with it."""

    field: str
    message: str
    line: int | None = None

    def render(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
        return out


class CrampwiseError(Exception):
    """Base class: something the user can act on, never a traceback."""

    http_status = 500
    exit_code = 1

    def __init__(self, message: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[FieldProblem] = problems or []

    def render(self) -> str:
        """The full message for a terminal: the summary, then one line per offending field."""
        lines = [self.message]
        lines.extend(f"  - {p.render()}" for p in self.problems)
        return "\n".join(lines)


class InvalidInputError(CrampwiseError):
    """The input (a case, an answer, a diary entry, a file) breaks the documented format."""

    http_status = 422
    exit_code = 2


class NotFoundError(CrampwiseError):
    """The entry asked for does not exist."""

    http_status = 404
    exit_code = 2


class KnowledgeError(CrampwiseError):
    """A knowledge file is broken: the message names the file, the item and the field."""

    http_status = 500
    exit_code = 3


def read_text_file(path: Path) -> str:
    """A user's file as text, or an InvalidInputError saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc})") from None
