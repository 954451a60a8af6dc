"""`crampwise eval FILE`: score the assessment against a vignette file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crampwise.evaluation.metrics import evaluate as run_evaluation
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
    return "\n".join(lines)


@click.command(name="eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def evaluate(file: Path, as_json: bool) -> None:
    """Score the assessment against FILE, a JSON Lines vignette file with gold answers.

    Reports appropriate, under- and over-triage (overall and per gold level), cause@1 and
    cause@3, a confusion matrix and every miss. Exits 0 whenever the file could be scored,
    2 when it is malformed.
    """
    kb = load_knowledge()
    report = run_evaluation(load_vignettes(file, kb), kb)
    click.echo(json.dumps(report, indent=2) if as_json else render_report(report))
