"""The result view: what every front end shows, built from an assessment and its knowledge."""

from __future__ import annotations

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.engine.view import result_view
from crampwise.knowledge import KnowledgeBase

CALF = {
    "age": 67,
    "findings": {"calf_swollen_one_side": True, "timing_walking": True, "smoker": True},
}


def test_view_keeps_every_fired_rule_and_the_level_words(kb: KnowledgeBase) -> None:
    result = assess(parse_case(CALF, kb), kb)
    view = result_view(result, kb)
    assert view.level.level == "urgent"
    assert (view.level.name, view.level.label) == (
        kb.levels["urgent"].name,
        kb.levels["urgent"].label,
    )
    assert view.level.headline == result.triage.headline
    assert [r.rule_id for r in view.reasons] == [r.id for r in result.triage.rules]
    assert [r.rule_id for r in view.other_reasons] == [r.id for r in result.triage.other_rules]
    assert view.other_reasons  # the walking pain fired below the swollen calf
    assert all(r.level.level == "doctor" for r in view.other_reasons)
    assert not view.is_emergency


def test_view_resolves_sources_and_keeps_causes_and_plan_in_order(kb: KnowledgeBase) -> None:
    result = assess(parse_case(CALF, kb), kb)
    view = result_view(result, kb)
    assert [c.id for c in view.causes] == [c.id for c in result.causes]
    for shown, cause in zip(view.causes, result.causes, strict=True):
        assert [s.id for s in shown.sources] == list(cause.sources)
        assert (shown.supporting, shown.against) == (cause.supporting, cause.against)
    assert [e.id for e in view.prevention] == [p.id for p in result.plan.prevention]
    assert [e.id for e in view.seek_care] == [p.id for p in result.plan.seek_care]
    for entry in view.seek_care:
        assert entry.seek_level is not None
        assert entry.seek_level.label == kb.levels[entry.seek_level.level].label
    assert [s.id for s in view.sources] == list(result.references)
    for sign in view.unknown_warning_signs:
        assert sign.level.name == kb.levels[sign.level.level].name


ALL_NO = {  # every warning sign answered no: nothing left unanswered
    "age": 30,
    "findings": {"site_calf": True, "timing_night": True, "relieved_by_stretching": True},
}


def test_unanswered_signs_are_grouped_most_urgent_first_with_a_notice(kb: KnowledgeBase) -> None:
    view = result_view(assess(parse_case({"age": 50}, kb), kb), kb)
    assert view.level.level == "self_care" and view.unknown_warning_signs
    assert [g.level.level for g in view.unanswered] == ["emergency", "urgent", "doctor"]
    grouped = [m for g in view.unanswered for m in g.meanings]
    assert sorted(grouped) == sorted(s.meaning for s in view.unknown_warning_signs)
    assert view.unanswered_notice is not None
    n = len(view.unknown_warning_signs)
    assert f"you did not answer about {n} warning signs" in view.unanswered_notice
    assert "not an all-clear" in view.unanswered_notice


def test_no_notice_when_every_warning_sign_was_answered(kb: KnowledgeBase) -> None:
    case = parse_case(ALL_NO, kb)
    no = {sign.finding: False for sign in assess(case, kb).unknown_warning_signs}
    assert no
    answered = {"age": 30, "findings": {**ALL_NO["findings"], **no}}
    view = result_view(assess(parse_case(answered, kb), kb), kb)
    assert view.unknown_warning_signs == () and view.unanswered == ()
    assert view.unanswered_notice is None


def test_short_view_keeps_top_causes_and_only_advice_above_the_level(kb: KnowledgeBase) -> None:
    view = result_view(assess(parse_case(CALF, kb), kb), kb)
    assert view.top_causes + view.more_causes == view.causes
    assert len(view.top_causes) == min(3, len(view.causes))
    rank = {"self_care": 0, "doctor": 1, "urgent": 2, "emergency": 3}
    assert view.sooner == tuple(
        e for e in view.seek_care if e.seek_level and rank[e.seek_level.level] > rank["urgent"]
    )
    assert view.sooner and len(view.sooner) < len(view.seek_care)


def test_self_care_with_unanswered_signs_is_not_worded_as_an_all_clear(kb: KnowledgeBase) -> None:
    unknown = assess(parse_case({"age": 50, "findings": {}}, kb), kb)
    assert unknown.triage.level == "self_care" and unknown.unknown_warning_signs
    view = result_view(unknown, kb)
    for text in (unknown.triage.headline, unknown.triage.action, view.level.action):
        assert "Nothing you told us points to a serious cause" not in text
    assert "warning signs were left unanswered" in view.level.action
    assert view.level.headline == unknown.triage.headline != kb.levels["self_care"].headline


def test_self_care_with_every_sign_answered_keeps_its_usual_words(kb: KnowledgeBase) -> None:
    unknown = assess(parse_case({"age": 30, "findings": {}}, kb), kb)
    denied = {sign.finding: False for sign in unknown.unknown_warning_signs}
    answered = assess(parse_case({"age": 30, "findings": denied}, kb), kb)
    assert answered.triage.level == "self_care" and not answered.unknown_warning_signs
    assert answered.triage.action == kb.levels["self_care"].action
    assert result_view(answered, kb).level.headline == kb.levels["self_care"].headline
