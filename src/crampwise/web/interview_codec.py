"""The web's interview input — the state as plain JSON and the answer form — decoded.

The HTML interview keeps no server session: the answers so far travel in a signed hidden
form field and are POSTed with each step; the JSON API receives the same shape in its body.
Either way they are checked by the engine's one answer parser (``crampwise.engine.answers``),
as are the answers typed into the form, so a tampered or stale state is an error, never a crash.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from crampwise.case.model import (
    AGE_MAX,
    AGE_MIN,
    SEXES,
    FindingValue,
    allowed_for,
    check_finding_value,
)
from crampwise.engine.answers import (
    MAX_ANSWERS,
    checklist_reply,
    not_applicable,
    parse_answers,
    parse_reply,
)
from crampwise.engine.interview import Answer, InterviewState, dont_know
from crampwise.errors import FieldProblem, InvalidInputError, field_path
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question
from crampwise.text.description import MAX_TEXT_CHARS, check_description

__all__ = [
    "MAX_ANSWERS",
    "MAX_DESCRIPTION_CHARS",
    "TextOrigin",
    "answer_from_form",
    "check_age_sex",
    "check_description",
    "corrected_findings",
    "described_by",
    "finding_words",
    "origin_from_raw",
    "state_from_raw",
    "state_to_raw",
    "value_words",
]

AGE_RANGE = f"a number of years from {AGE_MIN} to {AGE_MAX}"


MAX_DESCRIPTION_CHARS = MAX_TEXT_CHARS  # the one limit, from crampwise.text.description
TEXT_FIELD = "text"


@dataclass(frozen=True, slots=True)
class TextOrigin:
    """Where the findings known before the interview came from, when a description was given.

    ``read`` is what the reader took from ``words`` (before the person corrected it) and
    ``diary`` what the diary showed; the interview's ``known`` is both, as corrected.
    """

    words: str
    read: Mapping[str, FindingValue] = field(default_factory=dict)
    diary: Mapping[str, FindingValue] = field(default_factory=dict)

    def to_raw(self) -> dict[str, Any]:
        return {"words": self.words, "read": dict(self.read), "diary": dict(self.diary)}

    def diary_findings(self, known: Mapping[str, FindingValue]) -> dict[str, FindingValue]:
        """The diary's findings still in ``known`` (so the result credits the diary only
        with what it really answered)."""
        return {fid: v for fid, v in self.diary.items() if known.get(fid) == v}

    def said(self, known: Mapping[str, FindingValue]) -> dict[str, FindingValue]:
        """The findings in ``known`` that the description gave (as the person corrected them)."""
        return {fid: known[fid] for fid in self.read if fid in known}


def finding_words(kb: KnowledgeBase, fid: str) -> str:
    """A finding in the knowledge base's own words ("Cramps in the calf")."""
    meaning = kb.findings[fid].meaning
    return meaning[:1].upper() + meaning[1:]


def value_words(kb: KnowledgeBase, fid: str, value: FindingValue) -> str:
    """A finding's value in words: Yes / No, a choice's label, a number with its unit."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        labels = next(
            (q.option_labels for q in kb.questions if q.finding == fid and q.option_labels), {}
        )
        return labels.get(value, value.replace("_", " "))
    unit = kb.findings[fid].unit
    number = f"{value:g}"
    return f"{number} {unit}" if unit else number


def state_to_raw(state: InterviewState) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "age": state.age,
        "sex": state.sex,
        "answers": [
            {"question_id": a.question_id, "values": dict(a.values)} for a in state.answers
        ],
    }
    if state.known:  # findings from the diary or a description (the web form's state only)
        raw["known"] = dict(state.known)
    return raw


def check_age_sex(age: object, sex: object) -> list[FieldProblem]:
    problems = []
    if isinstance(age, bool) or not isinstance(age, int | float) or not AGE_MIN <= age <= AGE_MAX:
        problems.append(FieldProblem("age", f"must be {AGE_RANGE}"))
    if sex is not None and sex not in SEXES:
        problems.append(FieldProblem("sex", f"must be one of {', '.join(SEXES)}, or left out"))
    return problems


def state_from_raw(
    raw: object, kb: KnowledgeBase, *, with_known: bool = False, prefill: bool = False
) -> InterviewState:
    """A validated InterviewState; InvalidInputError lists every offending field.

    ``with_known`` accepts the web form's signed state: ``known``, the findings known before
    the interview (from the diary or a description), and ``text``, the description (read it
    with ``origin_from_raw``; ``described_by`` marks the state as after it). ``prefill``
    accepts the JSON API's ``known``, pre-filled findings (for example the case
    ``POST /api/v1/understand`` read), and ``described``: true when ``known`` is what the
    person's own description settled, for the interview after a description.
    """
    if not isinstance(raw, dict):
        raise InvalidInputError("the interview state must be an object with age and answers")
    keys: tuple[str, ...] = ("age", "sex", "answers")
    if with_known or prefill:
        keys = (*keys, "known", "text") if with_known else (*keys, "known", "described")
    problems = [
        FieldProblem(str(key), f"unknown key; allowed: {', '.join(keys)}")
        for key in raw
        if key not in keys
    ]
    known = _known(raw.get("known", {}), kb, problems) if "known" in keys else {}
    described = raw.get("described", False) if "described" in keys else False
    if not isinstance(described, bool):
        problems.append(
            FieldProblem("described", "must be true (known came from a description) or false")
        )
    if "age" not in raw:
        problems.append(
            FieldProblem("age", f"is required: years, a number from {AGE_MIN} to {AGE_MAX}")
        )
    else:
        problems.extend(check_age_sex(raw["age"], raw.get("sex")))
    answers: tuple[Answer, ...] = ()
    try:
        answers = parse_answers(raw.get("answers", []), kb)
    except InvalidInputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InvalidInputError("the interview answers are not valid", problems)
    return InterviewState(
        age=float(raw["age"]),
        sex=raw.get("sex"),
        answers=answers,
        known=known,
        described=frozenset(known) if described is True else frozenset(),
    )


def described_by(state: InterviewState, origin: TextOrigin | None) -> InterviewState:
    """The state as the interview after ``origin``'s description: the findings it settled
    (as the person corrected them) are ``described``. Unchanged without a description."""
    if origin is None:
        return state
    return replace(state, described=frozenset(origin.said(state.known)))


def origin_from_raw(raw: object, kb: KnowledgeBase) -> TextOrigin | None:
    """The description a signed web state carries (``text``), or None when there is none."""
    if not isinstance(raw, dict) or raw.get("text") is None:
        return None
    origin = raw["text"]
    problems: list[FieldProblem] = []
    if not isinstance(origin, dict) or set(origin) != {"words", "read", "diary"}:
        raise InvalidInputError(
            "the interview answers are not valid",
            [FieldProblem("text", "must be an object with words, read and diary")],
        )
    words = check_description(origin["words"], "text.words")
    read = _known(origin["read"], kb, problems, "text.read")
    diary = _known(origin["diary"], kb, problems, "text.diary")
    if problems:
        raise InvalidInputError("the interview answers are not valid", problems)
    return TextOrigin(words, read, diary)


def _known(
    raw: object, kb: KnowledgeBase, problems: list[FieldProblem], name: str = "known"
) -> dict[str, FindingValue]:
    if not isinstance(raw, dict):
        problems.append(FieldProblem(name, "must be an object of finding id to value"))
        return {}
    known: dict[str, FindingValue] = {}
    for fid, value in raw.items():
        finding = kb.findings.get(fid)
        where = field_path((*name.split("."), str(fid)))
        checked = None if finding is None else check_finding_value(finding, value)
        if finding is None:
            problems.append(FieldProblem(where, "unknown finding id"))
        elif checked is None:
            problems.append(FieldProblem(where, f"is not allowed: {allowed_for(finding)}"))
        else:
            known[fid] = checked
    return known


def answer_from_form(
    question: Question,
    kb: KnowledgeBase,
    action: str,
    value: str,
    items: Sequence[str],
    index: int,
    unsure: Sequence[str] = (),
) -> Answer:
    """The answer a step's form gives: the button pressed, the value typed or the boxes ticked.

    ``index`` is the answer's place in the interview, so a problem reads ``answers[3]…``.
    """
    where = ("answers", index)
    if action == "dont_know":
        return dont_know(question)
    if action == "not_applicable":
        return not_applicable(question, where)
    if question.kind == "checklist":
        return checklist_reply(question, items, where, unsure)
    return parse_reply(question, kb, value, where)


UNSURE = "unsure"
"""The correction that makes a finding unknown again: it will be asked."""
_YES_NO = {"yes": True, "no": False}


def corrected_findings(
    kb: KnowledgeBase,
    read: Mapping[str, FindingValue],
    values: Mapping[str, str],
    removed: Sequence[str] = (),
) -> dict[str, FindingValue]:
    """What was read from a description, as the person corrected it.

    ``values`` are the corrections by finding id (``yes``/``no`` for a yes-or-no finding, a
    choice, a number as typed; ``unsure`` or an empty field makes it unknown); a finding with
    no correction keeps what was read. A removed finding becomes unknown, never "no": the
    interview asks it again. InvalidInputError names each correction that is not allowed.
    """
    out: dict[str, FindingValue] = {}
    problems: list[FieldProblem] = []
    for fid, original in read.items():
        if fid in removed:
            continue
        raw = values.get(fid)
        if raw is None:
            out[fid] = original
            continue
        raw = raw.strip()
        if raw in ("", UNSURE):
            continue
        finding = kb.findings[fid]
        value: object = raw
        if finding.type == "bool":
            value = _YES_NO.get(raw.lower(), raw)
        elif finding.type in ("number", "integer"):
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                number = math.nan
            value = int(number) if number.is_integer() else number
        checked = check_finding_value(finding, value)
        if checked is None:
            allowed = "yes or no" if finding.type == "bool" else allowed_for(finding)
            problems.append(FieldProblem(fid, f"must be {allowed}, or not sure"))
        else:
            out[fid] = checked
    if problems:
        raise InvalidInputError("some corrections are not valid", problems)
    return out
