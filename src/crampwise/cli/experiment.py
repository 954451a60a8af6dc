"""``crampwise experiment``: test a remedy on yourself in randomised blocks (N-of-1).

Each command opens the diary, calls one function of ``crampwise.experiments.running`` and
prints what comes back; ``--json`` prints the shape the API gives. The library loads inside
the commands, so ``crampwise --help`` stays quick.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crampwise.cli.diary import open_diary
from crampwise.cli.text import echo_wrapped
from crampwise.errors import FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.experiments.analysis import ExperimentResult
    from crampwise.experiments.store import Experiment

DATE = click.DateTime(formats=["%Y-%m-%d"])
JSON_HELP = "Print JSON instead of text."
ID_HELP = "Which experiment (default: the running one, else the latest)."

# Library fields -> the options the user typed, for error messages.
_OPTION_FOR = {
    "remedy": "--remedy",
    "pairs": "--pairs",
    "block_days": "--block-days",
    "start": "--start",
    "seed": "--seed",
    "date": "--date",
    "id": "--id",
}


def _as_options(exc: InvalidInputError) -> InvalidInputError:
    problems = [FieldProblem(_OPTION_FOR.get(p.field, p.field), p.message) for p in exc.problems]
    return type(exc)(exc.message, problems)


def _print_json(doc: Any) -> None:
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@click.group("experiment")
def experiment() -> None:
    """Test a remedy on yourself: a randomised N-of-1 experiment.

    Pick a remedy (crampwise experiment remedies), start it; crampwise draws which weeks are
    remedy weeks and which your usual routine. Log cramps as usual (crampwise log), check in
    once a day, and read the result at any time. One experiment runs at a time.
    """


# ---------------------------------------------------------------- remedies


@experiment.command("remedies")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def remedies(as_json: bool) -> None:
    """List the remedies you can test, how to do each, and who should not try it."""
    from crampwise.experiments.remedies import load_remedy_file

    data = load_remedy_file()
    if as_json:
        _print_json(
            {
                "remedies": [r.to_dict() for r in data.remedies.values()],
                "excluded": [x.to_dict() for x in data.excluded.values()],
            }
        )
        return
    for r in data.remedies.values():
        click.echo(f"{r.id}: {r.name}")
        echo_wrapped(f"How: {r.how}", "    ", "  ")
        click.echo(
            f"  Blocks of {r.block_days} days, the first {r.washout_days} not counted "
            f"(washout); evidence grade {r.grade}, sources {', '.join(r.sources)}."
        )
        for reason in (n.reason for n in r.not_for):
            echo_wrapped(f"Who should not try it: {reason}", "    ", "  ")
        click.echo()
    for x in data.excluded.values():
        echo_wrapped(f"Never tested here: {x.name}. {' '.join(x.reason.split())}")


# ---------------------------------------------------------------- start


@experiment.command("start")
@click.option("--remedy", "remedy_id", required=True, metavar="ID", help="Which remedy to test.")
@click.option("--pairs", type=int, help="How many pairs of blocks (1-12). Default: 3.")
@click.option(
    "--block-days", type=int, help="Days in each block. Default: the remedy's (usually 7)."
)
@click.option("--start", "start_on", type=DATE, help="First day, YYYY-MM-DD. Default: today.")
@click.option(
    "--seed",
    type=int,
    help="Random seed for the order (0-2147483647). Default: drawn now; it is recorded.",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def start(
    remedy_id: str,
    pairs: int | None,
    block_days: int | None,
    start_on: datetime | None,
    seed: int | None,
    as_json: bool,
) -> None:
    """Start an experiment: draws the order of remedy and usual blocks and shows it."""
    from crampwise.experiments import running
    from crampwise.experiments.summary import experiment_dict

    today = date.today()
    with open_diary() as store:
        try:
            e = running.start(
                store,
                remedy_id,
                today=today,
                now=datetime.now(),
                pairs=pairs,
                block_days=block_days,
                start_on=start_on.date() if start_on else None,
                seed=seed,
            )
        except InvalidInputError as exc:
            raise _as_options(exc) from None
    if as_json:
        _print_json(experiment_dict(e, today))
        return
    chosen = running.remedy(e.remedy)
    plan = e.schedule
    click.echo(
        f"Experiment {e.id} started: {chosen.name}, {plan.pairs} pairs of {plan.block_days}-day "
        f"blocks, {e.start_date.isoformat()} to {e.end_date.isoformat()} (seed {plan.seed})."
    )
    _print_blocks(e)
    echo_wrapped(
        "Log cramps as usual (crampwise log). Each day, check in: crampwise experiment checkin "
        "--done yes (you did the remedy) or --done no. See today's plan: crampwise experiment "
        "status."
    )


def _print_blocks(e: Experiment) -> None:
    plan = e.schedule
    for block in range(plan.pairs * 2):
        days = [d for d in plan.days if d.block == block]
        washout = sum(1 for d in days if not d.counted)
        note = f" (first {washout} days not counted)" if washout else ""
        click.echo(
            f"  {days[0].date.isoformat()} to {days[-1].date.isoformat()}  "
            f"{'remedy' if days[0].arm == 'remedy' else 'usual routine'}{note}"
        )


# ---------------------------------------------------------------- checkin


@experiment.command("checkin")
@click.option("--date", "day", type=DATE, help="Which day, YYYY-MM-DD. Default: today.")
@click.option(
    "--done",
    type=click.Choice(["yes", "no"]),
    required=True,
    help="Did you do the remedy that day? (On a usual-routine day the plan asks for no.)",
)
@click.option(
    "--id",
    "experiment_id",
    type=int,
    help="Which experiment (default: the one running on that day).",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def checkin(day: datetime | None, done: str, experiment_id: int | None, as_json: bool) -> None:
    """Answer "did you do it today?". A second answer for the same day replaces the first."""
    from crampwise.experiments import running

    today = date.today()
    with open_diary() as store:
        try:
            e, answer = running.check_in(
                store,
                done == "yes",
                today=today,
                now=datetime.now(),
                day=day.date() if day else None,
                experiment_id=experiment_id,
            )
        except InvalidInputError as exc:
            raise _as_options(exc) from None
    scheduled = e.day(answer.day)
    assert scheduled is not None
    if as_json:
        _print_json(
            {
                "id": e.id,
                "date": answer.day.isoformat(),
                "done": answer.done,
                "arm": scheduled.arm,
                "counted": scheduled.counted,
            }
        )
        return
    number = (answer.day - e.start_date).days + 1
    kind = "remedy day" if scheduled.arm == "remedy" else "usual-routine day"
    said = "did the remedy" if answer.done else "did not do the remedy"
    click.echo(
        f"Checked in for {answer.day.isoformat()} (day {number} of {len(e.schedule.days)}, "
        f"{kind}): you {said}."
    )
    if scheduled.arm == "usual" and answer.done:
        echo_wrapped("That was a usual-routine day: on those days the plan is to leave it out.")


# ---------------------------------------------------------------- status


@experiment.command("status")
@click.option("--id", "experiment_id", type=int, help=ID_HELP)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def status(experiment_id: int | None, as_json: bool) -> None:
    """What to do today, how far along the experiment is, and adherence so far."""
    from crampwise.experiments import running
    from crampwise.experiments.summary import status_dict

    today = date.today()
    with open_diary() as store:
        e = running.find(store, experiment_id, today)
        cramps = running.cramp_dates(store, e)
    chosen = running.remedy(e.remedy)
    doc = status_dict(e, chosen, cramps, today)
    if as_json:
        _print_json(doc)
        return
    click.echo(f"Experiment {e.id}: {chosen.name} ({_state(doc)}).")
    plan = doc["today"]
    if plan is not None:
        echo_wrapped(
            f"Today ({plan['date']}, day {plan['day_number']} of "
            f"{doc['progress']['days_total']}): {plan['instruction']}"
        )
        answered = {
            None: "not yet",
            True: "yes (you did the remedy)",
            False: "yes (you did not do the remedy)",
        }[plan["checked_in"]]
        click.echo(f"Checked in today: {answered}.")
        if plan["checked_in"] is None:
            click.echo("  crampwise experiment checkin --done yes   (or --done no)")
    p = doc["progress"]
    click.echo(
        f"Progress: {p['days_passed']} of {p['days_total']} days, {p['days_left']} left; "
        f"counted so far: {doc['days']['remedy']} remedy and {doc['days']['usual']} usual days."
    )
    adherence = doc["adherence"]
    click.echo(
        "Adherence so far: "
        + (
            "no counted remedy days yet"
            if adherence is None
            else f"{adherence:.0%} of remedy days done"
        )
        + (f"; {p['checkins_missed']} days without a check-in." if p["checkins_missed"] else ".")
    )
    click.echo(
        f"Cramps on counted days: {doc['cramps']['remedy']} remedy, {doc['cramps']['usual']} usual."
    )


def _state(doc: dict[str, Any]) -> str:
    words = {
        "planned": f"starts {doc['start']}",
        "running": f"running until {doc['end']}",
        "finished": f"finished {doc['end']}",
        "stopped": f"stopped {doc['stopped_on']}",
    }
    return words[doc["status"]]


# ---------------------------------------------------------------- result


@experiment.command("result")
@click.option("--id", "experiment_id", type=int, help=ID_HELP)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the chart of cramps per day by arm (SVG) to this file.",
)
def result(experiment_id: int | None, as_json: bool, chart_path: Path | None) -> None:
    """What the experiment shows so far: the rate ratio, its interval, and what it means."""
    from crampwise.experiments import running

    today = date.today()
    with open_diary() as store:
        e = running.find(store, experiment_id, today)
        cramps = running.cramp_dates(store, e)
    found = running.result(e, cramps, today)
    if chart_path is not None:
        try:
            chart_path.write_text(running.chart(e, cramps, today), encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(
                "cannot write the chart", [FieldProblem("--chart", f"{chart_path}: {exc.strerror}")]
            ) from None
    if as_json:
        _print_json({"id": e.id, "status": e.status(today), **found.to_dict()})
        return
    _print_result(e, found, today)


def _print_result(e: Experiment, r: ExperimentResult, today: date) -> None:
    from crampwise.experiments import running

    chosen = running.remedy(e.remedy)
    click.echo(f"Experiment {e.id}: {chosen.name} ({e.status(today)}, as of {r.today}).")
    echo_wrapped(f"Result: {r.verdict[:1].upper()}{r.verdict[1:]}.")
    click.echo(
        f"Cramps: {r.cramps['remedy']} on {r.days['remedy']} counted remedy days, "
        f"{r.cramps['usual']} on {r.days['usual']} counted usual days."
    )
    if r.rate_ratio is not None and r.interval is not None:
        lo, hi = r.interval
        echo_wrapped(
            f"Rate ratio (remedy ÷ usual) {r.rate_ratio:.2f}, 95% interval {lo:.2f} to "
            f"{hi:.2f}; chance of any benefit {r.p_benefit:.0%}, of a benefit of 20% or more "
            f"{r.p_benefit_20:.0%}."
        )
    if r.adherence is not None:
        click.echo(f"Adherence: the remedy was done on {r.adherence:.0%} of its counted days.")
    if r.caveats:
        click.echo("Keep in mind:")
        for caveat in r.caveats:
            echo_wrapped(caveat, "    ", "  - ")
    echo_wrapped(r.prior)
    echo_wrapped(r.seek_care)


# ---------------------------------------------------------------- stop, list


@experiment.command("stop")
@click.option(
    "--id", "experiment_id", type=int, help="Which experiment (default: the running one)."
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def stop(experiment_id: int | None, as_json: bool) -> None:
    """Stop the experiment early: today is its last day; the result covers the days so far."""
    from crampwise.experiments import running
    from crampwise.experiments.summary import experiment_dict

    today = date.today()
    with open_diary() as store:
        try:
            e = running.stop(store, today=today, experiment_id=experiment_id)
        except InvalidInputError as exc:
            raise _as_options(exc) from None
    if as_json:
        _print_json(experiment_dict(e, today))
        return
    click.echo(
        f"Stopped experiment {e.id} ({e.remedy}) on {today.isoformat()}. "
        f"See what it shows so far: crampwise experiment result --id {e.id}"
    )


@experiment.command("list")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def list_(as_json: bool) -> None:
    """List your experiments, oldest first."""
    from crampwise.experiments.store import ExperimentStore
    from crampwise.experiments.summary import experiment_dict

    today = date.today()
    with open_diary() as store:
        found = ExperimentStore(store).all()
    if as_json:
        _print_json([experiment_dict(e, today) for e in found])
        return
    if not found:
        click.echo("No experiments yet. See what you can test: crampwise experiment remedies")
        return
    for e in found:
        click.echo(
            f"{e.id}  {e.remedy}  {e.start_date.isoformat()} to {e.end_date.isoformat()}  "
            f"{e.status(today)}  ({len(e.checkins)} check-ins)"
        )
