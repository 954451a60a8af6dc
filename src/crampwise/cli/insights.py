"""`crampwise insights`: what your diary shows — factors, trend, and optionally charts and a
re-triage from the diary's findings.

numpy is loaded only once the command runs; matplotlib only with --out.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crampwise.case.model import SEXES
from crampwise.cli.text import echo_wrapped
from crampwise.knowledge.schema import AGE_MAX, AGE_MIN

if TYPE_CHECKING:
    from crampwise.analysis.insights import Insights
    from crampwise.engine.result import Assessment
    from crampwise.knowledge import KnowledgeBase

LONG_DIARY_DAYS = 365
"""Show a progress bar when the diary covers more than a year."""
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _render_text(insights: Insights, retriage: RetriageWords | None) -> None:
    s, trend, readout = insights.summary, insights.trend, insights.readout
    assert s is not None and trend is not None and readout is not None
    click.secho(f"Your cramp diary, {s.start} to {s.end}", bold=True)
    for message in insights.messages:
        echo_wrapped(message)
    click.echo("")
    click.secho("How often", bold=True)
    for message in trend.messages:
        echo_wrapped(message, "  ")
    click.echo("")
    click.secho("Factors and your cramps", bold=True)
    echo_wrapped(readout.method, "  ")
    if readout.clear:
        click.echo("  Clear association:")
        for text in readout.clear:
            echo_wrapped(text, "      ", "    - ")
    if readout.unclear:
        echo_wrapped(readout.unclear, "  ")
    for text in readout.waiting:
        echo_wrapped(text, "  ")
    echo_wrapped(readout.caveat, "  ")
    if retriage is not None:
        click.echo("")
        click.secho(f"What your diary suggests: {retriage.name}", bold=True)
        echo_wrapped(retriage.headline, "  ")
        for reason in retriage.reasons:
            echo_wrapped(reason, "    ", "  - ")


@dataclass(frozen=True, slots=True)
class RetriageWords:
    """The re-triage in the knowledge base's words for its level (never the level's id)."""

    level: str
    name: str
    headline: str
    reasons: tuple[str, ...]


def _retriage(assessment: Assessment, kb: KnowledgeBase) -> RetriageWords:
    info = kb.levels[assessment.level]
    reasons = tuple(rule.reason for rule in assessment.triage.rules)
    return RetriageWords(assessment.level, info.name, info.headline, reasons)


@click.command()
@click.option("--from", "start", type=_DATE, help="First day to analyse (YYYY-MM-DD).")
@click.option(
    "--to",
    "end",
    type=_DATE,
    help="Last day to analyse (YYYY-MM-DD); the trend is as of this day. "
    "Default: the last day in the diary.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write cramps_over_time.svg and factor_effects.svg into this folder.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the insights as JSON.")
@click.option(
    "--age",
    type=click.FloatRange(AGE_MIN, AGE_MAX),
    help="Your age: re-run the triage on what the diary shows.",
)
@click.option("--sex", type=click.Choice(SEXES), help="Your sex, for the re-triage (optional).")
def insights(
    start: datetime | None,
    end: datetime | None,
    out: Path | None,
    as_json: bool,
    age: float | None,
    sex: str | None,
) -> None:
    """What your diary shows: factors that go with more or fewer cramps, and the trend.

    Factor results are associations in your own diary, not proof of cause.
    """
    from crampwise.analysis.insights import STEPS, build_insights
    from crampwise.diary.dates import date_range
    from crampwise.diary.factors import load_factors
    from crampwise.diary.store import open_store

    period = date_range(_day(start), _day(end), start_field="--from", end_field="--to")
    last = period.end
    with open_store() as store:
        episodes = store.list_episodes(period.start, period.end)
        days = store.list_days(period.start, period.end)
    dates = [e.day for e in episodes] + [d.day for d in days]
    long_diary = bool(dates) and (max(dates) - min(dates)).days > LONG_DIARY_DAYS
    factors = load_factors()
    if long_diary and not as_json:
        with click.progressbar(length=STEPS, label="Analysing your diary", file=sys.stderr) as bar:
            result = build_insights(
                episodes, days, factors=factors, today=last, progress=bar.update
            )
    else:
        result = build_insights(episodes, days, factors=factors, today=last)

    if result.empty:
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2))
        else:
            click.echo(result.messages[0])
        return
    assessment = words = None
    if age is not None and result.trend is not None:
        from crampwise.analysis.trend import retriage
        from crampwise.knowledge import load_knowledge

        kb = load_knowledge()
        assessment = retriage(result.trend.findings, age, sex, kb=kb)
        words = _retriage(assessment, kb)
    if out is not None and result.table is not None and result.triggers is not None:
        from crampwise.analysis.charts import write_charts

        paths = write_charts(result.table, result.triggers, out)
        if not as_json:
            for path in paths:
                click.echo(f"Wrote {path}", err=True)
    if as_json:
        click.echo(json.dumps(_json(result, assessment, age, sex), indent=2, default=str))
        return
    _render_text(result, words)


def _json(
    result: Insights, assessment: Assessment | None, age: float | None, sex: str | None
) -> dict[str, object]:
    data = result.to_dict()
    if assessment is not None:
        data["retriage"] = {
            "age": age,
            "sex": sex,
            "level": assessment.level,
            "rules": [{"id": r.id, "reason": r.reason} for r in assessment.triage.rules],
        }
    return data
