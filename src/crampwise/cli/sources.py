"""`crampwise sources`: every source the knowledge base cites, with its evidence grade."""

from __future__ import annotations

import json

import click

from crampwise.knowledge import load_knowledge


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON.")
def sources(as_json: bool) -> None:
    """List every source the knowledge base cites, with its evidence grade."""
    kb = load_knowledge()
    if as_json:
        click.echo(json.dumps([s.model_dump() for s in kb.sources.values()], indent=2))
        return
    for grade in kb.grades.values():
        click.echo(f"Grade {grade.grade}: {grade.meaning}")
    click.echo("")
    for s in kb.sources.values():
        click.echo(f"[{s.id}] grade {s.grade} · {s.kind}\n    {s.citation}\n    {s.url}")
