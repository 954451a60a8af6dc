"""Read an import file, whatever its kind: a FHIR Bundle, a JSON diary export or a CSV."""

from __future__ import annotations

import json
import re
from pathlib import Path

from crampwise.diary.transfer.csv_reader import parse_csv
from crampwise.diary.transfer.json_reader import parse_json_document
from crampwise.diary.transfer.plan import ImportPlan
from crampwise.errors import FieldProblem, InvalidInputError

# Only a text that names the Bundle resourceType is parsed to see whether it is one.
_FHIR_HINT = re.compile(r'"resourceType"\s*:\s*"Bundle"')


def read_import_file(path: Path) -> ImportPlan:
    """Read and validate a whole file: a FHIR Bundle, a JSON document or a CSV."""
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
    """A FHIR Bundle or a crampwise JSON document (both start with ``{``), else a CSV, read
    and validated. A Bundle is told by its content, whatever the file is called."""
    if not text.lstrip().startswith("{"):
        return parse_csv(text, source)
    if _FHIR_HINT.search(text):
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
    return parse_json_document(text, source)
