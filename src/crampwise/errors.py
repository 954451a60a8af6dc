"""One exception hierarchy for crampwise.

Each error knows its HTTP status and its command-line exit code, so the terminal, the
HTML pages and the JSON API all render it in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


def field_path(parts: Iterable[str | int]) -> str:
    """The one spelling of a field's place: ``episodes[0].severity``, ``query.from``.

    Keys are joined by dots and list positions are written in brackets, in CLI messages,
    import errors and the API error body alike.
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


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
    headers: Mapping[str, str] = {}
    """HTTP headers the response carries (e.g. WWW-Authenticate with a 401); never mutated."""

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


# --- Web request errors (rendered by crampwise.web.errors) ----------------------------------


class UnauthorizedError(CrampwiseError):
    """The request carries no credentials, or ones that do not check out."""

    http_status = 401
    exit_code = 2
    headers: Mapping[str, str] = {"WWW-Authenticate": "Bearer"}


class TooManyRequestsError(CrampwiseError):
    """Too many attempts in a short time (failed logins); try again after ``retry_after``."""

    http_status = 429
    exit_code = 2

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class PreconditionFailedError(CrampwiseError):
    """Data the request must bring is missing (CDS Hooks: a required prefetch)."""

    http_status = 412
    exit_code = 2


class ForbiddenError(CrampwiseError):
    """The request could not be verified as coming from this app (CSRF or Origin check)."""

    http_status = 403
    exit_code = 2


class UnsupportedMediaTypeError(CrampwiseError):
    """The API only accepts JSON bodies (this also blocks cross-site HTML form posts)."""

    http_status = 415
    exit_code = 2


class PayloadTooLargeError(CrampwiseError):
    """The request body is larger than the address accepts; it was not read further."""

    http_status = 413
    exit_code = 2


class HostNotAllowedError(CrampwiseError):
    """The request named a host this server does not answer for (DNS rebinding guard)."""

    http_status = 421
    exit_code = 2


class NestingTooDeepError(InvalidInputError):
    """A JSON body nests arrays and objects deeper than any valid input needs."""


class ServeError(CrampwiseError):
    """`crampwise serve` cannot start: the message says why and what to do."""

    http_status = 500
    exit_code = 2


class KeyFileError(CrampwiseError):
    """The web app's signing key file cannot be created or read: the message names it."""

    http_status = 503
    exit_code = 1


class StorageError(CrampwiseError):
    """The diary database cannot be opened or written: the message says which and why."""

    http_status = 503
    exit_code = 1


class DatabaseSettingsError(StorageError):
    """The database setting cannot work (unknown kind of URL, unreachable server, a folder
    that cannot hold the SQLite file, a missing driver): fix the setting, not the data."""

    exit_code = 2
