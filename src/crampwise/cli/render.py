"""Plain-text rendering of a result view for a terminal: the triage level first.

The short form is meant to be read in a minute: the level and what to do, a notice first when
warning signs were left unanswered, the top causes, the plan, and only the warning signs that
would change this person's advice. ``full=True`` adds every cause, every "seek care" item and
the sources.
"""

from __future__ import annotations

import textwrap

from crampwise.cli.text import width
from crampwise.engine.result import SourceRef
from crampwise.engine.view import CauseView, PlanEntry, Reason, ResultView


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width(),
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,  # "high-heeled" stays one word
    )


def _cite(refs: tuple[SourceRef, ...]) -> str:
    return ", ".join(f"{ref.id} (grade {ref.grade})" for ref in refs)


def _reasons(title: str, reasons: tuple[Reason, ...]) -> list[str]:
    if not reasons:
        return []
    lines = ["", title]
    for reason in reasons:
        lines += _wrap(reason.text, "    ", "  - ")
    return lines


def _items(title: str, items: tuple[PlanEntry, ...], full: bool) -> list[str]:
    if not items:
        return []
    lines = ["", title]
    for item in items:
        lines += _wrap(item.text, "    ", "  - ")
        if full:
            lines.append(f"    [sources: {_cite(item.sources)}]")
    return lines


def _causes(view: ResultView, full: bool) -> list[str]:
    lines = ["", "What may be contributing (guidance, not a diagnosis):"]
    if not view.causes:
        lines.append("  Not enough information to suggest a cause.")
    causes: tuple[CauseView, ...] = view.causes if full else view.top_causes
    for rank, cause in enumerate(causes, start=1):
        score = f" (score {cause.score:g})" if full else ""
        lines.append(f"  {rank}. {cause.name} — {cause.strength}{score}")
        if cause.supporting:
            lines += _wrap("because you said " + "; ".join(cause.supporting), "       ")
        if cause.against:
            lines += _wrap("against it: you said " + "; ".join(cause.against), "       ")
        if full:
            lines.append(f"       [sources: {_cite(cause.sources)}]")
    if not full and view.more_causes:
        n = len(view.more_causes)
        lines.append(f"  ({n} less likely cause{'s' if n > 1 else ''}: add --full to see them.)")
    return lines


def _warning_signs(view: ResultView) -> list[str]:
    if not view.unanswered:
        return []
    lines = ["", "Warning signs you did not answer — if any applies, the advice changes:"]
    for group in view.unanswered:
        lines += _wrap("; ".join(group.meanings) + ".", "    ", f"  {group.level.label}: ")
    return lines


def render_result(view: ResultView, full: bool = False, diary_note: str = "") -> str:
    """``diary_note`` says which answers came from the diary (``analysis.prefill``)."""
    level = view.level
    rule = "=" * width()
    lines = [rule, f"{level.name.upper()}: {level.headline}", rule]
    if view.unanswered_notice:
        lines += _wrap(view.unanswered_notice, "  ", "! ")
    lines += _wrap(level.action)
    lines += _reasons("Why:", view.reasons)
    lines += _reasons("Also worth mentioning to a doctor:", view.other_reasons)
    if diary_note and view.causes:
        lines += ["", *_wrap(diary_note)]
    lines += _causes(view, full)
    lines += _items("Relief now:", view.relief_now, full)
    lines += _items("Prevention:", view.prevention, full)
    lines += _items("Best avoided:", view.avoid, full)
    lines += _warning_signs(view)
    lines += _items("When to seek care:", view.seek_care if full else view.sooner, full)
    lines += ["", *_wrap(view.disclaimer), f"(knowledge base {view.knowledge_version})"]
    if not full:
        lines.append("Every cause, all the advice on when to seek care, and the sources: --full.")
        return "\n".join(lines)
    lines += ["", "Sources:"]
    for ref in view.sources:
        lines += _wrap(f"[{ref.id}] {ref.citation}", "      ", "  ")
        lines.append(f"      {ref.url}")  # unwrapped, so it can be copied whole
    return "\n".join(lines)
