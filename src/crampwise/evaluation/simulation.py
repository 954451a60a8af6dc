"""Interview lengths: run the interview on cases, answering from each case, and summarise.

A finding the case does not list is answered "don't know". One row per case says how many
questions were asked and whether the interview ended at the triage the full case gets.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from crampwise.case import Case
from crampwise.engine.assess import assess
from crampwise.engine.interview import simulate
from crampwise.evaluation.vignettes import Vignette
from crampwise.knowledge import TRIAGE_ORDER, KnowledgeBase


def simulation_rows(cases: Iterable[tuple[str, Case]], kb: KnowledgeBase) -> list[dict[str, Any]]:
    """One row per case: the questions asked and the triage of the interview and full case."""
    rows: list[dict[str, Any]] = []
    for case_id, case in cases:
        sim = simulate(case, kb)
        full = assess(case, kb).level
        interviewed = assess(sim.state.case(), kb).level
        rows.append(
            {
                "id": case_id,
                "questions": len(sim.asked),
                "asked": list(sim.asked),
                "triage_interview": interviewed,
                "triage_full_case": full,
                "same_triage": interviewed == full,
            }
        )
    return rows


def simulation_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The case format's summary: n, median and max questions, how many kept the triage."""
    lengths = [int(r["questions"]) for r in rows]
    return {
        "n": len(rows),
        "median_questions": statistics.median(lengths) if lengths else 0,
        "max_questions": max(lengths, default=0),
        "same_triage": sum(bool(r["same_triage"]) for r in rows),
    }


def _lengths(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    summary = simulation_summary(rows)
    return {
        "n": summary["n"],
        "median_questions": summary["median_questions"],
        "max_questions": summary["max_questions"],
        "different_triage": summary["n"] - summary["same_triage"],
    }


def interview_report(vignettes: Sequence[Vignette], kb: KnowledgeBase) -> dict[str, Any]:
    """Interview lengths overall and by gold level, and every case whose triage changed."""
    rows = simulation_rows(((v.id, v.case) for v in vignettes), kb)
    gold = {v.id: v.gold_triage for v in vignettes}
    by_level = {
        level: _lengths(group)
        for level in reversed(TRIAGE_ORDER)
        if (group := [r for r in rows if gold[r["id"]] == level])
    }
    return {
        **_lengths(rows),
        "by_level": by_level,
        "different": [
            {
                "id": r["id"],
                "gold": gold[r["id"]],
                "questions": r["questions"],
                "triage_interview": r["triage_interview"],
                "triage_full_case": r["triage_full_case"],
            }
            for r in rows
            if not r["same_triage"]
        ],
    }
