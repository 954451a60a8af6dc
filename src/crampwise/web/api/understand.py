"""POST /api/v1/understand: a description in the person's own words, read into a case.

The answer is the case the reader settled (only what the text says; a finding left out is
unknown) and, per finding, the words it was read from. Send ``case.findings`` as ``known`` to
``POST /api/v1/interview/next`` and the interview asks only what is missing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

from crampwise.case.model import AGE_MAX, AGE_MIN
from crampwise.errors import InvalidInputError
from crampwise.web.app import app_state
from crampwise.web.errors import ERROR_RESPONSES
from crampwise.web.interview_codec import MAX_DESCRIPTION_CHARS, check_age_sex, check_description
from crampwise.web.security import require_json

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["assessment"])

Sex = Literal["female", "male", "other"]
# Some non-space character, and no control character but line breaks and tabs.
_ALLOWED = r"[^\x00-\x08\x0b-\x1f\x7f]"
TEXT_PATTERN = rf"^{_ALLOWED}*[^\s\x00-\x08\x0b-\x1f\x7f]{_ALLOWED}*$"


class UnderstandIn(BaseModel):
    """A description in the person's own words, with their age and sex given apart."""

    model_config = ConfigDict(extra="forbid")
    text: Annotated[
        str,
        Field(
            description="a few sentences in the person's own words (line breaks allowed)",
            max_length=MAX_DESCRIPTION_CHARS,
            # Documented for clients; checked by check_description, in its own words.
            json_schema_extra={"minLength": 1, "pattern": TEXT_PATTERN},
            examples=["My toes curl up at night after long runs, no swelling, for a month."],
        ),
    ]
    age: Annotated[float, Field(ge=AGE_MIN, le=AGE_MAX, strict=True, description="years")]
    sex: Sex | None = None


class CaseOut(BaseModel):
    """A crampwise-case/1 case: a finding left out is unknown, not false."""

    format: Literal["crampwise-case/1"] = "crampwise-case/1"
    age: float
    sex: Sex | None = None
    findings: dict[str, bool | int | float | str]


class UnderstandOut(BaseModel):
    case: CaseOut
    evidence: dict[str, list[str]] = Field(
        description="finding id -> the words of the text it was read from"
    )


@router.post(
    "/understand",
    response_model=UnderstandOut,
    response_model_exclude_none=True,
    dependencies=[Depends(require_json)],
)
def understand(body: UnderstandIn, request: Request) -> UnderstandOut:
    """Read a description into findings (offline, nothing stored): ``{case, evidence}``.

    Negated signs ("no swelling") are read as false; anything the reader is unsure of is left
    out, so the interview asks it. An empty or too long text is a 422 naming ``text``.
    """
    from crampwise.text import read_text

    words = check_description(body.text)
    problems = check_age_sex(body.age, body.sex)
    if problems:  # pydantic checked these already; the library's own rule is the authority
        raise InvalidInputError("the request is not valid", problems)
    reading = read_text(words, age=body.age, sex=body.sex, kb=app_state(request).kb)
    case = reading.case
    return UnderstandOut(
        case=CaseOut(age=case.age, sex=case.sex, findings=dict(case.findings)),
        evidence=reading.evidence,
    )
