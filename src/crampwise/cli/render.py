"""Plain-text rendering of a result view for a terminal: the triage level first."""

from __future__ import annotations

import textwrap

from crampwise.cli.text import width
from crampwise.engine.result import SourceRef
from crampwise.engine.view import PlanEntry, Reason, ResultView


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


def _items(title: str, items: tuple[PlanEntry, ...]) -> list[str]:
    if not items:
        return []
    lines = ["", title]
    for item in items:
        lines += _wrap(item.text, "    ", "  - ")
        lines.append(f"    [sources: {_cite(item.sources)}]")
    return lines


def _causes(view: ResultView) -> list[str]:
    lines = ["", "What may be contributing (guidance, not a diagnosis):"]
    if not view.causes:
        lines.append("  Not enough information to suggest a cause.")
    for rank, cause in enumerate(view.causes, start=1):
        lines.append(f"  {rank}. {cause.name} — {cause.strength} (score {cause.score:g})")
        if cause.supporting:
            lines += _wrap("because you said " + "; ".join(cause.supporting), "       ")
        if cause.against:
            lines += _wrap("against it: you said " + "; ".join(cause.against), "       ")
        lines.append(f"       [sources: {_cite(cause.sources)}]")
    return lines


def render_result(view: ResultView) -> str:
    level = view.level
    rule = "=" * width()
    lines = [rule, f"{level.name.upper()}: {level.headline}", rule]
    lines += _wrap(level.action)
    lines += _reasons("Why:", view.reasons)
    lines += _reasons("Also worth mentioning to a doctor:", view.other_reasons)
    lines += _causes(view)
    lines += _items("Relief now:", view.relief_now)
    lines += _items("Prevention:", view.prevention)
    lines += _items("Best avoided:", view.avoid)
    lines += _items("When to seek care:", view.seek_care)
    if view.unknown_warning_signs:
        lines += ["", "Warning signs you did not answer — if any applies, the advice changes:"]
        for sign in view.unknown_warning_signs:
            lines += _wrap(f"{sign.meaning} ({sign.level.name.lower()})", "    ", "  - ")
    lines += ["", "Sources:"]
    for ref in view.sources:
        lines += _wrap(f"[{ref.id}] {ref.citation}", "      ", "  ")
        lines.append(f"      {ref.url}")  # unwrapped, so it can be copied whole
    lines += ["", *_wrap(view.disclaimer), f"(knowledge base {view.knowledge_version})"]
    return "\n".join(lines)
