"""Plain-text rendering of an assessment for a terminal: the triage level first."""

from __future__ import annotations

import textwrap

from crampwise.engine.result import Assessment, PlanItem, SourceRef

LEVEL_BANNER = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "doctor": "SEE A DOCTOR",
    "self_care": "SELF-CARE",
}
WIDTH = 78


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    )


def _cite(ids: tuple[str, ...], refs: dict[str, SourceRef]) -> str:
    return ", ".join(f"{sid} (grade {refs[sid].grade})" for sid in ids)


def _items(title: str, items: tuple[PlanItem, ...], refs: dict[str, SourceRef]) -> list[str]:
    if not items:
        return []
    lines = ["", title]
    for item in items:
        lines += _wrap(item.text, "    ", "  - ")
        lines.append(f"    [sources: {_cite(item.sources, refs)}]")
    return lines


def render_assessment(result: Assessment) -> str:
    t = result.triage
    banner = f"{LEVEL_BANNER[t.level]}: {t.headline}"
    lines = ["=" * WIDTH, banner, "=" * WIDTH]
    lines += _wrap(t.action)
    if t.rules:
        lines += ["", "Why:"]
        for rule in t.rules:
            lines += _wrap(rule.reason, "    ", "  - ")
    if t.other_rules:
        lines += ["", "Also worth mentioning to a doctor:"]
        for rule in t.other_rules:
            lines += _wrap(rule.reason, "    ", "  - ")

    lines += ["", "What may be contributing (guidance, not a diagnosis):"]
    if not result.causes:
        lines.append("  Not enough information to suggest a cause.")
    for rank, cause in enumerate(result.causes, start=1):
        lines.append(f"  {rank}. {cause.name} — {cause.strength} (score {cause.score:g})")
        if cause.supporting:
            lines += _wrap("because you said " + "; ".join(cause.supporting), "       ")
        if cause.against:
            lines += _wrap("against it: you said " + "; ".join(cause.against), "       ")
        lines.append(f"       [sources: {_cite(cause.sources, result.references)}]")

    plan = result.plan
    lines += _items("Relief now:", plan.relief_now, result.references)
    lines += _items("Prevention:", plan.prevention, result.references)
    lines += _items("Best avoided:", plan.avoid, result.references)
    lines += _items("When to seek care:", plan.seek_care, result.references)
    if result.unknown_warning_signs:
        lines += ["", "Warning signs you did not answer — if any applies, the advice changes:"]
        for sign in result.unknown_warning_signs:
            level = LEVEL_BANNER[sign.level].lower()
            lines += _wrap(f"{sign.meaning} ({level})", "    ", "  - ")
    lines += ["", "Sources:"]
    for ref in result.references.values():
        lines += _wrap(f"[{ref.id}] {ref.citation}", "      ", "  ")
        lines.append(f"      {ref.url}")  # unwrapped, so it can be copied whole
    lines += ["", *_wrap(result.disclaimer), f"(knowledge base {result.knowledge_version})"]
    return "\n".join(lines)
