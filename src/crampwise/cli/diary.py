"""Diary commands: ``log`` a cramp, record a ``day``, show the ``history``.

Kept light on purpose: SQLAlchemy and the factor definitions load inside the commands, so
``crampwise log`` starts quickly and ``crampwise --help`` loads no database code.
"""

from __future__ import annotations

import json
import re
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


@click.command("history")
@click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day to show (YYYY-MM-DD).",
)
@click.option(
    "--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day to show (YYYY-MM-DD)."
)
@click.option(
    "--limit",
    type=int,
    help="Show a page of at most this many cramps and days, newest first (1 to 1000). "
    "Without it: everything, oldest first.",
)
@click.option("--page", type=int, help="Which page to show with --limit (1 = the newest).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def history(
    start: datetime | None,
    end: datetime | None,
    limit: int | None,
    page: int | None,
    as_json: bool,
) -> None:
    """Show logged cramps and recorded days: all of them oldest first, or with --limit a
    page of each, newest first (--page 2 for the next)."""
    from crampwise.diary.dates import date_range
    from crampwise.diary.validate import day_to_dict, episode_to_dict

    period = date_range(
        start.date() if start else None,
        end.date() if end else None,
        start_field="--from",
        end_field="--to",
    )
    paging = _paging(limit, page)
    with open_diary() as store:
        if paging is None:
            episodes = store.list_episodes(period.start, period.end)
            days = store.list_days(period.start, period.end)
            totals = (len(episodes), len(days))
        else:
            from crampwise.diary.pages import days_page, episodes_page

            size, number = paging
            offset = (number - 1) * size
            ep_page = episodes_page(store, period.start, period.end, size, offset=offset)
            day_page = days_page(store, period.start, period.end, size, offset=offset)
            episodes, days = ep_page.items, day_page.items
            totals = (ep_page.total, day_page.total)
    if as_json:
        doc: dict[str, Any] = {
            "episodes": [episode_to_dict(e) for e in episodes],
            "days": [day_to_dict(d) for d in days],
        }
        if paging is not None:
            doc["page"] = {
                "limit": paging[0],
                "page": paging[1],
                "episodes_total": totals[0],
                "days_total": totals[1],
            }
        # JSON escapes C0 controls itself; DEL, C1 and bidi overrides it leaves raw.
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        click.echo(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
        return
    if not totals[0] and not totals[1]:
        click.echo(
            "No entries. Log a cramp with: crampwise log --site toes --severity 6 --minutes 2"
        )
        return
    if paging is None:
        _print_tables(episodes, days)
        return
    size, number = paging
    first = (number - 1) * size
    _print_tables(
        episodes,
        days,
        (_range_title(first, len(episodes), totals[0]), _range_title(first, len(days), totals[1])),
    )
    if first + size < max(totals):
        dates = "".join(
            f" {option} {day.isoformat()}"
            for option, day in (("--from", period.start), ("--to", period.end))
            if day is not None
        )
        click.echo(f"\nOlder entries: crampwise history{dates} --limit {size} --page {number + 1}")


def _paging(limit: int | None, page: int | None) -> tuple[int, int] | None:
    """(limit, page) when paging was asked for; bad values are exit 2 naming the option."""
    from crampwise.diary.pages import MAX_LIMIT

    problems = []
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        problems.append(FieldProblem("--limit", f"must be from 1 to {MAX_LIMIT}"))
    if page is not None and page < 1:
        problems.append(FieldProblem("--page", "must be 1 or more (1 = the newest entries)"))
    if page is not None and limit is None:
        problems.append(FieldProblem("--page", "goes with --limit, e.g. --limit 20 --page 2"))
    if problems:
        raise InvalidInputError("cannot show that page", problems)
    return None if limit is None else (limit, page or 1)


def _range_title(first: int, shown: int, total: int) -> str:
    if not shown:
        return f"none on this page, {total} in all"
    return f"{first + 1}–{first + shown} of {total}, newest first"


def _print_tables(
    episodes: list[Episode], days: list[DayFactors], titles: tuple[str, str] | None = None
) -> None:
    ep_title, day_title = titles or (str(len(episodes)), str(len(days)))
    click.echo(f"Cramps ({ep_title})")
    click.echo(
        _table(
            (
                "id",
                "started",
                "min",
                "severity",
                "sites",
                "side",
                "activity",
                "did",
                "helped",
                "note",
            ),
            [
                (
                    str(e.id),
                    f"{e.started_at:%Y-%m-%d %H:%M}",
                    f"{e.duration_minutes:g}",
                    str(e.severity),
                    ",".join(e.sites),
                    e.side or "",
                    e.activity or "",
                    ",".join(e.actions),
                    "" if e.helped is None else ("yes" if e.helped else "no"),
                    _short(e.note),
                )
                for e in episodes
            ],
        )
    )
    click.echo(f"\nDays ({day_title})")
    click.echo(
        _table(
            ("date", "factors", "note"),
            [(d.day.isoformat(), describe_values(d.values), _short(d.note)) for d in days],
            wrap=1,  # the factors: wrapped to the terminal's width
        )
    )


def _short(text: str | None, width: int = 30) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# Control characters (and bidi overrides, which reorder what follows) from rows written before
# notes were checked: shown escaped, never sent raw to the terminal.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x07``)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], wrap: int | None = None) -> str:
    from crampwise.cli.text import table

    return table(header, [tuple(printable(c) for c in r) for r in rows], wrap=wrap)
