"""`crampwise sources`: every source the knowledge base cites, with its evidence grade."""

from __future__ import annotations

import json

import click

from crampwise.cli.text import echo_wrapped
from crampwise.knowledge import load_knowledge
from crampwise.knowledge.source_kinds import SOURCE_KIND_WORDS


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON.")
def sources(as_json: bool) -> None:
    """List every source the knowledge base cites, with its evidence grade."""
    kb = load_knowledge()
    if as_json:
        click.echo(json.dumps([s.model_dump() for s in kb.sources.values()], indent=2))
        return
    for grade in kb.grades.values():
        echo_wrapped(f"Grade {grade.grade}: {grade.meaning}", "    ", "")
    click.echo("")
    for s in kb.sources.values():
        click.echo(f"[{s.id}] grade {s.grade} · {SOURCE_KIND_WORDS[s.kind]}")
        echo_wrapped(s.citation, "    ")
        if s.url.startswith(("https://", "http://")):  # only an address a browser can open
            click.echo(f"    {s.url}")  # unwrapped, so it can be copied whole
