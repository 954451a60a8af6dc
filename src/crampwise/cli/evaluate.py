"""`crampwise eval FILE`: score the assessment against a vignette file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crampwise.evaluation.metrics import evaluate as run_evaluation
from crampwise.evaluation.simulation import interview_report
from crampwise.evaluation.vignettes import load_vignettes
from crampwise.knowledge import TRIAGE_ORDER, load_knowledge


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['n']} vignettes",
        f"appropriate triage  {_pct(report['appropriate'])}",
        f"under-triage        {_pct(report['under_triage'])}",
        f"over-triage         {_pct(report['over_triage'])}",
        f"cause@1             {_pct(report['cause_at_1'])}",
        f"cause@3             {_pct(report['cause_at_3'])}",
        "",
        "by gold level        n  appropriate  under  over",
    ]
    for level, row in report["by_level"].items():
        lines.append(
            f"  {level:<14} {row['n']:>5}  {_pct(row['appropriate']):>11}"
            f"  {_pct(row['under_triage']):>5}  {_pct(row['over_triage']):>5}"
        )
    levels = list(reversed(TRIAGE_ORDER))
    lines += [
        "",
        "confusion (rows gold, columns given)",
        " " * 12 + "".join(f"{g:>11}" for g in levels),
    ]
    for gold, given in report["confusion"].items():
        lines.append(f"{gold:<12}" + "".join(f"{given[g]:>11}" for g in levels))
    lines += ["", f"misses ({len(report['misses'])}):"]
    for miss in report["misses"]:
        lines.append(
            f"  {miss['id']}: gold {miss['gold']} → given {miss['given']}; expected "
            f"{', '.join(miss['expected_causes'])}; top {', '.join(miss['top_causes']) or '-'}"
        )
    if "findings_precision" in report:
        lines += [
            "",
            "read from the text (--from-text)",
            f"findings precision  {_pct(report['findings_precision'])}",
            f"findings recall     {_pct(report['findings_recall'])}",
        ]
    if "interview" in report:
        lines += render_interview(report["interview"])
    return "\n".join(lines)


def render_interview(interview: dict[str, Any]) -> list[str]:
    """The --simulate section: interview lengths by gold level and any changed triage."""
    lines = [
        "",
        'interview (--simulate: unlisted findings answered "don\'t know")',
        f"{'questions by gold level':<21}{'n':>5}  median  max  triage differs from full case",
    ]
    rows = [("all", interview), *interview["by_level"].items()]
    for level, row in rows:
        lines.append(
            f"  {level:<18} {row['n']:>5}  {row['median_questions']:>6g}  {row['max_questions']:>3}"
            f"  {row['different_triage']}"
        )
    for diff in interview["different"]:
        lines.append(
            f"  {diff['id']}: interview {diff['triage_interview']}, full case "
            f"{diff['triage_full_case']} (gold {diff['gold']}) after {diff['questions']} questions"
        )
    return lines


@click.command(name="eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--simulate",
    is_flag=True,
    help='Also run the interview on every case (unlisted findings answered "don\'t know") and '
    "report its length by gold level and the cases whose triage differs from the full case "
    "(the JSON gains an 'interview' key).",
)
@click.option(
    "--from-text",
    is_flag=True,
    help="Assess the case read from each vignette's text (with its case's age and sex) "
    "instead of its case, and add findings_precision and findings_recall: (finding, value) "
    "pairs read against the case's findings, numbers equal within 25% or 1.",
)
def evaluate(file: Path, as_json: bool, simulate: bool, from_text: bool) -> None:
    """Score the assessment against FILE, a JSON Lines vignette file with gold answers.

    Reports appropriate, under- and over-triage (overall and per gold level), cause@1 and
    cause@3, a confusion matrix and every miss. With --from-text the case assessed is the one
    read from each vignette's own words. Exits 0 whenever the file could be scored,
    2 when it is malformed.
    """
    kb = load_knowledge()
    vignettes = load_vignettes(file, kb)
    if from_text:
        from crampwise.evaluation.from_text import findings_scores, read_vignettes

        read = read_vignettes(vignettes, kb)
        report = run_evaluation(read, kb)
        report.update(findings_scores(vignettes, read))
    else:
        report = run_evaluation(vignettes, kb)
    if simulate:
        report["interview"] = interview_report(vignettes, kb)
    click.echo(json.dumps(report, indent=2) if as_json else render_report(report))
