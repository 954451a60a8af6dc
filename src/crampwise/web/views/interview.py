"""The interview and its result, as plain HTML forms — the same engine as the terminal.

No server session: each step POSTs the answers so far in a signed hidden field (never in the
URL), the view adds the new answer, asks the engine for the next question and renders it, or
the result when the engine says stop.

A description in the person's own words, when given on the start page, is read first; the
"understood" page lists each finding read, with its words marked in the text, to correct or
remove. What is left is known before the first question, exactly as the diary's findings are
(``InterviewState.known``): the engine then asks only what is missing, warning signs first.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

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
    MAX_DESCRIPTION_CHARS,
    UNSURE,
    TextOrigin,
    answer_from_form,
    check_age_sex,
    check_description,
    corrected_findings,
    described_by,
    finding_words,
    origin_from_raw,
    state_from_raw,
    state_to_raw,
    value_words,
)
from crampwise.web.templating import render
from crampwise.web.views.common import text, texts, verified_form

router = APIRouter(include_in_schema=False)

SEX_LABELS = {"female": "Female", "male": "Male", "other": "Other"}
STATE_FIELD = "state"
DIARY_FIELD = "use_diary"
DESCRIPTION_FIELD = "description"
VALUE_PREFIX = "value_"
REMOVE_FIELD = "remove"


async def _diary(request: Request) -> DiaryPrefill | None:
    """What the diary already answers (None when it has too little to go on)."""
    return await run_in_threadpool(read_prefill, app_state(request).store(), date.today())


async def _start_page(
    request: Request,
    age: str = "",
    sex: str = "",
    errors: dict[str, str] | None = None,
    use_diary: bool = True,
    description: str = "",
) -> Response:
    diary = await _diary(request)
    context = {
        "age": age,
        "description": description,
        "description_field": DESCRIPTION_FIELD,
        "description_max": MAX_DESCRIPTION_CHARS,
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
    description = text(form, DESCRIPTION_FIELD)
    try:
        age: float = float(age_text)
    except ValueError:
        age = math.nan
    problems = check_age_sex(age, sex or None)
    if description:
        try:
            description = check_description(description, DESCRIPTION_FIELD)
        except InvalidInputError as exc:
            problems.extend(exc.problems)
    if problems:
        errors = {p.field: p.message for p in problems}
        return await _start_page(request, age_text, sex, errors, use_diary, description)
    diary = await _diary(request) if use_diary else None
    known = diary.findings if diary else {}
    st = app_state(request)
    state = InterviewState(age=age, sex=sex if sex in SEXES else None, known=known)
    if not description:
        return _step_page(request, st, state)
    from crampwise.text import read_text

    reading = read_text(description, age=age, sex=state.sex, kb=st.kb)
    origin = TextOrigin(description, dict(reading.case.findings), dict(known))
    state = InterviewState(state.age, state.sex, known={**known, **origin.read})
    return _understood_page(request, st, state, origin)


@router.post("/check/understood")
async def check_understood(request: Request) -> Response:
    """The person's corrections to what was read; then the first question (or the result)."""
    form = await verified_form(request)
    st = app_state(request)
    state, origin = _load(st, form)
    if origin is None:
        raise InvalidInputError("there is no description to correct; please start the check again")
    if text(form, "action") == "edit":
        return await _start_page(
            request, f"{state.age:g}", state.sex or "", None, bool(origin.diary), origin.words
        )
    values = {
        fid: text(form, VALUE_PREFIX + fid) for fid in origin.read if VALUE_PREFIX + fid in form
    }
    try:
        said = corrected_findings(st.kb, origin.read, values, texts(form, REMOVE_FIELD))
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems}
        return _understood_page(request, st, state, origin, errors, values, 422)
    # Whatever the person removed is unknown again, even where the diary had it: asked again.
    known = {fid: v for fid, v in state.known.items() if fid not in origin.read}
    known.update(said)
    after = InterviewState(state.age, state.sex, known=known, described=frozenset(said))
    return _step_page(request, st, after, origin=origin)


@router.post("/check/step")
async def check_step(request: Request) -> Response:
    form = await verified_form(request)
    st = app_state(request)
    state, origin = _load(st, form)
    action = text(form, "action", "answer")
    if action == "back":
        if not state.answers:
            if origin is not None:
                return _understood_page(request, st, state, origin)
            sex = state.sex or ""
            return await _start_page(request, f"{state.age:g}", sex, use_diary=bool(state.known))
        return _step_page(request, st, state.back(), previous=state.answers[-1], origin=origin)
    question = next_question(state, st.kb)
    if question is None or question.id != text(form, "question_id"):
        # A form from an older page (for example after a double click): show what is next now.
        return _step_page(request, st, state, notice="Your answers so far are kept.", origin=origin)
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
        typed = text(form, "value")
        return _step_page(request, st, state, error=error, typed=typed, origin=origin)
    answer = keep_diary(question, answer, state.known, pre_ticked=True)
    return _step_page(request, st, state.answer(answer), origin=origin)


def load_state(st: AppState, form: FormData) -> InterviewState:
    """The interview state signed into a form (the check's pages and the save on /checks)."""
    raw = st.signer.loads(text(form, STATE_FIELD))
    if raw is None:
        raise InvalidInputError(
            "Your answers could not be read: the page may be from before crampwise was "
            "restarted. Please start the check again."
        )
    state = state_from_raw(raw, st.kb, with_known=True)
    # After a description, the interview is the one after a description (a shorter one).
    return described_by(state, origin_from_raw(raw, st.kb))


def _load(st: AppState, form: FormData) -> tuple[InterviewState, TextOrigin | None]:
    """The signed state and, when the check began with a description, where it came from
    (the state is then the interview after a description)."""
    state = load_state(st, form)
    return state, origin_from_raw(st.signer.loads(text(form, STATE_FIELD)), st.kb)


def _token(st: AppState, state: InterviewState, origin: TextOrigin | None) -> str:
    raw = state_to_raw(state)
    if origin is not None:
        raw["text"] = origin.to_raw()
    return st.signer.dumps(raw)


def _step_page(
    request: Request,
    st: AppState,
    state: InterviewState,
    error: str | None = None,
    notice: str | None = None,
    typed: str = "",
    previous: Answer | None = None,
    origin: TextOrigin | None = None,
) -> Response:
    token = _token(st, state, origin)
    question = next_question(state, st.kb)
    # What the diary answered, apart from what the person said in their own words.
    diary = origin.diary_findings(state.known) if origin else state.known
    said = origin.said(state.known) if origin else {}
    if question is None:
        view = result_view(assess(state.case(), st.kb), st.kb)
        context: dict[str, Any] = {
            "v": view,
            "state_token": token,
            # The page's top banner (base.html) repeats the emergency headline.
            "emergency": view.level.headline if view.is_emergency else None,
            # What the diary answered, so the result does not read as if the person said it.
            "diary_note": diary_sentence(diary),
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
        "diary_yes": [fid for fid, value in diary.items() if value is True and fid not in said],
        # A checklist item the description settled says so, yes or no.
        "said_yes": [fid for fid, value in said.items() if value is True],
        "said_no": [fid for fid, value in said.items() if value is False],
        "previous": describe_answer(question, shown) if shown is not None else None,
        "previous_unsure": [fid for fid, v in shown.values.items() if v is None]
        if shown is not None and any(v is not None for v in shown.values.values())
        else [],
    }
    return render(request, "check_step.html", context, 422 if error else 200)


def _marked(words: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into pieces, each marked or not: overlapping spans are marked once."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in merged:
        if start > at:
            pieces.append((words[at:start], False))
        pieces.append((words[start:end], True))
        at = end
    if at < len(words):
        pieces.append((words[at:], False))
    return pieces


def _understood_page(
    request: Request,
    st: AppState,
    state: InterviewState,
    origin: TextOrigin,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """What was read from the description, each finding with its words, to correct."""
    from crampwise.text import read_text

    # Read again for the words' places: the reader is deterministic, and the signed state
    # carries what it read, so a changed reader cannot change what the person confirmed.
    spans = read_text(origin.words, age=state.age, sex=state.sex, kb=st.kb).spans
    first = {
        fid: min((s.start for s in spans.get(fid, ())), default=len(origin.words))
        for fid in origin.read
    }
    rows = []
    for fid in sorted(origin.read, key=lambda f: (first[f], f)):
        finding = st.kb.findings[fid]
        current = state.known.get(fid) if fid in state.known else None
        if typed and fid in typed:
            shown = typed[fid]
        elif current is None:
            shown = UNSURE if finding.type != "number" and finding.type != "integer" else ""
        elif isinstance(current, bool):
            shown = "yes" if current else "no"
        else:
            shown = current if isinstance(current, str) else f"{current:g}"
        labels = next(
            (q.option_labels for q in st.kb.questions if q.finding == fid and q.option_labels), {}
        )
        rows.append(
            {
                "id": fid,
                "words": finding_words(st.kb, fid),
                "read": value_words(st.kb, fid, origin.read[fid]),
                "evidence": [s.words for s in spans.get(fid, ())],
                "type": finding.type,
                "choices": [(c, labels.get(c, c.replace("_", " "))) for c in finding.choices],
                "unit": finding.unit,
                "shown": shown,
                "serious": finding.group == "serious",
                "error": (errors or {}).get(fid),
            }
        )
    pieces = _marked(
        origin.words, [(s.start, s.end) for f in origin.read for s in spans.get(f, ())]
    )
    context: dict[str, Any] = {
        "rows": rows,
        "pieces": pieces,
        "state_token": _token(st, state, origin),
        "errors": errors or {},
        "value_prefix": VALUE_PREFIX,
        "remove_field": REMOVE_FIELD,
        "unsure": UNSURE,
    }
    return render(request, "check_understood.html", context, status)
