"""Read an import file, whatever its kind: a JSON diary export or a CSV."""

from __future__ import annotations

from pathlib import Path

from crampwise.diary.transfer.csv_reader import parse_csv
from crampwise.diary.transfer.json_reader import parse_json_document
from crampwise.diary.transfer.plan import ImportPlan
from crampwise.errors import FieldProblem, InvalidInputError


def read_import_file(path: Path) -> ImportPlan:
    """Read and validate a whole file: a JSON document, an episodes CSV or a days CSV."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(
            f"{path.name}: not UTF-8 text", [FieldProblem("file", "save it as UTF-8")]
        ) from None
    except OSError as exc:
        raise InvalidInputError(
            f"{path.name}: cannot be read", [FieldProblem("file", exc.strerror or str(exc))]
        ) from None
    return parse_import_text(text, path.name)


def parse_import_text(text: str, source: str = "file") -> ImportPlan:
    """A JSON document (it starts with ``{``) or else a CSV, read and validated."""
    if text.lstrip().startswith("{"):
        return parse_json_document(text, source)
    return parse_csv(text, source)
