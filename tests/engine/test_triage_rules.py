from __future__ import annotations

import pytest

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.knowledge import LEVEL_RANK as RANK
from crampwise.knowledge import KnowledgeBase, load_knowledge
from tests.engine.helpers import case_dict, satisfying_facts

RULES = load_knowledge().rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_rule_fires_and_forces_its_level(rule: object, kb: KnowledgeBase) -> None:
    facts = satisfying_facts(rule.when, kb)  # type: ignore[attr-defined]
    result = assess(parse_case(case_dict(facts), kb), kb)
    fired = {r.id for r in (*result.triage.rules, *result.triage.other_rules)}
    assert rule.id in fired  # type: ignore[attr-defined]
    assert RANK[result.level] >= RANK[rule.level]  # type: ignore[attr-defined]
    assert rule.reason  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        ({"foot_pale_or_cold": True}, "emergency"),
        ({"calf_swollen_one_side": True}, "urgent"),
        ({"calf_swollen_one_side": True, "breathless_or_chest_pain": True}, "emergency"),
        ({"dark_or_little_urine": True}, "urgent"),
        ({"dark_or_little_urine": True, "extreme_exertion": True}, "emergency"),
        ({"tingling_mouth_or_fingers": True, "recent_neck_surgery": True}, "urgent"),
        ({"hand_spasm": True, "recent_neck_surgery": True}, "emergency"),
        ({"pain_constant_at_rest": True}, "urgent"),
        ({"pain_constant_at_rest": True, "known_pad": True}, "emergency"),
        ({"current_cramp_minutes": 10}, "self_care"),
        ({"current_cramp_minutes": 11}, "urgent"),
        ({"timing_walking": True, "walking_same_distance": True}, "doctor"),
        ({"muscle_twitching": True, "muscle_weakness": True}, "doctor"),
        ({"muscle_weakness": True, "med_statin": True}, "urgent"),
        ({"timing_night": True, "relieved_by_stretching": True}, "self_care"),
        ({"heavy_sweating_or_heat": True}, "self_care"),
        ({"episodes_per_week": 2}, "self_care"),
        ({"episodes_per_week": 3}, "doctor"),
        ({"calf_swollen_one_side": False, "calf_warm_or_red": False}, "self_care"),
    ],
)
def test_clinical_expectations(findings: dict[str, object], level: str, kb: KnowledgeBase) -> None:
    result = assess(parse_case({"age": 50, "findings": findings}, kb), kb)
    assert result.level == level


def test_emergency_result_leads_with_the_call_to_action(kb: KnowledgeBase) -> None:
    result = assess(parse_case({"age": 74, "findings": {"foot_pale_or_cold": True}}, kb), kb)
    assert result.triage.headline == "Call your emergency number now"
    assert result.causes[0].id == "acute_limb_ischaemia"
    relief_ids = {p.id for p in result.plan.relief_now}
    assert "stretch_through_cramp" not in relief_ids  # no self-care tips while waiting for help
    assert "emergency_wait_safely" in relief_ids


def test_unknown_signs_are_listed_not_treated_as_no(kb: KnowledgeBase) -> None:
    result = assess(parse_case({"age": 40, "findings": {"timing_night": True}}, kb), kb)
    unknown = {s.finding: s.level for s in result.unknown_warning_signs}
    assert unknown["foot_pale_or_cold"] == "emergency"
    assert unknown["calf_swollen_one_side"] == "urgent"
    answered = assess(
        parse_case({"age": 40, "findings": {"timing_night": True, "foot_pale_or_cold": False}}, kb),
        kb,
    )
    assert "foot_pale_or_cold" not in {s.finding for s in answered.unknown_warning_signs}


def test_a_warning_sign_puts_its_suspected_cause_forward(kb: KnowledgeBase) -> None:
    findings = {"pregnant": True, "timing_night": True, "site_calf": True}
    calm = assess(parse_case({"age": 30, "sex": "female", "findings": findings}, kb), kb)
    assert "deep_vein_thrombosis" not in calm.top_cause_ids()
    swollen = {**findings, "calf_swollen_one_side": True}
    result = assess(parse_case({"age": 30, "sex": "female", "findings": swollen}, kb), kb)
    dvt = next(c for c in result.causes if c.id == "deep_vein_thrombosis")
    assert "you reported a warning sign that can point to this" in dvt.supporting
    assert "deep_vein_thrombosis" in result.top_cause_ids(2)


def test_ordinary_night_cramps_yield_to_an_identified_cause(kb: KnowledgeBase) -> None:
    night = {"timing_night": True, "site_calf": True}
    plain = assess(parse_case({"age": 60, "findings": night}, kb), kb)
    assert plain.causes[0].id == "idiopathic_night_cramps"
    liver = assess(parse_case({"age": 60, "findings": {**night, "liver_disease": True}}, kb), kb)
    assert liver.causes[0].id == "liver_disease"
    ordinary = next(c for c in liver.causes if c.id == "idiopathic_night_cramps")
    assert "something else you mentioned could explain the cramps" in ordinary.against


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        ({"med_diuretic": True}, "doctor"),
        ({"heavy_sweating_or_heat": True}, "self_care"),
        ({"med_diuretic": True, "heavy_sweating_or_heat": True}, "urgent"),
        ({"med_diuretic": True, "low_fluid_intake": True}, "urgent"),
    ],
)
def test_fluid_loss_on_a_water_tablet(
    findings: dict[str, object], level: str, kb: KnowledgeBase
) -> None:
    assert assess(parse_case({"age": 70, "findings": findings}, kb), kb).level == level
