"""Read a CSV of episodes (its header has ``started_at``) or of days (``date``).

Cells that the export guarded against spreadsheet formulas get their ``'`` back off
(:func:`crampwise.diary.transfer.cells.restore`) before anything else looks at them.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from crampwise.diary.transfer.cells import restore
from crampwise.diary.transfer.export import EPISODE_COLUMNS
from crampwise.diary.transfer.plan import LIST_SEPARATOR, Collector, ImportPlan
from crampwise.diary.validate import day_from_dict, episode_from_dict, parse_factor_text
from crampwise.errors import FieldProblem, InvalidInputError


def parse_csv(text: str, source: str = "file") -> ImportPlan:
    """An episodes CSV (header has ``started_at``) or a days CSV (header has ``date``)."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="__extra__")
    try:
        return _parse_rows(reader, source)
    except csv.Error as exc:  # a cell over the csv module's size limit, a stray NUL…
        raise InvalidInputError(
            f"{source}: not a readable CSV", [FieldProblem("file", str(exc), reader.line_num + 1)]
        ) from None


def _parse_rows(reader: csv.DictReader[str], source: str) -> ImportPlan:
    header = reader.fieldnames or []
    is_days = "date" in header and "started_at" not in header
    allowed: tuple[str, ...] = EPISODE_COLUMNS + ("ended_at",)
    if not is_days:
        unknown = [c for c in header if c not in allowed]
        if unknown or "started_at" not in header:
            raise InvalidInputError(
                f"{source}: not an episodes or days CSV",
                [FieldProblem("header", f"columns must be among {', '.join(allowed)}", 1)],
            )
    lines: list[int] = []
    plan = ImportPlan(source=source, locate=lambda _section, i: ("", lines[i]))
    problems = Collector()
    now, today = datetime.now(), date.today()
    end_of_previous = reader.line_num
    for row in reader:
        line, end_of_previous = end_of_previous + 1, reader.line_num
        with problems.collect():
            if "__extra__" in row:
                raise InvalidInputError(
                    "bad row", [FieldProblem("row", "has more cells than the header", line)]
                )
            if is_days:
                plan.days.append(day_from_dict(_day_cells(row), line, today=today))
            else:
                plan.episodes.append(episode_from_dict(_episode_cells(row), line, now=now))
            lines.append(line)
    problems.raise_if_any(f"{source}: ")
    return plan


def _episode_cells(row: dict[str, str]) -> dict[str, object]:
    """Type the cells that look typed; anything else stays text for the validator to name."""
    out: dict[str, object] = {}
    for key, raw in row.items():
        text = restore(raw or "")
        cell = text.strip() if key != "note" else text
        if cell == "":
            continue
        value: object = cell
        if key in ("sites", "actions"):
            value = [x.strip() for x in cell.split(LIST_SEPARATOR) if x.strip()]
        elif key == "helped":
            value = {"true": True, "yes": True, "false": False, "no": False}.get(cell.lower(), cell)
        elif key in ("id", "severity"):
            value = int(cell) if cell.lstrip("-").isdigit() else cell
        elif key == "duration_minutes":
            try:
                value = float(cell)
            except ValueError:
                pass
        out[key] = value
    return out


def _day_cells(row: dict[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, raw in row.items():
        text = restore(raw or "")
        if key not in ("date", "note") and text.strip():
            values[key] = parse_factor_text(key, text)
    note = restore(row.get("note") or "")
    return {
        "date": restore(row.get("date") or "").strip() or None,
        "note": note or None,
        "values": values,
    }
