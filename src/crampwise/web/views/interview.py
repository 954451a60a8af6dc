"""The interview and its result, as plain HTML forms — the same engine as the terminal.

No server session: each step POSTs the answers so far in a signed hidden field (never in the
URL), the view adds the new answer, asks the engine for the next question and renders it, or
the result when the engine says stop.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.analysis.prefill import DiaryPrefill, diary_sentence, keep_diary, read_prefill
from crampwise.case.model import AGE_MAX, AGE_MIN, SEXES
from crampwise.engine.answers import describe_answer
from crampwise.engine.assess import assess
from crampwise.engine.interview import (
    Answer,
    InterviewState,
    next_question,
    remaining_estimate,
)
from crampwise.engine.view import result_view
from crampwise.errors import InvalidInputError
from crampwise.web.app import AppState, app_state
from crampwise.web.interview_codec import (
    answer_from_form,
    check_age_sex,
    state_from_raw,
    state_to_raw,
)
from crampwise.web.templating import render
from crampwise.web.views.common import text, texts, verified_form

router = APIRouter(include_in_schema=False)

SEX_LABELS = {"female": "Female", "male": "Male", "other": "Other"}
STATE_FIELD = "state"
DIARY_FIELD = "use_diary"


async def _diary(request: Request) -> DiaryPrefill | None:
    """What the diary already answers (None when it has too little to go on)."""
    return await run_in_threadpool(read_prefill, app_state(request).store(), date.today())


async def _start_page(
    request: Request,
    age: str = "",
    sex: str = "",
    errors: dict[str, str] | None = None,
    use_diary: bool = True,
) -> Response:
    diary = await _diary(request)
    context = {
        "age": age,
        "sex": sex,
        "sexes": SEX_LABELS,
        "errors": errors or {},
        "age_min": AGE_MIN,
        "age_max": AGE_MAX,
        "diary": diary.sentence if diary else None,
        "diary_field": DIARY_FIELD,
        "use_diary": use_diary,
    }
    return render(request, "check_start.html", context, 422 if errors else 200)


@router.get("/check")
async def check_start(request: Request) -> Response:
    return await _start_page(request)


@router.post("/check")
async def check_begin(request: Request) -> Response:
    form = await verified_form(request)
    age_text, sex = text(form, "age"), text(form, "sex")
    use_diary = bool(text(form, DIARY_FIELD))  # an unticked box sends nothing
    try:
        age: float = float(age_text)
    except ValueError:
        age = math.nan
    problems = check_age_sex(age, sex or None)
    if problems:
        errors = {p.field: p.message for p in problems}
        return await _start_page(request, age_text, sex, errors, use_diary)
    diary = await _diary(request) if use_diary else None
    known = diary.findings if diary else {}
    state = InterviewState(age=age, sex=sex if sex in SEXES else None, known=known)
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
            return await _start_page(request, f"{state.age:g}", sex, use_diary=bool(state.known))
        return _step_page(request, st, state.back(), previous=state.answers[-1])
    question = next_question(state, st.kb)
    if question is None or question.id != text(form, "question_id"):
        # A form from an older page (for example after a double click): show what is next now.
        return _step_page(request, st, state, notice="Your answers so far are kept.")
    try:
        answer = answer_from_form(
            question,
            st.kb,
            action,
            text(form, "value"),
            texts(form, "item"),
            len(state.answers),
            unsure=texts(form, "unsure"),
        )
    except InvalidInputError as exc:
        # The engine's parser says what is allowed; the page adds how to say "don't know".
        error = f"Please {exc.problems[0].message}, or choose Don't know."
        return _step_page(request, st, state, error=error, typed=text(form, "value"))
    answer = keep_diary(question, answer, state.known, pre_ticked=True)
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
    return state_from_raw(raw, st.kb, with_known=True)


def _step_page(
    request: Request,
    st: AppState,
    state: InterviewState,
    error: str | None = None,
    notice: str | None = None,
    typed: str = "",
    previous: Answer | None = None,
) -> Response:
    token = st.signer.dumps(state_to_raw(state))
    question = next_question(state, st.kb)
    if question is None:
        view = result_view(assess(state.case(), st.kb), st.kb)
        context: dict[str, Any] = {
            "v": view,
            "state_token": token,
            # The page's top banner (base.html) repeats the emergency headline.
            "emergency": view.level.headline if view.is_emergency else None,
            # What the diary answered, so the result does not read as if the person said it.
            "diary_note": diary_sentence(state.known),
        }
        return render(request, "result.html", context)
    number = len(state.answers) + 1
    remaining = remaining_estimate(state, st.kb)
    # Going back shows the answer being changed, and starts the form from it.
    shown = previous if previous is not None and previous.question_id == question.id else None
    ticked = [fid for fid, value in state.known.items() if value is True]
    if shown is not None:
        ticked = [fid for fid, value in shown.values.items() if value is True]
        value = shown.values.get(question.finding or "")
        if question.kind == "number" and value is not None and not typed:
            typed = describe_answer(question, shown)
    context = {
        "q": question,
        "finding": st.kb.findings.get(question.finding or ""),
        "number": number,
        "remaining": remaining,
        "state_token": token,
        "error": error,
        "notice": notice,
        "typed": typed,
        # A checklist starts with the diary's yeses ticked (or, going back, the answer's);
        # unticking one is the person's no.
        "ticked": ticked,
        "diary_yes": [fid for fid, value in state.known.items() if value is True],
        "previous": describe_answer(question, shown) if shown is not None else None,
        "previous_unsure": [fid for fid, v in shown.values.items() if v is None]
        if shown is not None and any(v is not None for v in shown.values.values())
        else [],
    }
    return render(request, "check_step.html", context, 422 if error else 200)
