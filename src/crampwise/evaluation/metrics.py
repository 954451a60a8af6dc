"""The evaluation report of the case format: appropriate, under- and over-triage, cause@k."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crampwise.engine.assess import assess
from crampwise.evaluation.vignettes import Vignette
from crampwise.knowledge import LEVEL_RANK as RANK
from crampwise.knowledge import TRIAGE_ORDER, KnowledgeBase


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def evaluate(vignettes: Sequence[Vignette], kb: KnowledgeBase) -> dict[str, Any]:
    """Score every vignette; the dict has exactly the keys the case format names."""
    rows = []
    for v in vignettes:
        result = assess(v.case, kb)
        rows.append((v, result.level, result.top_cause_ids(3)))
    n = len(rows)
    under = [r for r in rows if RANK[r[1]] < RANK[r[0].gold_triage]]
    over = [r for r in rows if RANK[r[1]] > RANK[r[0].gold_triage]]
    right = [r for r in rows if r[1] == r[0].gold_triage]
    by_level: dict[str, dict[str, Any]] = {}
    confusion: dict[str, dict[str, int]] = {}
    for level in reversed(TRIAGE_ORDER):
        group = [r for r in rows if r[0].gold_triage == level]
        if not group:
            continue
        by_level[level] = {
            "n": len(group),
            "appropriate": _share(sum(r[1] == level for r in group), len(group)),
            "under_triage": _share(sum(RANK[r[1]] < RANK[level] for r in group), len(group)),
            "over_triage": _share(sum(RANK[r[1]] > RANK[level] for r in group), len(group)),
        }
        confusion[level] = {
            given: sum(r[1] == given for r in group) for given in reversed(TRIAGE_ORDER)
        }
    misses = [
        {
            "id": v.id,
            "gold": v.gold_triage,
            "given": level,
            "expected_causes": list(v.gold_causes),
            "top_causes": top,
        }
        for v, level, top in rows
        if level != v.gold_triage or not top or top[0] != v.gold_causes[0]
    ]
    return {
        "n": n,
        "appropriate": _share(len(right), n),
        "under_triage": _share(len(under), n),
        "over_triage": _share(len(over), n),
        "cause_at_1": _share(sum(bool(t) and t[0] == v.gold_causes[0] for v, _, t in rows), n),
        "cause_at_3": _share(sum(v.gold_causes[0] in t for v, _, t in rows), n),
        "by_level": by_level,
        "confusion": confusion,
        "misses": misses,
    }
