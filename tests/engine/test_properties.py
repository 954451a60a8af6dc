"""Property tests: any valid case gives a valid result, and safety is monotonic."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.case import Case
from crampwise.case.parse import parse_case
from crampwise.engine.assess import assess
from crampwise.knowledge import LEVEL_RANK as RANK
from crampwise.knowledge import TRIAGE_ORDER, load_knowledge
from crampwise.knowledge.schema import Finding

KB = load_knowledge()
SERIOUS = sorted(f.id for f in KB.findings.values() if f.group == "serious")
BOOLS = sorted(f.id for f in KB.findings.values() if f.type == "bool")
# Findings a rule's `unless` reads: a benign explanation the person reported (new shoes…).
EXPLAINING = sorted(
    {fid for r in KB.rules if r.unless is not None for fid in r.unless.findings()} & set(BOOLS)
)


def _value(finding: Finding) -> st.SearchStrategy[Any]:
    if finding.type == "bool":
        return st.booleans()
    if finding.type == "choice":
        return st.sampled_from(finding.choices)
    low = finding.minimum or 0.0
    high = finding.maximum if finding.maximum is not None else 200.0
    if finding.type == "integer":
        return st.integers(int(low), int(high))
    return st.floats(low, high, allow_nan=False)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    ids = draw(st.lists(st.sampled_from(sorted(KB.findings)), unique=True, max_size=25))
    findings = {fid: draw(_value(KB.findings[fid])) for fid in ids}
    raw: dict[str, Any] = {"age": draw(st.integers(0, 120)), "findings": findings}
    sex = draw(st.sampled_from([None, "female", "male", "other"]))
    if sex:
        raw["sex"] = sex
    return parse_case(raw, KB)


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_any_valid_case_gives_a_valid_result(case: Case) -> None:
    result = assess(case, KB)
    assert result.level in TRIAGE_ORDER
    assert all(r.level == result.level for r in result.triage.rules)
    assert all(RANK[r.level] < RANK[result.level] for r in result.triage.other_rules)
    if result.level != "self_care":
        assert result.triage.rules, "a raised level always says why"
    scores = [c.score for c in result.causes]
    assert scores == sorted(scores, reverse=True)
    for cause in result.causes:
        assert cause.supporting and cause.score > 0 and cause.sources
    assert result.plan.seek_care, "every result says when to seek care"
    cited = {
        sid
        for group in (
            result.triage.rules,
            result.triage.other_rules,
            result.causes,
            result.plan.relief_now,
            result.plan.prevention,
            result.plan.avoid,
            result.plan.seek_care,
        )
        for item in group
        for sid in item.sources
    }
    assert set(result.references) == cited  # every citation resolves, nothing extra
    assert json.loads(result.to_json()) == result.to_dict()
    json.dumps(result.to_dict(), allow_nan=False)  # strict JSON as it is: no NaN/inf
    assert assess(case, KB) == result  # deterministic


@FAST
@given(cases(), st.sampled_from(SERIOUS))
def test_adding_a_serious_sign_never_lowers_urgency(case: Case, sign: str) -> None:
    before = RANK[assess(case, KB).level]
    after = RANK[assess(case.with_findings({sign: True}), KB).level]
    assert after >= before


@FAST
@given(cases(), st.sampled_from([fid for fid in BOOLS if fid not in EXPLAINING]))
def test_unknown_sits_between_no_and_yes(case: Case, finding: str) -> None:
    unknown = RANK[assess(case.with_findings({finding: None}), KB).level]
    no = RANK[assess(case.with_findings({finding: False}), KB).level]
    yes = RANK[assess(case.with_findings({finding: True}), KB).level]
    assert no <= unknown <= yes


@FAST
@given(cases(), st.sampled_from(EXPLAINING))
def test_an_unknown_explanation_counts_for_nothing(case: Case, finding: str) -> None:
    """Only a reported explanation may set a rule aside: unknown is judged like "no"."""
    unknown = RANK[assess(case.with_findings({finding: None}), KB).level]
    no = RANK[assess(case.with_findings({finding: False}), KB).level]
    assert unknown == no


@FAST
@given(cases(), st.sampled_from(EXPLAINING))
def test_an_explanation_only_ever_sets_aside_a_routine_review(case: Case, finding: str) -> None:
    before = assess(case.with_findings({finding: None}), KB).level
    after = assess(case.with_findings({finding: True}), KB).level
    assert RANK[after] >= RANK[before] or (before, after) == ("doctor", "self_care")
