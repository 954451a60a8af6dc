"""``crampwise history``: the cramps and days logged, whole or a page at a time."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from crampwise.cli.diary import describe_values, open_diary
from crampwise.errors import FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.diary.records import DayFactors, Episode


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
