"""Export the diary (a JSON document, or CSV) and import it back, all or nothing.

An import file is read and validated completely before anything is written, so a typo on
line 9,000 names that line and field and leaves the diary untouched. Writing is then one
transaction: a crash at any point leaves the diary with all of the file or none of it.
Entries the diary already has are skipped and counted, so importing a file twice is
harmless (what "the same entry" means: :mod:`crampwise.diary.importer`).

- :mod:`.export`: the JSON document and the CSV tables;
- :mod:`.json_reader`, :mod:`.csv_reader`, :mod:`.reading`: files into a checked plan; a FHIR
  Bundle (a JSON object whose ``resourceType`` is ``Bundle``) goes to :mod:`crampwise.fhir`,
  told by its content in :mod:`.reading`, whatever the file is called;
- :mod:`.writing`: a plan into the diary;
- :mod:`.cells`: CSV cells, and the guard against spreadsheet formulas.
"""

from crampwise.diary.importer import ImportCounts
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
from crampwise.diary.transfer.reading import parse_import_text, read_import_file
from crampwise.diary.transfer.writing import check_dates, write_plan

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
