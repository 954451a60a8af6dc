"""N-of-1 experiments over JSON: /api/v1/experiments (and /api/v1/remedies).

The same functions as ``crampwise experiment`` (``crampwise.experiments.running``) and the
same shapes as its ``--json`` (``crampwise.experiments.summary``). Handlers are plain
``def`` so the database calls run in the thread pool.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt
from starlette.requests import Request

from crampwise.diary.dates import parse_day
from crampwise.diary.store import DiaryStore
from crampwise.experiments import running
from crampwise.experiments.store import ExperimentStore
from crampwise.experiments.summary import experiment_dict, status_dict
from crampwise.web.api.schemas import ISO_DATE
from crampwise.web.app import app_state
from crampwise.web.errors import ERROR_RESPONSES
from crampwise.web.security import require_json

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["experiments"])
JSON_ONLY = [Depends(require_json)]
ExperimentId = Annotated[int, Path(ge=1, le=2**63 - 1)]
DateText = Annotated[str, Field(pattern=ISO_DATE, json_schema_extra={"format": "date"})]
ArmName = Literal["remedy", "usual"]
StatusName = Literal["planned", "running", "finished", "stopped"]


def _store(request: Request) -> DiaryStore:
    return app_state(request).store()


Store = Annotated[DiaryStore, Depends(_store)]


# ------------------------------------------------------------------ models


class ExperimentIn(BaseModel):
    """Start an experiment. Only ``remedy`` is required; the rest have the remedy's defaults."""

    model_config = ConfigDict(extra="forbid")
    remedy: str = Field(description="a remedy id from GET /api/v1/remedies")
    pairs: StrictInt | None = Field(None, description="pairs of blocks, 1-12 (default 3)")
    block_days: StrictInt | None = Field(None, description="days per block (default: remedy's)")
    start: DateText | None = Field(None, description="first day, today or later (default today)")
    seed: StrictInt | None = Field(None, description="0-2147483647; drawn and recorded if absent")


class CheckInIn(BaseModel):
    """ "Did you do it today?": ``done`` is whether the remedy was done that day."""

    model_config = ConfigDict(extra="forbid")
    done: StrictBool
    date: DateText | None = Field(None, description="the day answered for (default today)")


class DayOut(BaseModel):
    date: str
    arm: ArmName
    counted: bool


class CheckInOut(BaseModel):
    date: str
    done: bool
    recorded_at: str


class ExperimentOut(BaseModel):
    id: int
    remedy: str
    status: StatusName
    start: str
    end: str
    stopped_on: str | None
    pairs: int
    block_days: int
    washout_days: int
    seed: int
    created_at: str
    schedule: list[DayOut]
    checkins: list[CheckInOut]


class CheckInResultOut(BaseModel):
    id: int
    date: str
    done: bool
    arm: ArmName
    counted: bool


class TodayOut(BaseModel):
    date: str
    day_number: int
    arm: ArmName
    counted: bool
    instruction: str
    checked_in: bool | None


class ProgressOut(BaseModel):
    days_total: int
    days_passed: int
    days_left: int
    checkins_missed: int


class StatusOut(BaseModel):
    id: int
    remedy: str
    remedy_name: str
    status: StatusName
    start: str
    end: str
    stopped_on: str | None
    today: TodayOut | None
    progress: ProgressOut
    adherence: float | None
    cramps: dict[str, int]
    days: dict[str, int]
    cramps_all_days: int


class ResultOut(BaseModel):
    id: int
    status: StatusName
    remedy: str
    as_of: str
    rate_ratio: float | None = Field(description="posterior median of remedy ÷ usual rate")
    interval: list[float] | None = Field(description="95% credible interval of the rate ratio")
    p_benefit: float | None
    p_benefit_20: float | None
    cramps: dict[str, int]
    days: dict[str, int]
    rates: dict[str, float | None]
    adherence: float | None
    checkins: dict[str, int]
    dispersion: dict[str, Any] | None
    verdict: str
    verdict_id: str
    caveats: list[str]
    complete: bool
    planned_days: int
    prior: str
    seek_care: str


class RemedyOut(BaseModel):
    id: str
    name: str
    how: str
    when: str
    when_label: str
    block_days: int
    washout_days: int
    evidence: str
    cautions: list[str]
    not_for: list[str]
    sources: list[str]
    grade: str
    not_for_you: list[str] = Field(
        description="why the latest saved check rules it out for this person ([] = it may be tried)"
    )


class ExcludedOut(BaseModel):
    id: str
    name: str
    reason: str
    sources: list[str]
    grade: str


class RemediesOut(BaseModel):
    remedies: list[RemedyOut]
    excluded: list[ExcludedOut]


# ------------------------------------------------------------------ endpoints


@router.get("/remedies", response_model=RemediesOut)
def list_remedies(store: Store) -> dict[str, Any]:
    """The remedies that can be tested, and what crampwise never sets up as a self-test."""
    from crampwise.experiments.remedies import eligible, load_remedy_file

    data = load_remedy_file()
    case = running.latest_case(store)
    return {
        "remedies": [
            {**r.to_dict(), "not_for_you": eligible(r, case)} for r in data.remedies.values()
        ],
        "excluded": [x.to_dict() for x in data.excluded.values()],
    }


@router.get("/experiments", response_model=list[ExperimentOut])
def list_experiments(store: Store) -> list[dict[str, Any]]:
    """Every experiment, oldest first."""
    today = date.today()
    return [experiment_dict(e, today) for e in ExperimentStore(store).all()]


@router.post("/experiments", response_model=ExperimentOut, status_code=201, dependencies=JSON_ONLY)
def start_experiment(body: ExperimentIn, store: Store) -> dict[str, Any]:
    """Draw and store a new experiment. 422 if another is planned or running, the remedy is
    unknown or ruled out by the latest saved check, or a date or length is not allowed."""
    today = date.today()
    e = running.start(
        store,
        body.remedy,
        today=today,
        now=datetime.now(),
        pairs=body.pairs,
        block_days=body.block_days,
        start_on=parse_day(body.start, "start") if body.start else None,
        seed=body.seed,
    )
    return experiment_dict(e, today)


@router.get("/experiments/{experiment_id}", response_model=ExperimentOut)
def get_experiment(experiment_id: ExperimentId, store: Store) -> dict[str, Any]:
    return experiment_dict(ExperimentStore(store).get(experiment_id), date.today())


@router.post(
    "/experiments/{experiment_id}/checkins",
    response_model=CheckInResultOut,
    dependencies=JSON_ONLY,
)
def check_in(experiment_id: ExperimentId, body: CheckInIn, store: Store) -> dict[str, Any]:
    """Answer "did you do it today?" for a day of the schedule (default today). A second
    answer for the same day replaces the first."""
    e, answer = running.check_in(
        store,
        body.done,
        today=date.today(),
        now=datetime.now(),
        day=parse_day(body.date, "date") if body.date else None,
        experiment_id=experiment_id,
    )
    scheduled = e.day(answer.day)
    assert scheduled is not None
    return {
        "id": experiment_id,
        "date": answer.day.isoformat(),
        "done": answer.done,
        "arm": scheduled.arm,
        "counted": scheduled.counted,
    }


@router.get("/experiments/{experiment_id}/status", response_model=StatusOut)
def get_status(experiment_id: ExperimentId, store: Store) -> dict[str, Any]:
    """What to do today, how far along, adherence and cramps so far."""
    today = date.today()
    e = ExperimentStore(store).get(experiment_id)
    return status_dict(e, running.remedy(e.remedy), running.cramp_dates(store, e), today)


@router.get("/experiments/{experiment_id}/result", response_model=ResultOut)
def get_result(experiment_id: ExperimentId, store: Store) -> dict[str, Any]:
    """What the experiment shows so far (cramps counted on the date they started)."""
    today = date.today()
    e = ExperimentStore(store).get(experiment_id)
    found = running.result(e, running.cramp_dates(store, e), today)
    return {"id": e.id, "status": e.status(today), **found.to_dict()}


@router.get(
    "/experiments/{experiment_id}/chart.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The chart (SVG)"}},
)
def get_chart(experiment_id: ExperimentId, store: Store) -> Response:
    """Cramps per day by arm, as an SVG image."""
    e = ExperimentStore(store).get(experiment_id)
    svg = running.chart(e, running.cramp_dates(store, e), date.today())
    return Response(svg, media_type="image/svg+xml")


@router.post("/experiments/{experiment_id}/stop", response_model=ExperimentOut)
def stop_experiment(experiment_id: ExperimentId, store: Store) -> dict[str, Any]:
    """Stop a planned or running experiment today (422 if it is already over)."""
    today = date.today()
    return experiment_dict(running.stop(store, today=today, experiment_id=experiment_id), today)
