"""`eval --from-text`: read each vignette's own words into a case and score what was read.

Findings precision and recall are micro-averaged over (finding id, value) pairs against the
vignette's case: booleans and choices match when identical, numbers when within ±25% or ±1,
whichever is larger.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from crampwise.case.model import FindingValue
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.evaluation.vignettes import Vignette
from crampwise.knowledge import KnowledgeBase


def values_match(gold: FindingValue, read: FindingValue) -> bool:
    """The case format's rule for one (finding id, value) pair."""
    if isinstance(gold, bool) or isinstance(read, bool) or isinstance(gold, str):
        return type(gold) is type(read) and gold == read
    if isinstance(read, str):
        return False
    return math.isclose(gold, read, abs_tol=max(1.0, 0.25 * abs(gold)))


def pair_counts(
    gold: Mapping[str, FindingValue], read: Mapping[str, FindingValue]
) -> tuple[int, int, int]:
    """(correct pairs, pairs read, gold pairs) for one case."""
    correct = sum(1 for fid, v in read.items() if fid in gold and values_match(gold[fid], v))
    return correct, len(read), len(gold)


def read_vignettes(vignettes: Sequence[Vignette], kb: KnowledgeBase) -> list[Vignette]:
    """Each vignette with its case replaced by the case read from its text."""
    from crampwise.text import read_text

    missing = [v for v in vignettes if not v.text]
    if missing:
        raise InvalidInputError(
            "--from-text needs a 'text' on every vignette",
            [FieldProblem("text", "required with --from-text", v.line) for v in missing],
        )
    out = []
    for v in vignettes:
        assert v.text is not None
        reading = read_text(v.text, age=v.case.age, sex=v.case.sex, kb=kb)
        out.append(replace(v, case=reading.case))
    return out


def findings_scores(gold: Sequence[Vignette], read: Sequence[Vignette]) -> dict[str, Any]:
    """``findings_precision`` and ``findings_recall`` over the whole file."""
    correct = n_read = n_gold = 0
    for g, r in zip(gold, read, strict=True):
        c, nr, ng = pair_counts(g.case.findings, r.case.findings)
        correct, n_read, n_gold = correct + c, n_read + nr, n_gold + ng
    return {
        "findings_precision": correct / n_read if n_read else 0.0,
        "findings_recall": correct / n_gold if n_gold else 0.0,
    }


__all__ = ["findings_scores", "pair_counts", "read_vignettes", "values_match"]
