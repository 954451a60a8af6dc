"""Export the diary (JSON document, or CSV) and import it back in batches.

An import file is read and validated completely before anything is written, so a typo on
line 9,000 names that line and field and leaves the diary untouched. Writing then goes in
batches, each its own transaction: a crash keeps every finished batch and nothing partial.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.diary.store import DiaryStore
from crampwise.diary.validate import (
    EPISODE_KEYS,
    day_from_dict,
    day_to_dict,
    episode_from_dict,
    episode_to_dict,
    parse_factor_text,
)
from crampwise.errors import FieldProblem, InvalidInputError

FORMAT = "crampwise-diary/1"
DOCUMENT_KEYS = ("format", "episodes", "days", "assessments")
# CSV columns: the episode keys, with the duration written out rather than an end time.
EPISODE_COLUMNS = tuple(key for key in EPISODE_KEYS if key != "ended_at")
LIST_SEPARATOR = ";"  # inside one CSV cell: "toes;calf"
DEFAULT_BATCH = 1000
MAX_REPORTED = 50  # a broken 100k-line file should not print 100k lines


@dataclass
class ImportPlan:
    """Everything an import file holds, already validated."""

    episodes: list[Episode] = field(default_factory=list)
    days: list[DayFactors] = field(default_factory=list)
    assessments: list[SavedAssessment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.episodes) + len(self.days) + len(self.assessments)


# ---------------------------------------------------------------- export


def export_document(store: DiaryStore) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "episodes": [episode_to_dict(e) for e in store.list_episodes()],
        "days": [day_to_dict(d) for d in store.list_days()],
        "assessments": [_assessment_to_dict(a) for a in store.list_assessments()],
    }


def write_json(store: DiaryStore, out: TextIO) -> None:
    doc = export_document(store)
    # One record per line: readable, diffable, and import errors point at a useful line.
    out.write(f'{{"format": {json.dumps(FORMAT)},\n')
    for i, key in enumerate(("episodes", "days", "assessments")):
        records = doc[key]
        out.write(f' "{key}": [')
        for j, record in enumerate(records):
            out.write(("\n  " if j == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        out.write("\n ]" if records else "]")
        out.write(",\n" if i < 2 else "\n}\n")


def write_episodes_csv(episodes: Iterable[Episode], out: TextIO) -> int:
    writer = csv.writer(out)  # "\r\n": RFC 4180, and it makes csv quote a lone "\r"
    writer.writerow(EPISODE_COLUMNS)
    n = 0
    for ep in episodes:
        d = episode_to_dict(ep)
        d["sites"] = LIST_SEPARATOR.join(ep.sites)
        d["actions"] = LIST_SEPARATOR.join(ep.actions)
        d["duration_minutes"] = repr(ep.duration_minutes)  # repr: floats round-trip exactly
        writer.writerow([_cell(d[c]) for c in EPISODE_COLUMNS])
        n += 1
    return n


def write_days_csv(days: Sequence[DayFactors], out: TextIO) -> int:
    from crampwise.diary.factors import load_factors

    known = [f.id for f in load_factors()]
    extra = sorted({k for d in days for k in d.values} - set(known))
    columns = ["date", "note", *known, *extra]
    writer = csv.writer(out)  # "\r\n": RFC 4180, and it makes csv quote a lone "\r"
    writer.writerow(columns)
    for d in days:
        cells: dict[str, object] = {"date": d.day.isoformat(), "note": d.note, **d.values}
        writer.writerow([_cell(cells.get(c)) for c in columns])
    return len(days)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _assessment_to_dict(a: SavedAssessment) -> dict[str, Any]:
    return {
        "id": a.id,
        "created_at": a.created_at.isoformat(),
        "knowledge_version": a.knowledge_version,
        "case": a.case,
        "result": a.result,
    }


# ---------------------------------------------------------------- import: reading


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
    if text.lstrip().startswith("{"):
        return parse_json_document(text, path.name)
    return parse_csv(text, path.name)


def parse_json_document(text: str, source: str = "file") -> ImportPlan:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{source}: not valid JSON", [FieldProblem("file", exc.msg, exc.lineno)]
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise InvalidInputError(
            f"{source}: not a crampwise diary export",
            [FieldProblem("format", f"must be {FORMAT!r}, got {found!r}", 1)],
        )
    try:
        return _plan_from_document(doc, lambda _section, _i: None)
    except InvalidInputError:
        pass
    # Only now pay for the slower parse that remembers where each record starts.
    starts, lines = _parse_located(text), _line_starts(text)

    def line_of(section: str, index: int) -> int | None:
        records = starts.get(section)
        if not isinstance(records, list) or index >= len(records):
            return None
        pos = getattr(records[index], "pos", None)
        return None if pos is None else bisect_right(lines, pos) + 1

    try:
        return _plan_from_document(doc, line_of)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{source}: {exc.message}", exc.problems) from None


def _plan_from_document(
    doc: dict[str, Any], line_of: Callable[[str, int], int | None]
) -> ImportPlan:
    plan, problems = ImportPlan(), _Collector()
    for key in doc:
        if key not in DOCUMENT_KEYS:
            problems.add([FieldProblem(key, f"unknown key; allowed: {', '.join(DOCUMENT_KEYS)}")])
    sections: dict[str, list[Any]] = {}
    for section in ("episodes", "days", "assessments"):
        value = doc.get(section, [])
        if not isinstance(value, list):
            problems.add([FieldProblem(section, "must be a list")])
            value = []
        sections[section] = value
    now, today = datetime.now(), date.today()
    for i, raw in enumerate(sections["episodes"]):
        with problems.collect():
            ep = episode_from_dict(raw, line_of("episodes", i), prefix=f"episodes[{i}].", now=now)
            plan.episodes.append(ep)
    for i, raw in enumerate(sections["days"]):
        with problems.collect():
            plan.days.append(
                day_from_dict(raw, line_of("days", i), prefix=f"days[{i}].", today=today)
            )
    for i, raw in enumerate(sections["assessments"]):
        with problems.collect():
            plan.assessments.append(_assessment_from_dict(raw, line_of("assessments", i), i))
    problems.raise_if_any()
    return plan


def _assessment_from_dict(raw: object, line: int | None, i: int) -> SavedAssessment:
    prefix = f"assessments[{i}]."
    if not isinstance(raw, Mapping):
        raise InvalidInputError(
            "invalid assessment", [FieldProblem(prefix[:-1], "must be an object", line)]
        )
    bad: list[FieldProblem] = []
    created: Any = raw.get("created_at")
    try:
        created = datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        created = None
    if created is None:
        bad.append(FieldProblem(prefix + "created_at", "must be a date and time", line))
    for key in ("case", "result"):
        if not isinstance(raw.get(key), dict):
            bad.append(FieldProblem(prefix + key, "must be an object", line))
    version = raw.get("knowledge_version")
    if not isinstance(version, str) or not version:
        bad.append(FieldProblem(prefix + "knowledge_version", "must be non-empty text", line))
    if bad:
        raise InvalidInputError("invalid assessment", bad)
    return SavedAssessment(created, raw["case"], raw["result"], version, None)  # type: ignore[arg-type]


def parse_csv(text: str, source: str = "file") -> ImportPlan:
    """An episodes CSV (header has ``started_at``) or a days CSV (header has ``date``)."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="__extra__")
    header = reader.fieldnames or []
    problems, plan = _Collector(), ImportPlan()
    is_days = "date" in header and "started_at" not in header
    allowed: tuple[str, ...] = EPISODE_COLUMNS + ("ended_at",)
    if not is_days:
        unknown = [c for c in header if c not in allowed]
        if unknown or "started_at" not in header:
            raise InvalidInputError(
                f"{source}: not an episodes or days CSV",
                [FieldProblem("header", f"columns must be among {', '.join(allowed)}", 1)],
            )
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
    if problems.items:
        problems.raise_if_any(f"{source}: ")
    return plan


def _episode_cells(row: dict[str, str]) -> dict[str, object]:
    """Type the cells that look typed; anything else stays text for the validator to name."""
    out: dict[str, object] = {}
    for key, raw in row.items():
        cell = (raw or "").strip() if key != "note" else (raw or "")
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
        if key not in ("date", "note") and raw and raw.strip():
            values[key] = parse_factor_text(key, raw)
    return {
        "date": (row.get("date") or "").strip() or None,
        "note": row.get("note") or None,
        "values": values,
    }


class _Collector:
    """Gathers the problems of many records so one error reports them all (up to a cap)."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []
        self.records = 0

    def add(self, problems: list[FieldProblem]) -> None:
        self.items.extend(problems)

    def collect(self) -> _Catch:
        return _Catch(self)

    def raise_if_any(self, prefix: str = "") -> None:
        if not self.items:
            return
        shown = self.items[:MAX_REPORTED]
        more = len(self.items) - len(shown)
        tail = f" (first {MAX_REPORTED} of {len(self.items)} problems shown)" if more else ""
        raise InvalidInputError(
            f"{prefix}nothing imported: {self.records} record(s) are invalid{tail}", shown
        )


class _Catch:
    def __init__(self, collector: _Collector) -> None:
        self.collector = collector

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> bool:
        if isinstance(exc, InvalidInputError):
            self.collector.add(exc.problems)
            self.collector.records += 1
            return True
        return False


# ---------------------------------------------------------------- locating JSON records


class _Located(dict[str, Any]):
    pos: int = 0


def _parse_located(text: str) -> dict[str, Any]:
    """Parse again with the pure-Python scanner, tagging each object with its offset."""
    import json.decoder
    import json.scanner

    decoder = json.JSONDecoder()
    plain = json.decoder.JSONObject  # type: ignore[attr-defined]  # untyped in typeshed

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        obj, end = plain(s_and_end, *args)
        located = _Located(obj)
        located.pos = s_and_end[1] - 1
        return located, end

    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    result: dict[str, Any] = decoder.decode(text)
    return result


def _line_starts(text: str) -> list[int]:
    """Offsets where lines 2, 3, … begin; bisect gives the 1-based line of an offset."""
    starts, i = [], text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


# ---------------------------------------------------------------- import: writing


def write_plan(
    store: DiaryStore,
    plan: ImportPlan,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a validated plan in batches of ``batch_size``, one transaction each."""
    if batch_size < 1:
        raise InvalidInputError(
            "bad batch size", [FieldProblem("batch_size", "must be at least 1")]
        )
    report = on_progress or (lambda _n: None)
    for start in range(0, len(plan.days), batch_size):
        report(store.set_days(plan.days[start : start + batch_size]))
    for start in range(0, len(plan.episodes), batch_size):
        report(store.add_episodes(plan.episodes[start : start + batch_size]))
    for start in range(0, len(plan.assessments), batch_size):
        report(store.add_assessments(plan.assessments[start : start + batch_size]))
    return {
        "episodes": len(plan.episodes),
        "days": len(plan.days),
        "assessments": len(plan.assessments),
    }
