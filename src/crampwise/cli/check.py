"""`crampwise check`: the interactive interview, or a case file assessed without questions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crampwise.case import read_case_file
from crampwise.cli.interview_tty import run_interview
from crampwise.cli.render import render_result
from crampwise.engine.assess import assess
from crampwise.engine.view import result_view
from crampwise.errors import CrampwiseError
from crampwise.evaluation.simulation import simulation_rows, simulation_summary
from crampwise.evaluation.vignettes import load_vignettes
from crampwise.knowledge import KnowledgeBase, load_knowledge

if TYPE_CHECKING:
    from crampwise.analysis.prefill import DiaryPrefill


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
@click.option(
    "--full",
    is_flag=True,
    help="Show every cause, all the advice on when to seek care, and the sources.",
)
@click.option(
    "--no-diary",
    is_flag=True,
    help="In the interview, ask everything: take nothing from your diary (how often, "
    "getting worse, when the cramps come). --case and --simulate never read the diary.",
)
def check(
    case_file: Path | None, simulate_file: Path | None, as_json: bool, full: bool, no_diary: bool
) -> None:
    """Assess your cramps.

    With no options, an interview in the terminal: warning signs first, then only the
    questions that could change the advice. Type 'b' to go back and '?' for don't know.
    When your diary has a few weeks of entries, what it shows (how often, getting worse,
    when the cramps come) is taken first and said; --no-diary asks everything instead.
    """
    kb = load_knowledge()
    note = ""  # which answers came from the diary, said above the causes
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
        prefill = None if no_diary else _read_diary()
        final = run_interview(kb, *((prefill.findings, prefill.sentence) if prefill else ()))
        result = assess(final.case(), kb)
        if final.known:
            from crampwise.analysis.prefill import diary_sentence

            note = diary_sentence(final.known)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(render_result(result_view(result, kb), full=full, diary_note=note))


def _read_diary() -> DiaryPrefill | None:
    """What the diary already answers, or None (no diary, too little in it, or unreadable).

    --case and --simulate never come here: they stay a pure function of their file.
    """
    from sqlalchemy.engine import make_url

    from crampwise.analysis.prefill import read_prefill
    from crampwise.diary.store import open_store
    from crampwise.storage.database import default_url

    url = default_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None  # no diary yet: do not create one just to look in it
    try:
        with open_store(url) as store:
            return read_prefill(store, date.today())
    except CrampwiseError as exc:
        click.echo(
            f"Your diary could not be read, so the check goes on without it: {exc}", err=True
        )
        return None


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
