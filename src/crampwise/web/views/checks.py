"""Saved checks: save a finished check once, list them, open one again.

``POST /checks`` takes the result page's signed answers (never the result: it is worked out
again here), saves the check unless the same check was saved in the last 12 hours
(``crampwise.diary.pages.save_check_once``: the same answers, result and knowledge version),
and sends the browser to ``/checks/{id}``, which says whether it was saved now or already.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary.pages import save_check_once, saved_check, saved_checks
from crampwise.diary.saved_checks import saved_view, summary
from crampwise.engine.assess import assess
from crampwise.engine.interview import next_question
from crampwise.errors import InvalidInputError
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import verified_form
from crampwise.web.views.interview import load_state

router = APIRouter(include_in_schema=False)

STATE_FIELD = "state"  # the result page's signed answers (as in views/interview.py)
CheckId = Annotated[int, Path(ge=1, le=2**63 - 1)]
SAVED_NOTICE = {
    "new": "Saved to your diary.",
    "already": "This check was already saved in your diary, so it was not saved again.",
}


@router.post("/checks")
async def save_check(request: Request) -> Response:
    form = await verified_form(request)
    st = app_state(request)
    # The same reading of the signed answers as the check's own pages (with a description,
    # the interview is the shorter one that followed it).
    state = load_state(st, form)
    if next_question(state, st.kb) is not None:
        raise InvalidInputError("this interview is not finished yet; answer the questions first")
    case = state.case()
    result = assess(case, st.kb)
    store = st.store()
    saved, new = await run_in_threadpool(
        save_check_once, store, case.to_dict(), result.to_dict(), result.knowledge_version
    )
    outcome = "new" if new else "already"
    return RedirectResponse(f"/checks/{saved.id}?saved={outcome}", status_code=303)


@router.get("/checks")
async def list_checks(request: Request) -> Response:
    store = app_state(request).store
    found = await run_in_threadpool(lambda: saved_checks(store()))
    return render(request, "checks.html", {"checks": [summary(c) for c in found]})


@router.get("/checks/{check_id}")
async def show_check(request: Request, check_id: CheckId) -> Response:
    st = app_state(request)
    saved = await run_in_threadpool(lambda: saved_check(st.store(), check_id))
    view, reworked = saved_view(saved, st.kb)
    context: dict[str, Any] = {
        "v": view,
        # Not the red banner: this is a check from the past, said as such at the top.
        "emergency": None,
        "diary_note": None,
        "saved": {
            "id": saved.id,
            "created_at": saved.created_at.strftime("%Y-%m-%d %H:%M"),
            "notice": SAVED_NOTICE.get(request.query_params.get("saved", "")),
            "reworked": reworked,
        },
    }
    return render(request, "result.html", context)
