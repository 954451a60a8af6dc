"""The interview and its result, as plain HTML forms — the same engine as the terminal.

No server session: each step POSTs the answers so far in a signed hidden field (never in the
URL), the view adds the new answer, asks the engine for the next question and renders it, or
the result when the engine says stop.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.case.model import SEXES
from crampwise.case.parse import allowed_for, check_finding_value
from crampwise.engine.assess import assess
from crampwise.engine.interview import (
    Answer,
    InterviewState,
    checklist_answer,
    dont_know,
    next_question,
    remaining_estimate,
    value_answer,
)
from crampwise.errors import InvalidInputError
from crampwise.knowledge.schema import Question
from crampwise.web.app import AppState, app_state
from crampwise.web.interview_codec import check_age_sex, state_from_raw, state_to_raw
from crampwise.web.templating import render
from crampwise.web.views.common import text, texts, verified_form

router = APIRouter(include_in_schema=False)

SEX_LABELS = {"female": "Female", "male": "Male", "other": "Other"}
STATE_FIELD = "state"


class _BadAnswer(Exception):
    """The answer typed cannot be used: the message says what to type instead."""


def _start_page(
    request: Request, age: str = "", sex: str = "", errors: dict[str, str] | None = None
) -> Response:
    context = {"age": age, "sex": sex, "sexes": SEX_LABELS, "errors": errors or {}}
    return render(request, "check_start.html", context, 422 if errors else 200)


@router.get("/check")
async def check_start(request: Request) -> Response:
    return _start_page(request)


@router.post("/check")
async def check_begin(request: Request) -> Response:
    form = await verified_form(request)
    age_text, sex = text(form, "age"), text(form, "sex")
    try:
        age: float = float(age_text)
    except ValueError:
        age = math.nan
    problems = check_age_sex(age, sex or None)
    if problems:
        errors = {p.field: p.message for p in problems}
        return _start_page(request, age_text, sex, errors)
    state = InterviewState(age=age, sex=sex if sex in SEXES else None)
    return _step_page(request, app_state(request), state)


@router.post("/check/step")
async def check_step(request: Request) -> Response:
    form = await verified_form(request)
    st = app_state(request)
    state = _load_state(st, form)
    action = text(form, "action", "answer")
    if action == "back":
        if not state.answers:
            sex = state.sex or ""
            return _start_page(request, f"{state.age:g}", sex)
        return _step_page(request, st, state.back())
    question = next_question(state, st.kb)
    if question is None or question.id != text(form, "question_id"):
        # A form from an older page (for example after a double click): show what is next now.
        return _step_page(request, st, state, notice="Your answers so far are kept.")
    try:
        answer = _answer(st, question, form, action)
    except _BadAnswer as exc:
        return _step_page(request, st, state, error=str(exc), typed=text(form, "value"))
    return _step_page(request, st, state.answer(answer))


@router.post("/check/save")
async def check_save(request: Request) -> Response:
    form = await verified_form(request)
    st = app_state(request)
    state = _load_state(st, form)
    if next_question(state, st.kb) is not None:
        raise InvalidInputError("this interview is not finished yet; answer the questions first")
    # The result is worked out again here: only the answers are taken from the form.
    case = state.case()
    result = assess(case, st.kb)
    store = st.store()
    await run_in_threadpool(
        store.save_assessment, case.to_dict(), result.to_dict(), result.knowledge_version
    )
    return RedirectResponse("/diary/history#assessments", status_code=303)


def _load_state(st: AppState, form: FormData) -> InterviewState:
    raw = st.signer.loads(text(form, STATE_FIELD))
    if raw is None:
        raise InvalidInputError(
            "Your answers could not be read: the page may be from before crampwise was "
            "restarted. Please start the check again."
        )
    return state_from_raw(raw, st.kb)


def _answer(st: AppState, question: Question, form: FormData, action: str) -> Answer:
    if action == "dont_know":
        return dont_know(question)
    if action == "not_applicable" and question.kind == "number":
        return value_answer(question, None)  # as in the terminal: it stays unknown
    if question.kind == "checklist":
        return checklist_answer(question, set(texts(form, "item")) & set(question.finding_ids()))
    assert question.finding is not None
    finding = st.kb.findings[question.finding]
    value = text(form, "value")
    if question.kind == "yes_no":
        if value not in ("yes", "no"):
            raise _BadAnswer("Choose Yes or No, or Don't know.")
        return value_answer(question, value == "yes")
    if question.kind == "choice":
        if value not in finding.choices:
            raise _BadAnswer("Choose one of the answers, or Don't know.")
        return value_answer(question, value)
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = math.nan
    checked = (
        check_finding_value(finding, int(number) if number.is_integer() else number)
        if math.isfinite(number)
        else None
    )
    if checked is None:
        raise _BadAnswer(f"Please type {allowed_for(finding)}, or choose Don't know.")
    return value_answer(question, checked)


def _step_page(
    request: Request,
    st: AppState,
    state: InterviewState,
    error: str | None = None,
    notice: str | None = None,
    typed: str = "",
) -> Response:
    token = st.signer.dumps(state_to_raw(state))
    question = next_question(state, st.kb)
    if question is None:
        assessment = assess(state.case(), st.kb)
        context: dict[str, Any] = {
            "a": assessment,
            "state_token": token,
            "emergency": assessment.level == "emergency",
            "kb_sources": st.kb.sources,
        }
        return render(request, "result.html", context)
    number = len(state.answers) + 1
    remaining = remaining_estimate(state, st.kb)
    context = {
        "q": question,
        "finding": st.kb.findings.get(question.finding or ""),
        "number": number,
        "remaining": remaining,
        "state_token": token,
        "error": error,
        "notice": notice,
        "typed": typed,
        # The question's own words offer "does not apply" (e.g. no cramp right now).
        "offers_not_applicable": "does not apply" in question.text.lower(),
    }
    return render(request, "check_step.html", context, 422 if error else 200)
