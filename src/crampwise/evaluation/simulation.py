"""Interview lengths: run the interview on cases, answering from each case, and summarise.

A finding the case does not list is answered "don't know". One row per case says how many
questions were asked and whether the interview ended at the triage the full case gets.

``text_simulation_rows`` first reads the person's own words (the vignette's ``text``) and
starts the interview from what was read, as the product does after the "understood" step
when the person changes nothing: a finding the text settled stays as read (the person leaves
it as shown), and every other question is answered from the case. The interview is the one
after a description (``InterviewState.described``): the warning signs the text left open in
one checklist, then only what could change the level or the plan.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crampwise.case import Case
from crampwise.case.model import FindingValue
from crampwise.engine.assess import assess
from crampwise.engine.interview import Answer, InterviewState, next_question, simulate
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.evaluation.vignettes import Vignette
from crampwise.knowledge import TRIAGE_ORDER, KnowledgeBase

QUESTION_LIMIT = 100


def _row(
    case_id: str, case: Case, asked: Sequence[str], final: Case, kb: KnowledgeBase
) -> dict[str, Any]:
    full = assess(case, kb).level
    interviewed = assess(final, kb).level
    return {
        "id": case_id,
        "questions": len(asked),
        "asked": list(asked),
        "triage_interview": interviewed,
        "triage_full_case": full,
        "same_triage": interviewed == full,
    }


def simulation_rows(cases: Iterable[tuple[str, Case]], kb: KnowledgeBase) -> list[dict[str, Any]]:
    """One row per case: the questions asked and the triage of the interview and full case."""
    rows: list[dict[str, Any]] = []
    for case_id, case in cases:
        sim = simulate(case, kb)
        rows.append(_row(case_id, case, sim.asked, sim.state.case(), kb))
    return rows


def simulate_from(
    case: Case, known: Mapping[str, FindingValue], kb: KnowledgeBase, *, described: bool = True
) -> tuple[list[str], InterviewState]:
    """The interview started from ``known``; each question answered from the case, except
    that a finding already known keeps its value (it was shown to the person as read).

    ``described``: ``known`` is what a description settled (else, say, the diary's)."""
    settled = frozenset(known) if described else frozenset()
    state = InterviewState(age=case.age, sex=case.sex, known=dict(known), described=settled)
    asked: list[str] = []
    for _ in range(QUESTION_LIMIT):
        question = next_question(state, kb)
        if question is None:
            break
        asked.append(question.id)
        values = {
            fid: known[fid] if fid in known else case.findings.get(fid)
            for fid in question.finding_ids()
        }
        state = state.answer(Answer(question.id, values))
    return asked, state


def text_simulation_rows(
    cases: Iterable[tuple[str, Case, str]], kb: KnowledgeBase
) -> list[dict[str, Any]]:
    """Rows as ``simulation_rows``, the interview pre-filled from each case's text."""
    from crampwise.text import read_text

    rows: list[dict[str, Any]] = []
    for case_id, case, text in cases:
        known = read_text(text, age=case.age, sex=case.sex, kb=kb).case.findings
        asked, state = simulate_from(case, known, kb)
        rows.append(_row(case_id, case, asked, state.case(), kb))
    return rows


def vignette_texts(path: Path, vignettes: Sequence[Vignette]) -> list[tuple[str, Case, str]]:
    """Each vignette with its ``text`` (the person's own words).

    InvalidInputError names each line of ``path`` whose vignette has no text.
    """
    problems = [
        FieldProblem("text", "required: the person's own words", v.line)
        for v in vignettes
        if not (v.text and v.text.strip())
    ]
    if problems:
        raise InvalidInputError(f"{path}: --from-text needs a text in every vignette", problems)
    return [(v.id, v.case, v.text) for v in vignettes if v.text]


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
