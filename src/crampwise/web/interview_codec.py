"""The interview state as plain JSON, and back, validated against the knowledge base.

The HTML interview keeps no server session: the answers so far travel in a signed hidden
form field and are POSTed with each step; the JSON API receives the same shape in its body.
Either way they are checked here, so a tampered or stale state is an error, never a crash.
"""

from __future__ import annotations

from typing import Any

from crampwise.case.model import SEXES, FindingValue
from crampwise.case.parse import allowed_for, check_finding_value
from crampwise.engine.interview import Answer, InterviewState
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.knowledge import KnowledgeBase

MAX_ANSWERS = 200  # far more than there are questions; bounds the work per request


def state_to_raw(state: InterviewState) -> dict[str, Any]:
    return {
        "age": state.age,
        "sex": state.sex,
        "answers": [
            {"question_id": a.question_id, "values": dict(a.values)} for a in state.answers
        ],
    }


def check_age_sex(age: object, sex: object) -> list[FieldProblem]:
    problems = []
    if isinstance(age, bool) or not isinstance(age, int | float) or not 0 <= age <= 120:
        problems.append(FieldProblem("age", "must be a number of years from 0 to 120"))
    if sex is not None and sex not in SEXES:
        problems.append(FieldProblem("sex", f"must be one of {', '.join(SEXES)}, or left out"))
    return problems


def answers_from_raw(
    raw: object, kb: KnowledgeBase
) -> tuple[tuple[Answer, ...], list[FieldProblem]]:
    """Answers from a list of {question_id, values}; problems name each bad field."""
    if not isinstance(raw, list):
        return (), [FieldProblem("answers", "must be a list of {question_id, values}")]
    if len(raw) > MAX_ANSWERS:
        return (), [FieldProblem("answers", f"at most {MAX_ANSWERS} answers")]
    answers: list[Answer] = []
    problems: list[FieldProblem] = []
    for i, item in enumerate(raw):
        where = f"answers.{i}"
        if not isinstance(item, dict) or set(item) != {"question_id", "values"}:
            problems.append(FieldProblem(where, "must be an object with question_id and values"))
            continue
        qid = item["question_id"]
        question = kb.question_by_id.get(qid) if isinstance(qid, str) else None
        if question is None:
            problems.append(FieldProblem(f"{where}.question_id", "unknown question id"))
            continue
        values_raw = item["values"]
        if not isinstance(values_raw, dict):
            problems.append(FieldProblem(f"{where}.values", "must map finding ids to values"))
            continue
        allowed = question.finding_ids()
        values: dict[str, FindingValue | None] = {}
        for fid, value in values_raw.items():
            if fid not in allowed:
                problems.append(
                    FieldProblem(
                        f"{where}.values.{fid}",
                        f"this question asks only about {', '.join(allowed)}",
                    )
                )
                continue
            if value is None:
                values[fid] = None
                continue
            checked = check_finding_value(kb.findings[fid], value)
            if checked is None:
                problems.append(
                    FieldProblem(
                        f"{where}.values.{fid}",
                        f"must be {allowed_for(kb.findings[fid])}, or null for don't know",
                    )
                )
            else:
                values[fid] = checked
        answers.append(Answer(question.id, values))
    return tuple(answers), problems


def state_from_raw(raw: object, kb: KnowledgeBase) -> InterviewState:
    """A validated InterviewState; InvalidInputError lists every offending field."""
    if not isinstance(raw, dict):
        raise InvalidInputError("the interview state must be an object with age and answers")
    problems = [
        FieldProblem(str(key), "unknown key; allowed: age, sex, answers")
        for key in raw
        if key not in ("age", "sex", "answers")
    ]
    if "age" not in raw:
        problems.append(FieldProblem("age", "is required: years, a number from 0 to 120"))
    else:
        problems.extend(check_age_sex(raw["age"], raw.get("sex")))
    answers, answer_problems = answers_from_raw(raw.get("answers", []), kb)
    problems.extend(answer_problems)
    if problems:
        raise InvalidInputError("the interview answers are not valid", problems)
    return InterviewState(age=float(raw["age"]), sex=raw.get("sex"), answers=answers)
