"""`crampwise check`: the interactive interview, or a case file assessed without questions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crampwise.case import read_case_file
from crampwise.cli.interview_tty import run_interview
from crampwise.cli.render import render_result
from crampwise.engine.assess import assess
from crampwise.engine.view import result_view
from crampwise.evaluation.simulation import simulation_rows, simulation_summary
from crampwise.evaluation.vignettes import load_vignettes
from crampwise.knowledge import KnowledgeBase, load_knowledge


@click.command()
@click.option(
    "--case",
    "case_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Assess this case file (JSON, or YAML if named .yaml/.yml) without asking questions.",
)
@click.option(
    "--simulate",
    "simulate_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run the interview answering from a case file (or every case of a .jsonl vignette "
    "file), treating what it does not say as 'don't know', and report the questions asked.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(case_file: Path | None, simulate_file: Path | None, as_json: bool) -> None:
    """Assess your cramps.

    With no options, an interview in the terminal: warning signs first, then only the
    questions that could change the advice. Type 'b' to go back and '?' for don't know.
    """
    kb = load_knowledge()
    if case_file and simulate_file:
        raise click.UsageError("use either --case or --simulate, not both")
    if simulate_file:
        _simulate(simulate_file, kb, as_json)
        return
    if case_file:
        result = assess(read_case_file(case_file, kb), kb)
    else:
        if as_json:
            raise click.UsageError("--json needs --case or --simulate")
        final = run_interview(kb)
        result = assess(final.case(), kb)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(render_result(result_view(result, kb)))


def _simulate(path: Path, kb: KnowledgeBase, as_json: bool) -> None:
    if path.suffix.lower() == ".jsonl":
        cases = [(v.id, v.case) for v in load_vignettes(path, kb)]
    else:
        cases = [(path.name, read_case_file(path, kb))]
    rows = simulation_rows(cases, kb)
    summary = simulation_summary(rows)
    if as_json:
        click.echo(json.dumps({"summary": summary, "cases": rows}, indent=2))
        return
    for r in rows:
        mark = "same" if r["same_triage"] else "DIFFERENT"
        click.echo(
            f"{r['id']}: {r['questions']} questions; triage {r['triage_interview']} "
            f"(full case: {r['triage_full_case']}, {mark})"
        )
        click.echo("    " + ", ".join(r["asked"]))
    click.echo(
        f"{summary['n']} case(s): median {summary['median_questions']:g} questions, "
        f"max {summary['max_questions']}, same triage as the full case in "
        f"{summary['same_triage']}/{summary['n']}"
    )
