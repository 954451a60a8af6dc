"""The one parser of interview answers, used by the terminal, the web form and the JSON API.

- ``parse_reply``: a reply as a person types it — ``?`` for don't know; ``y``/``yes``/``n``/``no``;
  a choice by its number or its id; a number (a decimal comma is fine); a checklist as item
  numbers (``1 3``, ``?2`` for unsure, ``0`` for none); ``n``, ``none`` or ``-`` for "does not
  apply" where the question offers it.
- ``checklist_reply``: a checklist as the finding ids ticked and those marked not sure (the web
  form's boxes).
- ``not_applicable``: the "does not apply" answer, only where the question's data offers it.
- ``parse_answers``: the JSON form, ``[{question_id, values: {finding id: value or null}}]``.

Each returns typed ``Answer`` values or raises ``InvalidInputError`` whose problems name the
field, e.g. ``answers[0].values.site_calf``. Going back is navigation, not an answer: the front
ends handle it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from crampwise.case.model import FindingValue, allowed_for, check_finding_value
from crampwise.engine.interview import Answer, checklist_answer, dont_know, value_answer
from crampwise.engine.screening import question_by_id
from crampwise.errors import FieldProblem, InvalidInputError, field_path
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question

MAX_ANSWERS = 200  # far more than there are questions; bounds the work per request
DONT_KNOW = "?"
NOT_APPLICABLE = ("n", "none", "-")
YES, NO = ("y", "yes"), ("n", "no")

Where = Sequence[str | int]


def _bad(where: Where, message: str) -> InvalidInputError:
    return InvalidInputError("the answer is not valid", [FieldProblem(field_path(where), message)])


def _values_at(question: Question, where: Where) -> Where:
    """Where a problem with this question's answer is: its one finding, or all its values."""
    if question.finding is not None:
        return (*where, "values", question.finding)
    return (*where, "values")


def not_applicable(question: Question, where: Where = ("answer",)) -> Answer:
    """'Does not apply' (e.g. no cramp right now): the finding stays unknown."""
    if not question.not_applicable:
        raise _bad(
            _values_at(question, where), "answer the question itself: it offers no 'does not apply'"
        )
    return value_answer(question, None)


def checklist_reply(
    question: Question,
    ticked: Iterable[str],
    where: Where = ("answer",),
    unsure: Iterable[str] = (),
) -> Answer:
    """A checklist answered by the finding ids ticked (yes) and marked not sure (unknown).

    Every other item is no. An item both ticked and marked not sure is refused rather than
    guessed at: either reading could change the advice.
    """
    allowed = question.finding_ids()
    chosen, doubtful = list(ticked), list(unsure)
    for fid in chosen + doubtful:
        if fid not in allowed:
            raise _bad(
                (*where, "values", fid), f"tick only this question's items ('{fid}' is not one)"
            )
    for fid in chosen:
        if fid in doubtful:
            raise _bad(
                (*where, "values", fid),
                "either tick an item or mark it not sure, not both",
            )
    return checklist_answer(question, chosen, doubtful)


def _checklist_text(question: Question, text: str, where: Where) -> Answer:
    ids = question.finding_ids()
    if text == "":
        raise _bad((*where, "values"), "type 0 for none of these, or the numbers that apply")
    if text == "0":
        return checklist_answer(question, ())
    ticked: list[str] = []
    unsure: list[str] = []
    tokens = re.split(r"[\s,]+", text)
    if "0" in tokens:  # "0 1": none of these, and yet item 1
        raise _bad(
            (*where, "values"),
            f"0 means none of these, so type it alone, or only the numbers 1 to {len(ids)} "
            "that apply",
        )
    for token in tokens:
        match = re.fullmatch(r"(\?)?(\d+)", token)
        if not match or not 1 <= int(match.group(2)) <= len(ids):
            raise _bad((*where, "values"), f"'{token}' is not one of the numbers 1 to {len(ids)}")
        (unsure if match.group(1) else ticked).append(ids[int(match.group(2)) - 1])
    return checklist_answer(question, ticked, unsure)


def _number(text: str) -> float | int | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def parse_reply(
    question: Question, kb: KnowledgeBase, text: str, where: Where = ("answer",)
) -> Answer:
    """One typed reply to a question, as a typed Answer; InvalidInputError says what to type."""
    text = text.strip()
    low = text.lower()
    if text == DONT_KNOW:
        return dont_know(question)
    if question.kind == "checklist":
        return _checklist_text(question, text, where)
    assert question.finding is not None
    finding = kb.findings[question.finding]
    at = _values_at(question, where)
    if question.kind == "yes_no":
        if low in YES or low in NO:
            return value_answer(question, low in YES)
        raise _bad(at, "type y for yes or n for no")
    if question.kind == "choice":
        choices = finding.choices
        if text.isdigit() and 1 <= int(text) <= len(choices):
            return value_answer(question, choices[int(text) - 1])
        if text in choices:
            return value_answer(question, text)
        raise _bad(at, f"type a number from 1 to {len(choices)}")
    if question.not_applicable and low in NOT_APPLICABLE:
        return not_applicable(question, where)
    number = _number(text)
    checked = None if number is None else check_finding_value(finding, number)
    if checked is None:
        raise _bad(at, f"type {allowed_for(finding)}")
    return value_answer(question, checked)


def _one_answer(
    item: object, kb: KnowledgeBase, where: Where, problems: list[FieldProblem]
) -> Answer | None:
    if not isinstance(item, dict) or set(item) != {"question_id", "values"}:
        problems.append(
            FieldProblem(field_path(where), "must be an object with question_id and values")
        )
        return None
    qid = item["question_id"]
    question = question_by_id(kb, qid) if isinstance(qid, str) else None
    if question is None:
        problems.append(FieldProblem(field_path((*where, "question_id")), "unknown question id"))
        return None
    values_raw = item["values"]
    if not isinstance(values_raw, dict):
        problems.append(
            FieldProblem(field_path((*where, "values")), "must map finding ids to values")
        )
        return None
    allowed = question.finding_ids()
    values: dict[str, FindingValue | None] = {}
    for fid, value in values_raw.items():
        at = field_path((*where, "values", str(fid)))
        if fid not in allowed:
            problems.append(FieldProblem(at, f"this question asks only about {', '.join(allowed)}"))
            continue
        checked = None if value is None else check_finding_value(kb.findings[fid], value)
        if value is not None and checked is None:
            message = f"must be {allowed_for(kb.findings[fid])}, or null for don't know"
            problems.append(FieldProblem(at, message))
            continue
        values[fid] = checked
    return Answer(question.id, values)


def parse_answers(
    raw: object, kb: KnowledgeBase, where: Where = ("answers",)
) -> tuple[Answer, ...]:
    """Answers from their JSON form; InvalidInputError lists every offending field."""
    if not isinstance(raw, list):
        raise _bad(where, "must be a list of {question_id, values}")
    if len(raw) > MAX_ANSWERS:
        raise _bad(where, f"at most {MAX_ANSWERS} answers")
    problems: list[FieldProblem] = []
    answers = [_one_answer(item, kb, (*where, i), problems) for i, item in enumerate(raw)]
    if problems:
        raise InvalidInputError("the interview answers are not valid", problems)
    return tuple(a for a in answers if a is not None)


def describe_answer(question: Question, answer: Answer) -> str:
    """An answer in words, to show it again when the person goes back to its question."""
    values = answer.values
    if all(value is None for value in values.values()):
        # "Does not apply" leaves the finding unknown too: the answer cannot tell them apart.
        return "Don't know or does not apply" if question.not_applicable else "Don't know"
    if question.kind == "checklist":
        ticked = [item.label for item in question.items if values.get(item.finding) is True]
        unsure = [item.label for item in question.items if values.get(item.finding) is None]
        said = "; ".join(ticked) if ticked else "none of these"
        return f"{said} (not sure: {'; '.join(unsure)})" if unsure else said
    value = values.get(question.finding or "")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return question.option_labels.get(value, value.replace("_", " "))
    return f"{value:g}" if isinstance(value, float) else str(value)
