"""Read vignette files (JSON Lines): one case with its gold triage and causes per line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from crampwise.case import Case, parse_case
from crampwise.errors import FieldProblem, InvalidInputError, read_text_file
from crampwise.knowledge import TRIAGE_ORDER, KnowledgeBase


@dataclass(frozen=True, slots=True)
class Vignette:
    id: str
    case: Case
    gold_triage: str
    gold_causes: tuple[str, ...]
    line: int
    text: str | None = None
    """The person's own words, when the line has a ``text``."""


def _vignette(raw: object, line: int, kb: KnowledgeBase) -> Vignette:
    def bad(field: str, message: str) -> InvalidInputError:
        return InvalidInputError(
            "the vignette file is malformed", [FieldProblem(field, message, line)]
        )

    if not isinstance(raw, dict):
        raise bad("(line)", "each line must be a JSON object")
    vid = raw.get("id")
    if not isinstance(vid, str) or not vid:
        raise bad("id", "required: a non-empty string")
    expected = raw.get("expected")
    if not isinstance(expected, dict):
        raise bad("expected", "required: an object with 'triage' and 'causes'")
    triage = expected.get("triage")
    if triage not in TRIAGE_ORDER:
        raise bad("expected.triage", f"{triage!r} is not one of {', '.join(TRIAGE_ORDER)}")
    causes = expected.get("causes")
    if not isinstance(causes, list) or not causes:
        raise bad("expected.causes", "required: a non-empty list of cause ids")
    for cid in causes:
        if cid not in kb.cause_by_id:
            raise bad("expected.causes", f"{cid!r} is not a case-format cause id")
    if "case" not in raw:
        raise bad("case", "required: a case in the case format")
    try:
        case = parse_case(raw["case"], kb)
    except InvalidInputError as exc:
        problems = [FieldProblem(f"case.{p.field}", p.message, line) for p in exc.problems]
        raise InvalidInputError(f"the vignette {vid!r} has an invalid case", problems) from None
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise bad("text", "must be a string: the case in the person's own words")
    return Vignette(vid, case, triage, tuple(causes), line, text)


def load_vignettes(path: Path, kb: KnowledgeBase) -> list[Vignette]:
    text = read_text_file(path)
    out: list[Vignette] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(
                f"{path}: line {number} is not valid JSON ({exc.msg}, column {exc.colno})"
            ) from None
        vignette = _vignette(raw, number, kb)
        if vignette.id in seen:
            raise InvalidInputError(
                "the vignette file is malformed",
                [FieldProblem("id", f"duplicate id {vignette.id!r}", number)],
            )
        seen.add(vignette.id)
        out.append(vignette)
    if not out:
        raise InvalidInputError(f"{path}: contains no vignettes")
    return out
