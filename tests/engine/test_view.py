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
