"""The codec of the description flow: corrections, the signed description, the words shown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.web.interview_codec import (
    MAX_DESCRIPTION_CHARS,
    UNSURE,
    check_description,
    corrected_findings,
    finding_words,
    origin_from_raw,
    state_from_raw,
    value_words,
)

READ = {"site_calf": True, "calf_swollen_one_side": False, "episodes_per_week": 2, "trend": "worse"}
KB = load_knowledge()


def test_no_correction_keeps_what_was_read(kb: KnowledgeBase) -> None:
    assert corrected_findings(kb, READ, {}) == READ


@given(
    removed=st.lists(st.sampled_from(sorted(READ)), unique=True),
    unsure=st.lists(st.sampled_from(sorted(READ)), unique=True),
)
def test_removed_or_unsure_is_unknown_never_false(removed: list[str], unsure: list[str]) -> None:
    values = {fid: UNSURE for fid in unsure}
    out = corrected_findings(KB, READ, values, removed)
    for fid in set(removed) | set(unsure):
        assert fid not in out  # unknown: the interview asks it again
    for fid in set(READ) - set(removed) - set(unsure):
        assert out[fid] == READ[fid]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"site_calf": "no"}, {"site_calf": False}),
        ({"calf_swollen_one_side": "Yes"}, {"calf_swollen_one_side": True}),
        ({"episodes_per_week": " 0,25 "}, {"episodes_per_week": 0.25}),
        ({"episodes_per_week": "3"}, {"episodes_per_week": 3}),
        ({"episodes_per_week": ""}, {}),
        ({"trend": "better"}, {"trend": "better"}),
    ],
)
def test_corrections(
    kb: KnowledgeBase, values: dict[str, str], expected: dict[str, object]
) -> None:
    out = corrected_findings(kb, READ, values)
    for fid in READ:
        if fid in values:
            assert out.get(fid) == expected.get(fid)
        else:
            assert out[fid] == READ[fid]


@pytest.mark.parametrize(
    "values",
    [
        {"site_calf": "maybe"},
        {"episodes_per_week": "nan"},
        {"episodes_per_week": "inf"},
        {"episodes_per_week": "-1"},
        {"trend": "sideways"},
    ],
)
def test_bad_corrections_name_the_finding(kb: KnowledgeBase, values: dict[str, str]) -> None:
    with pytest.raises(InvalidInputError) as info:
        corrected_findings(kb, READ, values)
    assert [p.field for p in info.value.problems] == list(values)


def test_words_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert finding_words(kb, "site_calf") == "Cramps in the calf"
    assert value_words(kb, "site_calf", False) == "No"
    assert value_words(kb, "trend", "worse") == "Getting worse"
    assert value_words(kb, "episodes_per_week", 0.25) == "0.25 cramps a week"
    assert value_words(kb, "side", "left") == "Left"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "is empty"),
        (" \n\t ", "is empty"),
        ("a" * (MAX_DESCRIPTION_CHARS + 1), f"at most {MAX_DESCRIPTION_CHARS}"),
        ("bell \x07", "control character"),
        (None, "must be text"),
    ],
)
def test_check_description_refuses(text: object, says: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_description(text, "where")
    assert info.value.problems[0].field == "where" and says in info.value.problems[0].message


def test_check_description_keeps_line_breaks_and_strips() -> None:
    assert check_description("  calf\ncramps\tat night \n") == "calf\ncramps\tat night"


@pytest.mark.parametrize(
    ("origin", "field"),
    [
        ("words", "text"),
        ({"words": "x", "read": {}}, "text"),
        ({"words": "", "read": {}, "diary": {}}, "text.words"),
        ({"words": "x", "read": {"site_elbow": True}, "diary": {}}, "text.read.site_elbow"),
        ({"words": "x", "read": {}, "diary": {"trend": 3}}, "text.diary.trend"),
    ],
)
def test_a_bad_signed_description_is_refused(kb: KnowledgeBase, origin: object, field: str) -> None:
    raw = {"age": 40, "answers": [], "text": origin}
    with pytest.raises(InvalidInputError) as info:
        origin_from_raw(raw, kb)
    assert field in [p.field for p in info.value.problems]


def test_the_web_state_takes_a_description_the_api_does_not(kb: KnowledgeBase) -> None:
    raw = {"age": 40, "answers": [], "known": {}, "text": {"words": "x", "read": {}, "diary": {}}}
    assert state_from_raw(raw, kb, with_known=True).age == 40
    assert origin_from_raw(raw, kb) is not None
    with pytest.raises(InvalidInputError):
        state_from_raw(raw, kb, prefill=True)
    assert origin_from_raw({"age": 40}, kb) is None
