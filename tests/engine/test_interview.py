from __future__ import annotations

import statistics

from crampwise.case import parse_case
from crampwise.engine.assess import assess, facts_of
from crampwise.engine.interview import (
    CAUSE_QUESTION_BUDGET,
    TRIAGE_CHANGE,
    Answer,
    InterviewState,
    checklist_answer,
    dont_know,
    next_question,
    pending_explanations,
    question_impact,
    simulate,
    value_answer,
)
from crampwise.knowledge import KnowledgeBase


def _answer_no_to_everything(
    state: InterviewState, kb: KnowledgeBase, stop_at: str
) -> InterviewState:
    while (q := next_question(state, kb)) is not None and q.id != stop_at:
        state = state.answer(checklist_answer(q, ()) if q.kind == "checklist" else dont_know(q))
    return state


def test_red_flag_screening_comes_first(kb: KnowledgeBase) -> None:
    state = InterviewState(age=40, sex="male")
    asked = []
    for _ in range(3):
        q = next_question(state, kb)
        assert q is not None
        asked.append(q.id)
        state = state.answer(checklist_answer(q, ()))
    assert asked == ["emergency_signs", "leg_warning_signs", "body_warning_signs"]
    assert all(kb.question_by_id[qid].screening for qid in asked)


def test_emergency_ends_the_interview_at_once(kb: KnowledgeBase) -> None:
    state = InterviewState(age=70)
    q = next_question(state, kb)
    assert q is not None and q.id == "emergency_signs"
    state = state.answer(checklist_answer(q, ["foot_pale_or_cold"]))
    assert next_question(state, kb) is None
    assert assess(state.case(), kb).level == "emergency"


def test_pregnancy_is_not_asked_of_a_man_but_is_of_a_woman(kb: KnowledgeBase) -> None:
    def asked(sex: str) -> tuple[str, ...]:
        case = parse_case({"age": 30, "sex": sex, "findings": {"timing_night": True}}, kb)
        return simulate(case, kb).asked

    assert "pregnancy" not in asked("male")
    assert "pregnancy" in asked("female")


def test_claudication_details_only_when_cramps_come_on_walking(kb: KnowledgeBase) -> None:
    never = parse_case(
        {"age": 67, "findings": {"timing_walking": False, "timing_standing": False}}, kb
    )
    assert "walking_pattern" not in simulate(never, kb).asked
    walking = parse_case({"age": 67, "findings": {"timing_walking": True}}, kb)
    assert "walking_pattern" in simulate(walking, kb).asked


def test_dont_know_leaves_findings_unknown_and_is_not_asked_again(kb: KnowledgeBase) -> None:
    state = InterviewState(age=50)
    q = next_question(state, kb)
    assert q is not None
    state = state.answer(dont_know(q))
    assert not set(q.finding_ids()) & set(state.findings())
    assert next_question(state, kb) != q


def test_checklist_ticks_are_yes_and_the_rest_no(kb: KnowledgeBase) -> None:
    q = kb.question_by_id["leg_warning_signs"]
    answer = checklist_answer(q, ["calf_swollen_one_side"], unsure=["calf_warm_or_red"])
    assert answer.values["calf_swollen_one_side"] is True
    assert answer.values["calf_warm_or_red"] is None
    assert answer.values["pain_constant_at_rest"] is False


def test_back_undoes_the_last_answer(kb: KnowledgeBase) -> None:
    state = InterviewState(age=50)
    first = next_question(state, kb)
    assert first is not None
    state = state.answer(checklist_answer(first, []))
    second = next_question(state, kb)
    assert second is not None and second.id != first.id
    assert next_question(state.back(), kb) == first
    assert state.back().findings() == {}


def test_known_findings_are_not_asked_again(kb: KnowledgeBase) -> None:
    state = InterviewState(age=50, known={"current_cramp_minutes": 2})
    state = _answer_no_to_everything(state, kb, stop_at="")
    assert "current_cramp" not in {a.question_id for a in state.answers}


def test_number_answers_are_used(kb: KnowledgeBase) -> None:
    q = kb.question_by_id["how_often"]
    state = InterviewState(age=50).answer(value_answer(q, 5))
    assert state.findings()["episodes_per_week"] == 5
    assert assess(state.case(), kb).level == "doctor"


def test_simulated_interviews_match_full_case_triage(
    public_cases: list[dict[str, object]], kb: KnowledgeBase
) -> None:
    lengths = []
    for vignette in public_cases:
        case = parse_case(vignette["case"], kb)
        sim = simulate(case, kb)
        lengths.append(len(sim.asked))
        assert assess(sim.state.case(), kb).level == assess(case, kb).level, vignette["id"]
        assert len(set(sim.asked)) == len(sim.asked)
    assert statistics.median(lengths) <= 12


def _walk(case_dict: dict[str, object], kb: KnowledgeBase) -> list[tuple[str, int, bool]]:
    """Simulate, noting each question's impact (with pending explanations) when it was asked."""
    case = parse_case(case_dict, kb)
    state = InterviewState(age=case.age, sex=case.sex)
    steps: list[tuple[str, int, bool]] = []
    while (q := next_question(state, kb)) is not None:
        pending = pending_explanations(kb.compiled, facts_of(state.case()))
        past = len(state.answers) >= CAUSE_QUESTION_BUDGET
        steps.append((q.id, question_impact(kb.compiled, state, q, pending), past))
        state = state.answer(Answer(q.id, {f: case.findings.get(f) for f in q.finding_ids()}))
    return steps


def test_an_explanation_needing_two_answers_is_asked_for(kb: KnowledgeBase) -> None:
    # Frequent night cramps in pregnancy that stretch out: self-care only once both the
    # pregnancy and the stretching are known, which no single answer shows.
    findings = {
        "pregnant": True,
        "relieved_by_stretching": True,
        "site_calf": True,
        "timing_night": True,
        "episodes_per_week": 4,
    }
    case = parse_case({"age": 31, "sex": "female", "findings": findings}, kb)
    sim = simulate(case, kb)
    assert {"pregnancy", "impact"} <= set(sim.asked)
    assert assess(sim.state.case(), kb).level == assess(case, kb).level == "self_care"


def test_past_the_budget_only_level_changing_or_plan_questions_are_asked(
    kb: KnowledgeBase,
) -> None:
    findings = {"site_calf": True, "timing_night": True, "relieved_by_stretching": True}
    steps = _walk({"age": 45, "sex": "female", "findings": findings}, kb)
    late = [(qid, impact) for qid, impact, past in steps if past]
    assert late and "pregnancy" in dict(late)  # cause-only, but the plan depends on it
    for qid, impact in late:
        assert impact >= TRIAGE_CHANGE or kb.question_by_id[qid].plan_depends


def test_sudden_worsening_is_asked_only_where_it_matters(kb: KnowledgeBase) -> None:
    claudicant = {"known_pad": True, "site_calf": True, "timing_walking": True, "trend": "worse"}
    assert (
        "worse_suddenly" in simulate(parse_case({"age": 70, "findings": claudicant}, kb), kb).asked
    )
    night = {"site_calf": True, "timing_night": True, "trend": "worse"}
    assert (
        "worse_suddenly" not in simulate(parse_case({"age": 70, "findings": night}, kb), kb).asked
    )
