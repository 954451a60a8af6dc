"""Log or edit a cramp or a day. The forms start empty where empty means "not recorded":
only the time and the date are filled in (now, today); severity, minutes and the rest are
what the person enters, and the required ones are marked and checked here too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.diary.dates import parse_day
from crampwise.diary.factors import FactorDefinition, load_factors
from crampwise.diary.plausible import check_not_far_before
from crampwise.diary.records import ACTIONS, ACTIVITIES, SIDES, SITES, DayFactors, Episode
from crampwise.diary.store import DayMode
from crampwise.diary.validate import day_from_dict, episode_from_dict
from crampwise.errors import InvalidInputError, NotFoundError
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import text, texts, verified_form

router = APIRouter(include_in_schema=False)

YES_NO = {"yes": True, "no": False}
# The web form's own words for a required field left empty (the record's speak of its API).
REQUIRED = {
    "started_at": "is required: when the cramp started",
    "duration_minutes": "is required: how long it lasted, in minutes (0.5 for half a minute)",
    "severity": "is required: how bad it was, from 0 (none) to 10 (worst)",
    "sites": "is required: tick at least one place",
}


def _number(raw: str) -> object:
    """A number if the text is one; otherwise the text, so the validator names the field."""
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return raw
    return int(value) if value.is_integer() else value


def episode_fields(form: FormData) -> dict[str, Any]:
    """The record's fields from the form; a field left empty is left out (not recorded)."""
    fields: dict[str, Any] = {"sites": texts(form, "sites"), "actions": texts(form, "actions")}
    if text(form, "started_at"):
        fields["started_at"] = text(form, "started_at")
    for name in ("duration_minutes", "severity"):
        if text(form, name):
            fields[name] = _number(text(form, name))
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
    editing: str = "",
    action: str = "",
) -> Response:
    """The diary page: both forms, or (``editing`` "episode" or "day") the one being edited,
    posting to ``action``."""
    now = datetime.now().replace(second=0, microsecond=0)
    context = {
        "episode": episode or {},
        "day": day or {},
        "errors": errors or {},
        "which": which,
        "editing": editing,
        "action": action,
        "now": now.isoformat(timespec="minutes"),
        "today": date.today().isoformat(),
        "sites": SITES,
        "sides": SIDES,
        "activities": ACTIVITIES,
        "actions": ACTIONS,
        "factors": load_factors(),
    }
    return render(request, "diary.html", context, 422 if errors else 200)


def _errors(exc: InvalidInputError, fields: dict[str, Any]) -> dict[str, str]:
    # A required field left empty gets the form's words; every other problem the record's.
    empty = {name for name in REQUIRED if fields.get(name) in (None, "", [])}
    return {p.field: REQUIRED[p.field] if p.field in empty else p.message for p in exc.problems}


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
        return _page(request, episode=_echo(form), errors=_errors(exc, fields), which="episode")
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


# ---------------------------------------------------------------- editing


@router.get("/diary/episodes/{episode_id}/edit")
async def edit_episode(request: Request, episode_id: int) -> Response:
    store = app_state(request).store
    episode = await run_in_threadpool(lambda: store().get_episode(episode_id))
    action = f"/diary/episodes/{episode_id}"
    return _page(request, episode=episode_form(episode), editing="episode", action=action)


@router.post("/diary/episodes/{episode_id}")
async def save_episode(request: Request, episode_id: int) -> Response:
    form = await verified_form(request)
    fields = episode_fields(form)
    store = app_state(request).store

    def save() -> None:
        stored_day = store().get_episode(episode_id).day  # a missing one is a 404 first
        episode = episode_from_dict(fields)
        if episode.day != stored_day:  # kept on its own date: not asked about again
            check_not_far_before([episode.day], ["started_at"], store())
        store().update_episode(episode_id, episode)

    try:
        await run_in_threadpool(save)
    except InvalidInputError as exc:
        return _page(
            request,
            episode=_echo(form),
            errors=_errors(exc, fields),
            which="episode",
            editing="episode",
            action=f"/diary/episodes/{episode_id}",
        )
    return RedirectResponse("/diary/history?done=edited#episodes", status_code=303)


@router.get("/diary/days/{day}/edit")
async def edit_day(request: Request, day: str) -> Response:
    when = parse_day(day, "day")
    store = app_state(request).store
    found = await run_in_threadpool(lambda: store().get_day(when))
    if found is None:
        raise NotFoundError(f"nothing is recorded for {when.isoformat()}")
    action = f"/diary/days/{when.isoformat()}"
    return _page(request, day=day_form(found), editing="day", action=action)


@router.post("/diary/days/{day}")
async def save_day(request: Request, day: str) -> Response:
    """An edited day replaces what the date held: the form showed all of it."""
    when = parse_day(day, "day")
    form = await verified_form(request)
    fields = {**day_fields(form, load_factors()), "date": when.isoformat()}
    store = app_state(request).store

    def save() -> None:
        if store().get_day(when) is None:
            raise NotFoundError(f"nothing is recorded for {when.isoformat()}")
        store().update_day(day_from_dict(fields), mode="replace")

    try:
        await run_in_threadpool(save)
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems}
        echo = {**_echo(form), "date": when.isoformat()}
        action = f"/diary/days/{when.isoformat()}"
        return _page(request, day=echo, errors=errors, which="day", editing="day", action=action)
    return RedirectResponse("/diary/history?done=edited#days", status_code=303)


def episode_form(ep: Episode) -> dict[str, Any]:
    """A stored cramp as the form's fields (what ``_echo`` gives for a posted form)."""
    helped = "" if ep.helped is None else ("yes" if ep.helped else "no")
    return {
        "started_at": ep.started_at.replace(second=0, microsecond=0).isoformat(timespec="minutes"),
        "duration_minutes": f"{ep.duration_minutes:g}",
        "severity": str(ep.severity),
        "sites": list(ep.sites),
        "side": ep.side or "",
        "activity": ep.activity or "",
        "actions": list(ep.actions),
        "helped": helped,
        "note": ep.note or "",
    }


def day_form(d: DayFactors) -> dict[str, Any]:
    out: dict[str, Any] = {"date": d.day.isoformat(), "note": d.note or "", "mode": "replace"}
    for factor_id, value in d.values.items():
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = str(value)
        out[f"factor_{factor_id}"] = shown
    return out


def _echo(form: FormData) -> dict[str, Any]:
    """What was typed, to show it again next to the error."""
    out: dict[str, Any] = {}
    for key in form:
        values = texts(form, key)
        out[key] = values if key in ("sites", "actions") else (values[0] if values else "")
    return out
