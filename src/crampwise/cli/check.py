"""`crampwise check`: the interactive interview, or a case file assessed without questions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crampwise.case import read_case_file
from crampwise.cli.interview_tty import interactive, run_interview
from crampwise.cli.render import render_result
from crampwise.engine.assess import assess
from crampwise.engine.view import result_view
from crampwise.errors import CrampwiseError
from crampwise.evaluation.simulation import (
    simulation_rows,
    simulation_summary,
    text_simulation_rows,
    vignette_texts,
)
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
@click.option(
    "--text",
    "description",
    metavar="TEXT",
    help="Start the interview from a description in your own words: what crampwise "
    "understood is shown to correct, then the warning signs it left open (one list) and "
    "only what could still change the advice are asked. Without --text, "
    "the interview at a terminal asks for one first (Enter skips it).",
)
@click.option(
    "--from-text",
    is_flag=True,
    help="With --simulate on a .jsonl vignette file: pre-fill each interview from the "
    "vignette's text, then answer the rest of the interview after a description from its "
    "case.",
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
    case_file: Path | None,
    simulate_file: Path | None,
    description: str | None,
    from_text: bool,
    as_json: bool,
    full: bool,
    no_diary: bool,
) -> None:
    """Assess your cramps.

    With no options, an interview in the terminal: warning signs first, then only the
    questions that could change the advice. Type 'b' to go back and '?' for don't know.
    A description in your own words (--text, or the first prompt at a terminal) is read
    first: you see what was understood, correct it, and only what is missing is asked.
    When your diary has a few weeks of entries, what it shows (how often, getting worse,
    when the cramps come) is taken first and said; --no-diary asks everything instead.
    """
    kb = load_knowledge()
    note = ""  # which answers came from the diary, said above the causes
    if case_file and simulate_file:
        raise click.UsageError("use either --case or --simulate, not both")
    if from_text and not simulate_file:
        raise click.UsageError("--from-text goes with --simulate FILE")
    if description is not None and (case_file or simulate_file):
        raise click.UsageError("--text starts the interview: it goes without --case or --simulate")
    if simulate_file:
        _simulate(simulate_file, kb, as_json, from_text)
        return
    if case_file:
        result = assess(read_case_file(case_file, kb), kb)
    else:
        if as_json:
            raise click.UsageError("--json needs --case or --simulate")
        if description is not None:
            from crampwise.web.interview_codec import check_description

            description = check_description(description, "--text")  # before any question
        prefill = None if no_diary else _read_diary()
        final = run_interview(
            kb,
            prefill.findings if prefill else None,
            prefill.sentence if prefill else "",
            text=description,
            ask_text=description is None and interactive(),
        )
        result = assess(final.case(), kb)
        if prefill:
            from crampwise.analysis.prefill import diary_sentence

            # Only what the diary answered and the person did not change is credited to it.
            kept = {k: v for k, v in prefill.findings.items() if final.known.get(k) == v}
            note = diary_sentence(kept)
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


def _simulate(path: Path, kb: KnowledgeBase, as_json: bool, from_text: bool = False) -> None:
    if from_text:
        if path.suffix.lower() != ".jsonl":
            raise click.UsageError("--from-text needs a .jsonl vignette file (a text per case)")
        rows = text_simulation_rows(vignette_texts(path, load_vignettes(path, kb)), kb)
    elif path.suffix.lower() == ".jsonl":
        rows = simulation_rows([(v.id, v.case) for v in load_vignettes(path, kb)], kb)
    else:
        rows = simulation_rows([(path.name, read_case_file(path, kb))], kb)
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
