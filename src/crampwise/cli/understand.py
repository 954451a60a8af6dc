"""`crampwise understand "TEXT" --age N`: what crampwise reads from a description."""

from __future__ import annotations

import json

import click

from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.knowledge.schema import AGE_MAX, AGE_MIN, SEXES
from crampwise.text import TextReading, read_text
from crampwise.text.description import check_description


def _value(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_reading(reading: TextReading, kb: KnowledgeBase) -> str:
    """A readable list: each finding understood, its value and the words it came from."""
    findings = reading.case.findings
    if not findings:
        return (
            "Nothing was understood from this description. Try saying where the cramps are, "
            "when they come on and how often, or run `crampwise check` for the interview."
        )
    lines = [f"Understood {len(findings)} finding(s):"]
    order = list(kb.findings)
    for fid in sorted(findings, key=order.index):
        finding = kb.findings[fid]
        unit = f" {finding.unit}" if finding.unit and finding.type != "bool" else ""
        words = "; ".join(f'"{s.words}"' for s in reading.spans.get(fid, ()))
        lines.append(f"  {finding.meaning}: {_value(findings[fid])}{unit}  (from {words})")
    lines.append("")
    lines.append(
        "Anything not listed is unknown, not 'no'. Check each line: `crampwise check --text` "
        "lets you correct them and asks what is missing."
    )
    return "\n".join(lines)


@click.command()
@click.argument("text")
@click.option("--age", type=float, required=True, help=f"Age in years ({AGE_MIN}-{AGE_MAX}).")
@click.option("--sex", type=click.Choice(SEXES), default=None, help="female, male or other.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"case": <a crampwise-case/1 case>, "evidence": {"finding_id": ["span", …]}}.',
)
def understand(text: str, age: float, sex: str | None, as_json: bool) -> None:
    """Read TEXT, a description of your cramps in your own words, into findings.

    Shows each finding understood with the words it was read from. Nothing is stored and
    nothing leaves this computer. Exits 2 on an empty or over-long text or a bad age.
    """
    text = check_description(text, "text")
    kb = load_knowledge()
    reading = read_text(text, age=age, sex=sex, kb=kb)
    if as_json:
        payload = {"case": reading.case.to_dict(), "evidence": reading.evidence}
        click.echo(json.dumps(payload, indent=2))
    else:
        click.echo(render_reading(reading, kb))


__all__ = ["render_reading", "understand"]
