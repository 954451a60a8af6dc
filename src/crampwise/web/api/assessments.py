"""POST /api/v1/assessments and POST /api/v1/interview/next: the engine over JSON."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import Response

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.engine.interview import next_question, remaining_estimate
from crampwise.engine.result import Assessment
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question
from crampwise.web.api.body import json_object
from crampwise.web.api.schemas import case_schema, interview_schema, json_body
from crampwise.web.app import app_state
from crampwise.web.errors import ERROR_RESPONSES
from crampwise.web.interview_codec import state_from_raw


class Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemOut(BaseModel):
    finding: str
    label: str


class OptionOut(BaseModel):
    value: str | bool
    label: str


class QuestionOut(BaseModel):
    """One question: answer it with {question_id, values: {finding id: value or null}}."""

    id: str
    kind: Literal["checklist", "yes_no", "number", "choice"]
    text: str
    help: str | None
    screening: bool
    finding: str | None
    items: list[ItemOut]
    options: list[OptionOut]
    minimum: float | None
    maximum: float | None
    unit: str | None
    not_applicable: bool
    """A "does not apply" answer is offered: send null, as for don't know."""


class InterviewQuestion(BaseModel):
    should_stop: Literal[False]
    question: QuestionOut
    asked: int
    remaining_estimate: int


class InterviewResult(BaseModel):
    should_stop: Literal[True]
    result: Assessment
    asked: int


def question_out(q: Question, kb: KnowledgeBase) -> QuestionOut:
    finding = kb.findings.get(q.finding or "")
    options: list[OptionOut] = []
    if q.kind == "yes_no":
        options = [OptionOut(value=True, label="Yes"), OptionOut(value=False, label="No")]
    elif q.kind == "choice" and finding is not None:
        options = [OptionOut(value=c, label=q.option_labels.get(c, c)) for c in finding.choices]
    return QuestionOut(
        id=q.id,
        kind=q.kind,
        text=q.text,
        help=q.help,
        screening=q.screening,
        finding=q.finding,
        items=[ItemOut(finding=i.finding, label=i.label) for i in q.items],
        options=options,
        minimum=finding.minimum if finding else None,
        maximum=finding.maximum if finding else None,
        unit=finding.unit if finding else None,
        not_applicable=q.not_applicable,
    )


def make_router(kb: KnowledgeBase) -> APIRouter:
    router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

    @router.get("/ping", response_model=Empty, tags=["meta"])
    async def ping() -> Empty:
        """No work at all: the baseline the benchmark compares the assessment with."""
        return Empty()

    @router.post(
        "/assessments",
        response_model=Assessment,
        tags=["assessment"],
        openapi_extra=json_body(case_schema(kb)),
    )
    async def create_assessment(request: Request) -> Response:
        """Assess a case (crampwise-case/1): triage, ranked causes and a plan.

        Every offending key is listed in one 422. Nothing is stored.
        """
        st = app_state(request)
        case = parse_case(await json_object(request), st.kb)
        # Serialised by the result's own adapter: FastAPI's generic path for a dataclass
        # return (dataclasses.asdict, then validation) cost more than the assessment itself.
        # The documented response model above is unchanged and the fuzz tests check it.
        return Response(assess(case, st.kb).to_json(), media_type="application/json")

    @router.post(
        "/interview/next",
        response_model=InterviewQuestion | InterviewResult,
        tags=["assessment"],
        openapi_extra=json_body(interview_schema(kb)),
    )
    async def interview_next(request: Request) -> InterviewQuestion | InterviewResult:
        """The adaptive interview, statelessly: send the answers so far, get the next question
        or, when no answer could change the advice any more, the result.

        ``known`` pre-fills findings (for example ``case.findings`` from
        ``POST /api/v1/understand``): the interview asks only what is missing, warning signs
        first, and an answer overrides a pre-filled finding. With ``described: true`` (known is
        what a description settled) it is the shorter interview after a description: the
        warning signs the description left open come first as one checklist,
        ``warning_signs_open``, then only what could change the level or the plan."""
        st = app_state(request)
        state = state_from_raw(await json_object(request), st.kb, prefill=True)
        question = next_question(state, st.kb)
        if question is None:
            return InterviewResult(
                should_stop=True, result=assess(state.case(), st.kb), asked=len(state.answers)
            )
        return InterviewQuestion(
            should_stop=False,
            question=question_out(question, st.kb),
            asked=len(state.answers),
            remaining_estimate=remaining_estimate(state, st.kb),
        )

    return router
