"""Log a cramp or a day in a few taps: now and today prefilled, sensible defaults."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary.factors import FactorDefinition, load_factors
from crampwise.diary.plausible import check_not_far_before
from crampwise.diary.records import ACTIONS, ACTIVITIES, SIDES, SITES
from crampwise.diary.store import DayMode
from crampwise.diary.validate import day_from_dict, episode_from_dict
from crampwise.errors import InvalidInputError
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import text, texts, verified_form

router = APIRouter(include_in_schema=False)

DEFAULT_MINUTES = "2"
DEFAULT_SEVERITY = "5"
YES_NO = {"yes": True, "no": False}


def _number(raw: str) -> object:
    """A number if the text is one; otherwise the text, so the validator names the field."""
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return raw
    return int(value) if value.is_integer() else value


def episode_fields(form: FormData) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "started_at": text(form, "started_at"),
        "sites": texts(form, "sites"),
        "severity": _number(text(form, "severity")),
        "actions": texts(form, "actions"),
    }
    if text(form, "duration_minutes"):
        fields["duration_minutes"] = _number(text(form, "duration_minutes"))
    for name in ("side", "activity", "note"):
        if text(form, name):
            fields[name] = text(form, name)
    if text(form, "helped") in YES_NO:
        fields["helped"] = YES_NO[text(form, "helped")]
    return fields


def day_fields(form: FormData, factors: tuple[FactorDefinition, ...]) -> dict[str, Any]:
    values: dict[str, object] = {}
    for factor in factors:
        raw = text(form, f"factor_{factor.id}")
        if not raw:
            continue  # left blank: not recorded, which is not the same as zero
        if factor.type == "number":
            values[factor.id] = _number(raw)
        elif factor.type == "bool":
            values[factor.id] = YES_NO.get(raw, raw)
        else:
            values[factor.id] = raw
    fields: dict[str, Any] = {"date": text(form, "date"), "values": values}
    if text(form, "note"):
        fields["note"] = text(form, "note")
    return fields


def _page(
    request: Request,
    episode: dict[str, Any] | None = None,
    day: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    which: str = "",
) -> Response:
    now = datetime.now().replace(second=0, microsecond=0)
    context = {
        "episode": episode or {},
        "day": day or {},
        "errors": errors or {},
        "which": which,
        "now": now.isoformat(timespec="minutes"),
        "today": date.today().isoformat(),
        "default_minutes": DEFAULT_MINUTES,
        "default_severity": DEFAULT_SEVERITY,
        "sites": SITES,
        "sides": SIDES,
        "activities": ACTIVITIES,
        "actions": ACTIONS,
        "factors": load_factors(),
    }
    return render(request, "diary.html", context, 422 if errors else 200)


@router.get("/diary")
async def diary(request: Request) -> Response:
    return _page(request)


@router.post("/diary/episodes")
async def log_episode(request: Request) -> Response:
    form = await verified_form(request)
    fields = episode_fields(form)
    store = app_state(request).store

    def save() -> None:
        episode = episode_from_dict(fields)
        check_not_far_before([episode.day], ["started_at"], store())
        store().add_episode(episode)

    try:
        await run_in_threadpool(save)
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems}
        return _page(request, episode=_echo(form), errors=errors, which="episode")
    return RedirectResponse("/diary/history", status_code=303)


@router.post("/diary/days")
async def log_day(request: Request) -> Response:
    form = await verified_form(request)
    fields = day_fields(form, load_factors())
    # Merge by default, as everywhere: a factor left blank keeps what the day already has.
    mode: DayMode = "replace" if text(form, "mode") == "replace" else "merge"
    store = app_state(request).store

    def save() -> None:
        day = day_from_dict(fields)
        check_not_far_before([day.day], ["date"], store())
        store().update_day(day, mode=mode)

    try:
        await run_in_threadpool(save)
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems}
        return _page(request, day=_echo(form), errors=errors, which="day")
    return RedirectResponse("/diary/history#days", status_code=303)


def _echo(form: FormData) -> dict[str, Any]:
    """What was typed, to show it again next to the error."""
    out: dict[str, Any] = {}
    for key in form:
        values = texts(form, key)
        out[key] = values if key in ("sites", "actions") else (values[0] if values else "")
    return out
