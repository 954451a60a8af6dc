"""The web's interview input — the state as plain JSON and the answer form — decoded.

The HTML interview keeps no server session: the answers so far travel in a signed hidden
form field and are POSTed with each step; the JSON API receives the same shape in its body.
Either way they are checked by the engine's one answer parser (``crampwise.engine.answers``),
as are the answers typed into the form, so a tampered or stale state is an error, never a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
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

__all__ = ["MAX_ANSWERS", "answer_from_form", "check_age_sex", "state_from_raw", "state_to_raw"]

AGE_RANGE = f"a number of years from {AGE_MIN} to {AGE_MAX}"


def state_to_raw(state: InterviewState) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "age": state.age,
        "sex": state.sex,
        "answers": [
            {"question_id": a.question_id, "values": dict(a.values)} for a in state.answers
        ],
    }
    if state.known:  # findings from the diary (the web form's signed state only)
        raw["known"] = dict(state.known)
    return raw


def check_age_sex(age: object, sex: object) -> list[FieldProblem]:
    problems = []
    if isinstance(age, bool) or not isinstance(age, int | float) or not AGE_MIN <= age <= AGE_MAX:
        problems.append(FieldProblem("age", f"must be {AGE_RANGE}"))
    if sex is not None and sex not in SEXES:
        problems.append(FieldProblem("sex", f"must be one of {', '.join(SEXES)}, or left out"))
    return problems


def state_from_raw(raw: object, kb: KnowledgeBase, *, with_known: bool = False) -> InterviewState:
    """A validated InterviewState; InvalidInputError lists every offending field.

    ``with_known`` also accepts ``known``, findings known before the interview (the web
    form's diary findings); the JSON API's body does not take it.
    """
    if not isinstance(raw, dict):
        raise InvalidInputError("the interview state must be an object with age and answers")
    keys = ("age", "sex", "answers", "known") if with_known else ("age", "sex", "answers")
    problems = [
        FieldProblem(str(key), f"unknown key; allowed: {', '.join(keys)}")
        for key in raw
        if key not in keys
    ]
    known = _known(raw.get("known", {}), kb, problems) if with_known else {}
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
    return InterviewState(age=float(raw["age"]), sex=raw.get("sex"), answers=answers, known=known)


def _known(raw: object, kb: KnowledgeBase, problems: list[FieldProblem]) -> dict[str, FindingValue]:
    if not isinstance(raw, dict):
        problems.append(FieldProblem("known", "must be an object of finding id to value"))
        return {}
    known: dict[str, FindingValue] = {}
    for fid, value in raw.items():
        finding = kb.findings.get(fid)
        where = field_path(("known", str(fid)))
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
