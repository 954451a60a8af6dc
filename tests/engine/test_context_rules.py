"""Context and explicit answers in the triage rules (issue 9): what each changed rule does.

Each case names the pattern it pins; none is a copy of a vignette.
"""

from __future__ import annotations

from typing import Any

import pytest

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.engine.causes import SUSPECTED
from crampwise.engine.conditions import compile_condition, compile_rule
from crampwise.engine.result import Assessment
from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.knowledge.schema import Condition, TriageRule
from tests.engine.helpers import case_dict, satisfying_facts

NIGHT = {"site_calf": True, "timing_night": True, "relieved_by_stretching": True}
CLAUDICANT = {"known_pad": True, "site_calf": True, "timing_walking": True}


def _assess(kb: KnowledgeBase, findings: dict[str, Any], age: int = 50) -> Assessment:
    return assess(parse_case({"age": age, "findings": findings}, kb), kb)


def _fired(result: Assessment) -> set[str]:
    return {r.id for r in (*result.triage.rules, *result.triage.other_rules)}


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        # sleep_or_life_affected: a recurring problem, not one cramp or one a month.
        ({**NIGHT, "sleep_disturbed": True}, "doctor"),
        ({**NIGHT, "sleep_disturbed": True, "episodes_per_week": 0.25}, "self_care"),
        ({**NIGHT, "sleep_disturbed": True, "episodes_per_week": 1}, "doctor"),
        ({**NIGHT, "sleep_disturbed": True, "weeks_since_onset": 0}, "self_care"),
        ({**NIGHT, "worried": True, "episodes_per_week": 0.5}, "self_care"),
        ({**NIGHT, "daily_life_affected": True, "episodes_per_week": 4}, "doctor"),
        # medicine_linked_to_cramps: an explicit "not new" counts against it, unknown does not.
        ({**NIGHT, "med_statin": True}, "doctor"),
        ({**NIGHT, "med_statin": True, "new_medicine_recently": False}, "self_care"),
        ({**NIGHT, "med_diuretic": True, "new_medicine_recently": True}, "doctor"),
        ({**NIGHT, "new_medicine_recently": True}, "doctor"),
        # diabetes_with_cramps: nerve or circulation symptoms, not diabetes alone.
        ({"diabetes": True, "timing_during_exercise": True}, "self_care"),
        (
            {"diabetes": True, "timing_during_exercise": True, "numb_or_burning_feet": True},
            "doctor",
        ),
        ({"diabetes": True, "timing_rest": True}, "doctor"),
        ({"diabetes": True, "timing_night": True, "numb_or_burning_feet": False}, "doctor"),
        ({"diabetes": True, "timing_walking": True}, "doctor"),
        # frequent_cramps and sleep_or_life_affected: unless a changeable trigger explains them.
        ({"site_foot": True, "episodes_per_week": 5}, "doctor"),
        ({"site_foot": True, "episodes_per_week": 5, "new_or_tight_shoes": True}, "self_care"),
        ({"site_calf": True, "episodes_per_week": 5, "new_or_tight_shoes": True}, "doctor"),
        ({"site_foot": True, "episodes_per_week": 4, "flat_feet": True}, "self_care"),
        (
            {"timing_during_exercise": True, "training_increased": True, "episodes_per_week": 4},
            "self_care",
        ),
        ({"timing_night": True, "returning_after_break": True, "episodes_per_week": 4}, "doctor"),
        ({"timing_night": True, "sleeps_toes_pointed": True, "episodes_per_week": 3}, "self_care"),
        ({"timing_rest": True, "long_sitting": True, "episodes_per_week": 3}, "self_care"),
        ({**NIGHT, "pregnant": True, "episodes_per_week": 3, "sleep_disturbed": True}, "self_care"),
        ({"timing_night": True, "pregnant": True, "episodes_per_week": 3}, "doctor"),
        # An explanation never sets aside a warning sign or another specific rule.
        (
            {"site_foot": True, "new_or_tight_shoes": True, "numb_or_burning_feet": True},
            "doctor",
        ),
        (
            {**NIGHT, "pregnant": True, "episodes_per_week": 3, "calf_swollen_one_side": True},
            "urgent",
        ),
        (
            {
                "site_foot": True,
                "episodes_per_week": 5,
                "new_or_tight_shoes": True,
                "trend": "worse",
            },
            "doctor",
        ),
        # claudicant_suddenly_worse: gradual worsening is routine, sudden is an emergency.
        ({**CLAUDICANT, "trend": "worse"}, "doctor"),
        ({**CLAUDICANT, "trend": "worse", "worse_suddenly": False}, "doctor"),
        ({**CLAUDICANT, "trend": "worse", "worse_suddenly": True}, "emergency"),
        ({"timing_night": True, "worse_suddenly": True}, "self_care"),
        # cramps_in_arms_or_trunk: a recent spread is urgent, a months-long one a routine visit.
        ({"site_hands": True}, "urgent"),
        ({"site_hands": True, "weeks_since_onset": 2}, "urgent"),
        ({"site_hands": True, "weeks_since_onset": 26}, "doctor"),
        ({"site_trunk": True, "weeks_since_onset": 26, "muscle_twitching": True}, "doctor"),
    ],
)
def test_context_and_explicit_answers(
    findings: dict[str, Any], level: str, kb: KnowledgeBase
) -> None:
    assert _assess(kb, findings).level == level


def test_an_unknown_sudden_change_is_named_as_an_open_warning_sign(kb: KnowledgeBase) -> None:
    claudicant = _assess(kb, {**CLAUDICANT, "trend": "worse"})
    assert {s.finding: s.level for s in claudicant.unknown_warning_signs}["worse_suddenly"] == (
        "emergency"
    )
    # Without walking pain from narrowed arteries a sudden change is not a warning sign.
    night = _assess(kb, {"timing_night": True, "trend": "worse"})
    assert "worse_suddenly" not in {s.finding for s in night.unknown_warning_signs}


def test_self_care_for_a_changeable_trigger_says_when_to_see_a_doctor(kb: KnowledgeBase) -> None:
    shoes = _assess(kb, {"site_toes": True, "episodes_per_week": 5, "new_or_tight_shoes": True})
    assert shoes.level == "self_care"
    item = next(p for p in shoes.plan.seek_care if p.id == "seek_doctor_if_change_does_not_help")
    assert "4 weeks" in item.text
    plain = _assess(kb, {"site_toes": True, "episodes_per_week": 1})
    assert "seek_doctor_if_change_does_not_help" not in {p.id for p in plain.plan.seek_care}


@pytest.mark.parametrize(
    ("findings", "top"),
    [
        (
            {
                "training_increased": True,
                "timing_during_exercise": True,
                "exercises_regularly": True,
            },
            "too_much_too_fast",
        ),
        ({"returning_after_break": True, "timing_after_exercise": True}, "too_much_too_fast"),
        ({"extreme_exertion": True, "timing_during_exercise": True}, "exercise_associated"),
        (
            {"sleeps_toes_pointed": True, "timing_night": True, "site_foot": True},
            "muscle_tightness",
        ),
        ({"long_sitting": True, "timing_rest": True, "site_calf": True}, "muscle_tightness"),
        ({"timing_night": True, "site_calf": True}, "idiopathic_night_cramps"),
        (
            {**CLAUDICANT, "pain_constant_at_rest": True, "foot_pale_or_cold": True},
            "acute_limb_ischaemia",
        ),
        ({**CLAUDICANT, "worse_suddenly": True}, "acute_limb_ischaemia"),
        ({**CLAUDICANT, "trend": "worse"}, "peripheral_arterial_disease"),
    ],
)
def test_the_specific_cause_leads(findings: dict[str, Any], top: str, kb: KnowledgeBase) -> None:
    assert _assess(kb, findings, age=60).causes[0].id == top


def test_hand_cramps_alone_do_not_rank_low_calcium(kb: KnowledgeBase) -> None:
    ids = {c.id for c in _assess(kb, {"site_hands": True, "weeks_since_onset": 26}).causes}
    assert "hypocalcaemia" not in ids
    after_surgery = _assess(kb, {"site_hands": True, "recent_neck_surgery": True})
    assert after_surgery.causes[0].id == "hypocalcaemia"


def test_cause_texts_claim_a_warning_sign_only_when_one_was_reported(kb: KnowledgeBase) -> None:
    walking = _assess(kb, {"timing_walking": True, "site_calf": True, "smoker": True}, age=70)
    pad = next(c for c in walking.causes if c.id == "peripheral_arterial_disease")
    assert walking.level == "doctor"
    assert SUSPECTED not in pad.supporting
    wound = _assess(kb, {**CLAUDICANT, "foot_wound_not_healing": True}, age=70)
    pad = next(c for c in wound.causes if c.id == "peripheral_arterial_disease")
    assert SUSPECTED in pad.supporting


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), (True, True), (False, False)],
)
def test_if_unknown_holds_until_answered_otherwise(value: bool | None, expected: bool) -> None:
    cond = Condition.model_validate({"finding": "x", "is": True, "if_unknown": True})
    facts = {} if value is None else {"x": value}
    assert compile_condition(cond)(facts) is expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"a": True}, True),
        ({"a": True, "b": True}, False),
        ({"a": True, "b": False}, True),
        ({}, None),
        ({"b": True}, False),
        ({"a": False, "b": True}, False),
    ],
)
def test_unless_sets_a_rule_aside_only_when_known(
    facts: dict[str, bool], expected: bool | None
) -> None:
    rule = compile_rule(Condition.model_validate("a"), Condition.model_validate("b"))
    assert rule(facts) is expected


def test_if_unknown_needs_a_finding() -> None:
    with pytest.raises(ValueError, match="go with 'finding'"):
        Condition.model_validate({"any": ["a"], "if_unknown": True})


EXPLAINED = [r for r in load_knowledge().rules if r.unless is not None]


@pytest.mark.parametrize("rule", EXPLAINED, ids=[r.id for r in EXPLAINED])
def test_each_explanation_sets_its_rule_aside(rule: TriageRule, kb: KnowledgeBase) -> None:
    assert rule.level == "doctor" and rule.unless is not None
    facts = satisfying_facts(rule.when, kb)
    plain = assess(parse_case(case_dict(facts), kb), kb)
    assert rule.id in _fired(plain)
    explained = assess(
        parse_case(case_dict({**facts, **satisfying_facts(rule.unless, kb)}), kb), kb
    )
    assert rule.id not in _fired(explained)
