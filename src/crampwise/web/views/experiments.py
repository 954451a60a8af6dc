"""Experiments: the list with a form to start one, and a page per experiment.

The experiment page shows the schedule as a calendar strip, today's instruction with a
one-tap check-in ("did you do it today?"), progress, and the result with its chart. Every
form works without JavaScript and carries the CSRF token; each posts, then redirects back
(303), so a reload never posts twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary.dates import parse_day
from crampwise.diary.store import DiaryStore
from crampwise.errors import FieldProblem, InvalidInputError, NotFoundError
from crampwise.experiments import running
from crampwise.experiments.design import PAIRS_DEFAULT, PAIRS_MAX, PAIRS_MIN
from crampwise.experiments.remedies import eligible, load_remedy_file
from crampwise.experiments.store import Experiment, ExperimentStore
from crampwise.experiments.summary import progress
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import text, verified_form

router = APIRouter(include_in_schema=False)

DONE = {
    "started": "Your experiment has started. Log cramps in the diary as usual.",
    "checked": "Thank you: today's answer is saved.",
    "stopped": "The experiment is stopped. The result below covers the days so far.",
}
YES_NO = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One cell of the calendar strip."""

    day: date
    arm: str
    counted: bool
    checked_in: bool | None
    cramps: int
    past: bool
    today: bool
    stopped: bool
    """After the day the experiment was stopped: not part of it any more."""


def _number(raw: str, field: str) -> int | None:
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInputError(
            "the experiment was not started", [FieldProblem(field, "must be a whole number")]
        ) from None


# ------------------------------------------------------------------ the list and the form


def _list_page(
    request: Request, errors: dict[str, str] | None = None, form: dict[str, str] | None = None
) -> Response:
    store = app_state(request).store()
    today = date.today()
    data = load_remedy_file()
    case = running.latest_case(store)
    found = ExperimentStore(store).all()
    open_one = next((e for e in reversed(found) if e.is_open(today)), None)
    context = {
        "experiments": [(e, e.status(today), data.remedies.get(e.remedy)) for e in reversed(found)],
        "open_one": open_one,
        "remedies": [(r, eligible(r, case)) for r in data.remedies.values()],
        "excluded": list(data.excluded.values()),
        "has_check": case is not None,
        "errors": errors or {},
        "form": form or {},
        "today": today.isoformat(),
        "latest_start": (today + timedelta(days=running.MAX_DAYS_AHEAD)).isoformat(),
        "pairs_choices": range(PAIRS_MIN, min(PAIRS_MAX, 6) + 1),
        "pairs_default": PAIRS_DEFAULT,
    }
    return render(request, "experiments.html", context, 422 if errors else 200)


@router.get("/experiments")
async def experiments(request: Request) -> Response:
    return await run_in_threadpool(_list_page, request)


@router.post("/experiments")
async def start_experiment(request: Request) -> Response:
    form = await verified_form(request)
    store = app_state(request).store

    def start() -> Experiment:
        start_text = text(form, "start")
        return running.start(
            store(),
            text(form, "remedy"),
            today=date.today(),
            now=datetime.now(),
            pairs=_number(text(form, "pairs"), "pairs"),
            start_on=parse_day(start_text, "start") if start_text else None,
            seed=_number(text(form, "seed"), "seed"),
        )

    try:
        e = await run_in_threadpool(start)
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems} or {"remedy": exc.message}
        echo = {k: text(form, k) for k in ("remedy", "pairs", "start", "seed")}
        return await run_in_threadpool(_list_page, request, errors, echo)
    return RedirectResponse(f"/experiments/{e.id}?done=started", status_code=303)


# ------------------------------------------------------------------ one experiment


def _experiment_id(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) < 2**63:
        raise NotFoundError(f"no experiment {raw!r}")
    return int(raw)


def calendar(e: Experiment, cramps: list[date], today: date) -> list[list[CalendarDay]]:
    """The schedule as rows, one per block."""
    per_day = Counter(cramps)
    rows: dict[int, list[CalendarDay]] = {}
    for d in e.schedule.days:
        found = e.checkin_on(d.date)
        rows.setdefault(d.block, []).append(
            CalendarDay(
                day=d.date,
                arm=d.arm,
                counted=d.counted,
                checked_in=None if found is None else found.done,
                cramps=per_day.get(d.date, 0),
                past=d.date < today,
                today=d.date == today,
                stopped=e.stopped_on is not None and d.date > e.stopped_on,
            )
        )
    return [rows[b] for b in sorted(rows)]


def _experiment_page(
    request: Request, experiment_id: int, errors: dict[str, str] | None = None
) -> Response:
    store: DiaryStore = app_state(request).store()
    today = date.today()
    e = ExperimentStore(store).get(experiment_id)
    chosen = running.remedy(e.remedy)
    cramps = running.cramp_dates(store, e)
    found = running.result(e, cramps, today)
    last = running.as_of(e, today)
    missed = [
        d.date
        for d in e.schedule.days
        if d.date < today and d.date <= last and e.checkin_on(d.date) is None
    ]
    context: dict[str, Any] = {
        "e": e,
        "remedy": chosen,
        "status": e.status(today),
        "plan": running.today_plan(e, chosen, today),
        "progress": progress(e, today),
        "calendar": calendar(e, cramps, today),
        "result": found,
        "chart": running.chart(e, cramps, today),
        "missed": missed[-14:],  # the last two weeks: older gaps are rarely remembered
        "done": DONE.get(request.query_params.get("done", ""), ""),
        "errors": errors or {},
    }
    return render(request, "experiments_detail.html", context, 422 if errors else 200)


@router.get("/experiments/{experiment_id}")
async def experiment_page(request: Request, experiment_id: str) -> Response:
    return await run_in_threadpool(_experiment_page, request, _experiment_id(experiment_id))


@router.post("/experiments/{experiment_id}/checkin")
async def check_in(request: Request, experiment_id: str) -> Response:
    number = _experiment_id(experiment_id)
    form = await verified_form(request)
    store = app_state(request).store

    def save() -> None:
        answer = text(form, "done")
        if answer not in YES_NO:
            raise InvalidInputError("nothing saved", [FieldProblem("done", "answer yes or no")])
        day_text = text(form, "date")
        running.check_in(
            store(),
            YES_NO[answer],
            today=date.today(),
            now=datetime.now(),
            day=parse_day(day_text, "date") if day_text else None,
            experiment_id=number,
        )

    try:
        await run_in_threadpool(save)
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems} or {"date": exc.message}
        return await run_in_threadpool(_experiment_page, request, number, errors)
    return RedirectResponse(f"/experiments/{number}?done=checked#today", status_code=303)


@router.post("/experiments/{experiment_id}/stop")
async def stop(request: Request, experiment_id: str) -> Response:
    number = _experiment_id(experiment_id)
    form = await verified_form(request)
    store = app_state(request).store

    def save() -> None:
        if text(form, "confirm") != "yes":
            raise InvalidInputError(
                "not stopped", [FieldProblem("confirm", "tick the box to confirm the stop")]
            )
        running.stop(store(), today=date.today(), experiment_id=number)

    try:
        await run_in_threadpool(save)
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems}
        return await run_in_threadpool(_experiment_page, request, number, errors)
    return RedirectResponse(f"/experiments/{number}?done=stopped", status_code=303)
