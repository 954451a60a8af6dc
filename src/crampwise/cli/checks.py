"""`crampwise checks`: the saved checks, newest first, and one of them opened again."""

from __future__ import annotations

import json

import click


@click.command("checks")
@click.argument("check_id", metavar="[ID]", required=False, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--full",
    is_flag=True,
    help="With an ID: every cause, all the advice on when to seek care, and the sources.",
)
def checks(check_id: int | None, as_json: bool, full: bool) -> None:
    """List your saved checks, newest first (id, when, level, most likely cause); with an
    ID, show that check's saved result again, as the check showed it.

    Save a check at the end of the web check ("Save to my diary").
    """
    from crampwise.cli.diary import open_diary
    from crampwise.cli.history import printable
    from crampwise.diary.pages import saved_check, saved_checks
    from crampwise.diary.saved_checks import saved_view, summary
    from crampwise.knowledge import load_knowledge

    with open_diary() as store:
        if check_id is None:
            found = saved_checks(store)
        else:
            one = saved_check(store, check_id)
    kb = load_knowledge()
    if check_id is None:
        rows = [summary(c) for c in found]
        if as_json:
            click.echo(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
            return
        if not rows:
            click.echo("No saved checks. Save one at the end of the web check (crampwise serve).")
            return
        from crampwise.cli.text import table

        levels = {level: info.label for level, info in kb.levels.items()}
        cells: list[tuple[str, ...]] = [
            (
                str(r.id),
                r.created_at.replace("T", " "),
                levels.get(r.level, r.level),
                printable(r.top_cause or ""),
            )
            for r in rows
        ]
        click.echo(f"Saved checks ({len(rows)}), newest first")
        click.echo(table(("id", "saved", "level", "most likely cause"), cells, wrap=3))
        click.echo("\nOpen one with: crampwise checks ID")
        return
    if as_json:
        doc = {
            "id": one.id,
            "created_at": one.created_at.isoformat(),
            "knowledge_version": one.knowledge_version,
            "case": one.case,
            "result": one.result,
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    from crampwise.cli.render import render_result

    view, reworked = saved_view(one, kb)
    click.echo(f"Saved check #{one.id} of {one.created_at:%Y-%m-%d %H:%M}")
    if reworked:
        click.echo(reworked)
    click.echo(render_result(view, full=full))
