"""Diary commands: ``log`` a cramp, record a ``day`` (``history`` is in ``cli/history.py``).

Kept light on purpose: SQLAlchemy and the factor definitions load inside the commands, so
``crampwise log`` starts quickly and ``crampwise --help`` loads no database code.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

# The vocabularies only: the record models (pydantic) load when a command runs, not for --help.
from crampwise.diary.vocabulary import ACTIONS, ACTIVITIES, SIDES, SITES
from crampwise.errors import FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.diary.records import DayFactors, Episode
    from crampwise.diary.store import DiaryStore

# Validation speaks in record fields; on the command line the user typed options.
_OPTION_FOR = {
    "started_at": "--at",
    "duration_minutes": "--minutes",
    "sites": "--site",
    "severity": "--severity",
    "side": "--side",
    "activity": "--activity",
    "actions": "--did",
    "helped": "--helped",
    "note": "--note",
    "date": "--date",
}


def open_diary() -> DiaryStore:
    """The diary named by CRAMPWISE_DATABASE_URL, or the default one."""
    from crampwise.diary.store import open_store

    return open_store()


def interactive() -> bool:
    """Prompt for missing values only when a person is typing (not in scripts or pipes)."""
    return sys.stdin.isatty()


def as_options(exc: InvalidInputError) -> InvalidInputError:
    """The same error, with record fields renamed to the options the user typed."""
    problems = []
    for p in exc.problems:
        head, _, rest = p.field.partition(".")
        if head == "values" and rest:
            name = f"--factor {rest}"
        else:
            name = _OPTION_FOR.get(p.field, p.field)
        problems.append(FieldProblem(name, p.message, p.line))
    return InvalidInputError(exc.message, problems)


YES_HELP = "Record a date far before the rest of the diary without asking."


def confirm_plausible(store: DiaryStore, day: date, option: str, yes: bool) -> None:
    """Ask before recording a date far before the rest of the diary (a mistyped year?).

    Refused without asking when no one is typing, unless ``--yes`` was given.
    """
    from crampwise.diary.plausible import far_before_in

    found = far_before_in(store, [day])
    if not found or yes:
        return
    message = found[0].message()
    if interactive() and click.confirm(f"{message}. Record it anyway?", default=False):
        return
    raise InvalidInputError(
        "nothing recorded", [FieldProblem(option, f"{message} (or add --yes if it is right)")]
    )


# ---------------------------------------------------------------- log


@click.command("log")
@click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="SITE",
    help=f"Where the cramp was; repeat for several. One of: {', '.join(SITES)}.",
)
@click.option("--severity", type=int, help="How bad it was, from 0 (none) to 10 (worst).")
@click.option("--minutes", type=float, help="How long it lasted, in minutes (e.g. 0.5, 2).")
@click.option("--side", help=f"Which side: {', '.join(SIDES)}.")
@click.option("--activity", help=f"What you were doing: {', '.join(ACTIVITIES)}.")
@click.option(
    "--did",
    "actions",
    multiple=True,
    metavar="ACTION",
    help=f"What you did about it; repeat for several. One of: {', '.join(ACTIONS)}.",
)
@click.option("--helped/--no-helped", default=None, help="Whether what you did helped.")
@click.option("--note", help="Anything else worth remembering.")
@click.option(
    "--at",
    "at",
    metavar="DATETIME",
    help='When it started, e.g. "2026-11-20 23:10". Default: now.',
)
@click.option("--yes", is_flag=True, help=YES_HELP)
def log(
    sites: tuple[str, ...],
    severity: int | None,
    minutes: float | None,
    side: str | None,
    activity: str | None,
    actions: tuple[str, ...],
    helped: bool | None,
    note: str | None,
    at: str | None,
    yes: bool,
) -> None:
    """Log one cramp, e.g. crampwise log --site toes --severity 6 --minutes 2.

    Site, severity and minutes are required: you are asked for them when typing at a
    terminal, and a script gets exit code 2 naming the missing option.
    """
    from crampwise.diary.validate import episode_from_dict

    missing = [
        name
        for name, value in (("--site", sites), ("--severity", severity), ("--minutes", minutes))
        if value is None or value == ()
    ]
    if missing and not interactive():
        raise InvalidInputError(
            "missing required options",
            [FieldProblem(name, "is required") for name in missing],
        )
    if "--site" in missing:
        answer = click.prompt(f"Where was the cramp ({', '.join(SITES)}; comma-separated)")
        sites = tuple(s.strip() for s in answer.split(",") if s.strip())
    if "--severity" in missing:
        severity = click.prompt("How bad, 0 (none) to 10 (worst)", type=int)
    if "--minutes" in missing:
        minutes = click.prompt("How many minutes did it last", type=float)
    raw: dict[str, Any] = {
        "started_at": at if at is not None else datetime.now().replace(microsecond=0),
        "duration_minutes": minutes,
        "sites": list(sites),
        "severity": severity,
        "side": side,
        "activity": activity,
        "actions": list(actions),
        "helped": helped,
        "note": note,
    }
    try:
        episode = episode_from_dict(raw)
    except InvalidInputError as exc:
        raise as_options(exc) from None
    with open_diary() as store:
        confirm_plausible(store, episode.day, "--at", yes)
        saved = store.add_episode(episode)
    click.echo(f"Logged cramp #{saved.id}: {describe(saved)}.")


def describe(ep: Episode) -> str:
    where = " + ".join(ep.sites) + (f" ({ep.side})" if ep.side else "")
    return (
        f"{where}, severity {ep.severity}/10, {ep.duration_minutes:g} min, "
        f"{ep.started_at:%Y-%m-%d %H:%M}"
    )


# ---------------------------------------------------------------- day


@click.command("day")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Which day, as YYYY-MM-DD. Default: today.",
)
@click.option(
    "--factor",
    "factors",
    multiple=True,
    metavar="ID=VALUE",
    help="A daily factor, e.g. water_litres=1.2 or stretching_done=true; repeat for several.",
)
@click.option("--note", help="A note about the day.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace everything recorded for the day instead of adding to it.",
)
@click.option("--yes", is_flag=True, help=YES_HELP)
def day(
    day: datetime | None, factors: tuple[str, ...], note: str | None, replace: bool, yes: bool
) -> None:
    """Record what a day was like: water, exercise, footwear, stretching …

    Values are added to what the day already has unless --replace is given. Unknown
    factors are refused with the list of known ones.
    """
    from crampwise.diary.factors import load_factors
    from crampwise.diary.validate import day_from_dict, parse_factor_text

    when = day.date() if day else date.today()
    values: dict[str, object] = {}
    problems = []
    for item in factors:
        factor_id, sep, text = item.partition("=")
        if not sep or not factor_id.strip():
            problems.append(FieldProblem("--factor", f"expected ID=VALUE, got {item!r}"))
            continue
        values[factor_id.strip()] = parse_factor_text(factor_id.strip(), text)
    if not factors and note is None:
        known = ", ".join(f"{f.id} ({f.type})" for f in load_factors())
        problems.append(FieldProblem("--factor", f"give at least one; known factors: {known}"))
    if problems:
        raise InvalidInputError("nothing recorded", problems)
    try:
        record = day_from_dict({"date": when.isoformat(), "values": values, "note": note})
    except InvalidInputError as exc:
        raise as_options(exc) from None
    with open_diary() as store:
        confirm_plausible(store, when, "--date", yes)
        record = store.update_day(record, mode="replace" if replace else "merge")
    click.echo(f"Saved {when.isoformat()}: {describe_day(record)}.")


def describe_day(d: DayFactors) -> str:
    parts = [describe_values(d.values)] if d.values else []
    if d.note:
        parts.append(f"note: {d.note}")
    return ", ".join(parts) or "no values"


def describe_values(values: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={_text(v)}" for k, v in values.items()) or "no values"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ---------------------------------------------------------------- history
