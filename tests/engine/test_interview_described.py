"""The interview after a description (``InterviewState.described``): shorter, screening intact.

Over every public vignette, read by the real reader: the warning signs the text left open are
one checklist, asked before anything else and holding exactly those signs; the triage is the
full case's; without a description nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.case import Case
from crampwise.case.model import FindingValue
from crampwise.case.parse import parse_case
from crampwise.engine.answers import parse_answers
from crampwise.engine.assess import assess, facts_of
from crampwise.engine.interview import (
    EMERGENCY_RANK,
    Answer,
    InterviewState,
    checklist_answer,
    next_question,
    remaining_estimate,
    simulate,
)
from crampwise.engine.screening import (
    WARNING_SIGNS_ID,
    question_by_id,
    screening_checklists,
    warning_signs_question,
)
from crampwise.engine.triage import triage_rank
from crampwise.errors import InvalidInputError
from crampwise.evaluation.simulation import simulate_from
from crampwise.knowledge import LEVEL_RANK as RANK
from crampwise.knowledge import KnowledgeBase, load_knowledge

KB = load_knowledge()
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "vignettes"
SIGNS = [item.finding for q in screening_checklists(KB) for item in q.items]


def _vignettes() -> Iterator[tuple[str, Case, str]]:
    for name in ("public.jsonl", "public-more.jsonl"):
        path = SHARED / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            if line.strip():
                raw: dict[str, Any] = json.loads(line)
                yield raw["id"], parse_case(raw["case"], KB), raw["text"]


VIGNETTES = list(_vignettes())
needs_vignettes = pytest.mark.skipif(not VIGNETTES, reason="shared/vignettes is missing")


def _read(case: Case, text: str) -> dict[str, FindingValue]:
    from crampwise.text import read_text

    return dict(read_text(text, age=case.age, sex=case.sex, kb=KB).case.findings)


def _opening(case: Case, known: dict[str, FindingValue]) -> InterviewState:
    return InterviewState(case.age, case.sex, known=known, described=frozenset(known))


def _could_raise(state: InterviewState, fid: str) -> bool:
    facts = facts_of(state.case())
    now = triage_rank(KB.compiled, facts)
    return triage_rank(KB.compiled, {**facts, fid: True}) > now


@needs_vignettes
@pytest.mark.parametrize(("vid", "case", "text"), VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_open_warning_signs_come_first_as_one_checklist_of_exactly_them(
    vid: str, case: Case, text: str
) -> None:
    known = _read(case, text)
    state = _opening(case, known)
    first = next_question(state, KB)
    open_signs = [fid for fid in SIGNS if fid not in known]
    if triage_rank(KB.compiled, facts_of(state.case())) >= EMERGENCY_RANK:
        assert first is None  # an emergency stops at once, as always
        return
    if any(_could_raise(state, fid) for fid in open_signs):
        # Every open sign that could raise the level is on the first question, and only
        # open signs are: exactly the warning signs the text did not settle.
        assert first is not None and first.id == WARNING_SIGNS_ID, vid
        assert list(first.finding_ids()) == open_signs
    else:
        assert first is None or first.id != WARNING_SIGNS_ID
    asked, final = simulate_from(case, known, KB)
    assert not {q.id for q in screening_checklists(KB)} & set(asked)
    assert WARNING_SIGNS_ID not in asked[1:]


@needs_vignettes
@pytest.mark.parametrize(("vid", "case", "text"), VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_the_triage_is_the_full_cases_and_the_interview_is_no_longer(
    vid: str, case: Case, text: str
) -> None:
    known = _read(case, text)
    asked, final = simulate_from(case, known, KB)
    assert assess(final.case(), KB).level == assess(case, KB).level, vid
    assert len(asked) <= len(simulate(case, KB).asked)
    assert len(set(asked)) == len(asked)


@needs_vignettes
@pytest.mark.parametrize(("vid", "case", "text"), VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_without_a_description_nothing_changes(vid: str, case: Case, text: str) -> None:
    plain = simulate(case, KB).asked
    # The same findings known, but not from a description (the diary's, say): as before.
    known = _read(case, text)
    asked, _ = simulate_from(case, known, KB, described=False)
    assert WARNING_SIGNS_ID not in plain and WARNING_SIGNS_ID not in asked
    assert simulate_from(case, {}, KB)[0] == list(plain)
    state = InterviewState(case.age, case.sex, known=known)
    assert state.described == frozenset()


# Any subset of a vignette's gold findings as what the description said (a perfect reader
# that reads only part): every open sign that could raise the level is still asked first.
@needs_vignettes
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_partial_description_still_screens_every_open_sign(data: st.DataObject) -> None:
    vid, case, _ = data.draw(st.sampled_from(VIGNETTES))
    keys = data.draw(st.sets(st.sampled_from(sorted(case.findings) or ["x"])))
    known = {k: case.findings[k] for k in keys if k in case.findings}
    state = _opening(case, known)
    if not known or triage_rank(KB.compiled, facts_of(state.case())) >= EMERGENCY_RANK:
        return
    open_signs = [fid for fid in SIGNS if fid not in known]
    first = next_question(state, KB)
    if any(_could_raise(state, fid) for fid in open_signs):
        assert first is not None and first.id == WARNING_SIGNS_ID, vid
        assert list(first.finding_ids()) == open_signs
    asked, final = simulate_from(case, known, KB)
    # Answered from the case, the interview never ends below the full case's level (a
    # question spoken of that could only lower it, by an explanation, may go unasked).
    interviewed, full = assess(final.case(), KB).level, assess(case, KB).level
    assert RANK[interviewed] >= RANK[full], (vid, sorted(known))


def test_the_merged_checklist_is_worded_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert WARNING_SIGNS_ID not in kb.question_by_id  # the id never hides a real question
    full = warning_signs_question(kb)
    lists = screening_checklists(kb)
    assert len(lists) == 3
    assert full.screening and full.kind == "checklist"
    assert full.text == lists[0].text
    assert [(i.finding, i.label) for i in full.items] == [
        (i.finding, i.label) for q in lists for i in q.items
    ]
    assert set(full.sources) == {s for q in lists for s in q.sources}
    some = warning_signs_question(kb, {"calf_warm_or_red", "foot_pale_or_cold"})
    assert some.finding_ids() == ("foot_pale_or_cold", "calf_warm_or_red")  # the kb's order
    assert question_by_id(kb, WARNING_SIGNS_ID) == full
    assert question_by_id(kb, "sites") is kb.question_by_id["sites"]
    assert question_by_id(kb, "nope") is None


def test_answers_to_it_parse_and_only_name_warning_signs(kb: KnowledgeBase) -> None:
    raw = [{"question_id": WARNING_SIGNS_ID, "values": {"hand_spasm": True}}]
    (answer,) = parse_answers(raw, kb)
    assert answer == Answer(WARNING_SIGNS_ID, {"hand_spasm": True})
    with pytest.raises(InvalidInputError) as err:
        parse_answers([{"question_id": WARNING_SIGNS_ID, "values": {"site_calf": True}}], kb)
    assert err.value.problems[0].field == "answers[0].values.site_calf"


def test_a_settled_sign_is_not_listed_and_an_unsure_one_is_not_asked_again(
    kb: KnowledgeBase,
) -> None:
    known: dict[str, FindingValue] = {"site_calf": True, "calf_swollen_one_side": False}
    state = InterviewState(50, None, known=known, described=frozenset(known))
    first = next_question(state, kb)
    assert first is not None and first.id == WARNING_SIGNS_ID
    assert "calf_swollen_one_side" not in first.finding_ids()
    assert remaining_estimate(state, kb) >= 1
    # "Not sure" about one sign leaves it unknown (never no), and no screening list returns.
    state = state.answer(checklist_answer(first, (), unsure=("calf_warm_or_red",)))
    assert "calf_warm_or_red" not in state.findings()
    following = next_question(state, kb)
    assert following is None or not (following.screening and following.kind == "checklist")
    # Going back keeps the description.
    assert state.back().described == state.described


def test_a_sign_ticked_on_it_raises_the_level_and_an_emergency_stops(kb: KnowledgeBase) -> None:
    known: dict[str, FindingValue] = {"site_calf": True}
    state = InterviewState(50, None, known=known, described=frozenset(known))
    first = next_question(state, kb)
    assert first is not None and first.id == WARNING_SIGNS_ID
    urgent = state.answer(checklist_answer(first, ("calf_warm_or_red",)))
    assert assess(urgent.case(), kb).level == "urgent"
    emergency = state.answer(checklist_answer(first, ("stroke_signs",)))
    assert next_question(emergency, kb) is None
    assert assess(emergency.case(), kb).level == "emergency"


def test_a_spoken_of_question_is_still_asked_when_it_could_make_it_urgent(
    kb: KnowledgeBase,
) -> None:
    # The person spoke of where the cramps come (calf) but not of the hands, which with a
    # recent start would be urgent: the sites question is still asked, after screening.
    known: dict[str, FindingValue] = {"site_calf": True, "weeks_since_onset": 1}
    state = InterviewState(50, None, known=known, described=frozenset(known))
    asked: list[str] = []
    for _ in range(30):
        q = next_question(state, kb)
        if q is None:
            break
        asked.append(q.id)
        state = state.answer(Answer(q.id, dict.fromkeys(q.finding_ids())))
    assert asked[0] == WARNING_SIGNS_ID
    assert "sites" in asked
