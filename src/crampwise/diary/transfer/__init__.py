"""Export the diary (a JSON document, or CSV) and import it back, all or nothing.

An import file is read and validated completely before anything is written, so a typo on
line 9,000 names that line and field and leaves the diary untouched. Writing is then one
transaction: a crash at any point leaves the diary with all of the file or none of it.
Entries the diary already has are skipped and counted, so importing a file twice is
harmless (what "the same entry" means: :mod:`crampwise.diary.importer`).

- :mod:`.export`: the JSON document and the CSV tables;
- :mod:`.json_reader`, :mod:`.csv_reader`, :mod:`.reading`: files into a checked plan; a FHIR
  Bundle (a JSON object whose ``resourceType`` is ``Bundle``) goes to :mod:`crampwise.fhir`,
  detected here by its content, whatever the file is called;
- :mod:`.writing`: a plan into the diary;
- :mod:`.cells`: CSV cells, and the guard against spreadsheet formulas.
"""

import json
import re
from pathlib import Path

from crampwise.diary.importer import ImportCounts
from crampwise.diary.transfer import reading as _reading
from crampwise.diary.transfer.csv_reader import parse_csv
from crampwise.diary.transfer.export import (
    EPISODE_COLUMNS,
    export_document,
    write_days_csv,
    write_episodes_csv,
    write_json,
)
from crampwise.diary.transfer.json_reader import parse_json_document
from crampwise.diary.transfer.plan import (
    DEFAULT_BATCH,
    DOCUMENT_KEYS,
    FORMAT,
    LIST_SEPARATOR,
    MAX_REPORTED,
    ImportPlan,
)
from crampwise.diary.transfer.writing import check_dates, write_plan
from crampwise.errors import FieldProblem, InvalidInputError

# Only a text that names the Bundle resourceType is parsed to see whether it is one.
_FHIR_HINT = re.compile(r'"resourceType"\s*:\s*"Bundle"')


def parse_import_text(text: str, source: str = "file") -> ImportPlan:
    """A FHIR Bundle, a crampwise JSON document (both start with ``{``) or a CSV, validated."""
    if text.lstrip().startswith("{") and _FHIR_HINT.search(text):
        from crampwise.fhir.read import parse_fhir_bundle, plan_from_bundle
        from crampwise.json_depth import nesting_exceeds

        if nesting_exceeds(text.encode("utf-8", "surrogatepass")):
            return parse_fhir_bundle(text, source)  # which says so
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            doc = None
        if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
            return plan_from_bundle(doc, source)
    return _reading.parse_import_text(text, source)


def read_import_file(path: Path) -> ImportPlan:
    """Read and validate a whole file: a FHIR Bundle, a JSON document, or a CSV."""
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


__all__ = [
    "DEFAULT_BATCH",
    "DOCUMENT_KEYS",
    "EPISODE_COLUMNS",
    "FORMAT",
    "LIST_SEPARATOR",
    "MAX_REPORTED",
    "ImportCounts",
    "ImportPlan",
    "check_dates",
    "export_document",
    "parse_csv",
    "parse_import_text",
    "parse_json_document",
    "read_import_file",
    "write_days_csv",
    "write_episodes_csv",
    "write_json",
    "write_plan",
]
