"""Read a ``crampwise-diary/1`` JSON document into a checked import plan.

The document is parsed with the standard ``json`` module. Only when a record is wrong does
the reader pay for a second pass that finds where each record starts, so the error names
its line: :func:`record_offsets` walks the top-level object with the public
``JSONDecoder.raw_decode``, one value at a time.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from crampwise.diary.records import SavedAssessment
from crampwise.diary.transfer.plan import (
    DOCUMENT_KEYS,
    FORMAT,
    SECTIONS,
    Collector,
    ImportPlan,
    Locator,
)
from crampwise.diary.validate import day_from_dict, episode_from_dict
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.json_depth import load_json_file_text

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def parse_json_document(text: str, source: str = "file") -> ImportPlan:
    doc = load_json_file_text(text, source, "a crampwise diary export")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise InvalidInputError(
            f"{source}: not a crampwise diary export",
            [FieldProblem("format", f"must be {FORMAT!r}, got {found!r}", 1)],
        )
    locate = _lazy_locator(text)
    try:
        return _plan_from_document(doc, lambda _section, _i: None, source, locate)
    except InvalidInputError:
        pass
    # Only now pay for finding where each record starts.
    try:
        return _plan_from_document(doc, lambda s, i: locate(s, i)[1], source, locate)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{source}: {exc.message}", exc.problems) from None


def record_offsets(text: str) -> dict[str, list[int]]:
    """Where each record of each section starts (character offsets), for a valid document."""
    out: dict[str, list[int]] = {}
    i = _skip(text, 0) + 1  # past "{"
    while True:
        i = _skip(text, i)
        if text[i] == "}":
            return out
        key, i = _DECODER.raw_decode(text, i)
        i = _skip(text, _skip(text, i) + 1)  # past ":"
        if key in SECTIONS and text[i] == "[":
            out[key] = starts = []
            i = _skip(text, i + 1)
            while text[i] != "]":
                starts.append(i)
                _value, i = _DECODER.raw_decode(text, i)
                i = _skip(text, i)
                if text[i] == ",":
                    i = _skip(text, i + 1)
            i += 1
        else:
            _value, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == ",":
            i += 1


def _skip(text: str, i: int) -> int:
    match = _SPACE.match(text, i)
    return match.end() if match else i


def _lazy_locator(text: str) -> Locator:
    """Field prefix and line of a record; the offsets are found on first use only."""
    found: list[tuple[dict[str, list[int]], list[int]]] = []

    def locate(section: str, index: int) -> tuple[str, int | None]:
        if not found:
            found.append((record_offsets(text), _line_starts(text)))
        offsets, lines = found[0]
        starts = offsets.get(section, [])
        line = bisect_right(lines, starts[index]) + 1 if index < len(starts) else None
        return f"{section}[{index}].", line

    return locate


def _line_starts(text: str) -> list[int]:
    """Offsets where lines 2, 3, … begin; bisect gives the 1-based line of an offset."""
    starts, i = [], text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _plan_from_document(
    doc: dict[str, Any],
    line_of: Callable[[str, int], int | None],
    source: str,
    locate: Locator,
) -> ImportPlan:
    plan, problems = ImportPlan(source=source, locate=locate), Collector()
    for key in doc:
        if key not in DOCUMENT_KEYS:
            problems.add([FieldProblem(key, f"unknown key; allowed: {', '.join(DOCUMENT_KEYS)}")])
    sections: dict[str, list[Any]] = {}
    for section in SECTIONS:
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
    if sections["experiments"]:
        from crampwise.experiments.transfer import experiment_from_dict

        for i, raw in enumerate(sections["experiments"]):
            with problems.collect():
                plan.experiments.append(experiment_from_dict(raw, line_of("experiments", i), i))
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
