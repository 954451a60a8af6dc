"""Phrase -> findings, written from how people talk (not taken from the vignettes).

Each row: a text, the findings it must give (id -> value) and the ids it must leave unknown.
"""

from __future__ import annotations

from typing import Any

import pytest

from crampwise.knowledge import KnowledgeBase
from crampwise.text import read_text

ROWS: list[tuple[str, dict[str, Any], set[str]]] = [
    # where, when, which side
    (
        "My toes curl up at night after long runs.",
        {"toes_curl_or_foot_turns_in": True, "timing_night": True, "timing_after_exercise": True},
        set(),
    ),
    (
        "I get a charley horse in my right calf in bed.",
        {"site_calf": True, "side": "right", "timing_night": True},
        set(),
    ),
    (
        "Both feet cramp when I'm sitting watching telly.",
        {"site_foot": True, "side": "both", "timing_rest": True},
        set(),
    ),
    (
        "My hamstrings seize up during football.",
        {"site_thigh": True, "timing_during_exercise": True},
        set(),
    ),
    # negation, and where its scope ends
    ("No swelling in my leg.", {"calf_swollen_one_side": False}, set()),
    (
        "There's no swelling, but my calf is red and warm.",
        {"calf_swollen_one_side": False, "calf_warm_or_red": True},
        set(),
    ),
    ("I don't have diabetes, although I do smoke.", {"diabetes": False, "smoker": True}, set()),
    (
        "My calf isn't swollen or red.",
        {"calf_swollen_one_side": False, "calf_warm_or_red": False},
        set(),
    ),
    (
        "No chest pain. My left calf is swollen.",
        {"breathless_or_chest_pain": False, "calf_swollen_one_side": True, "side": "left"},
        set(),
    ),
    ("I'm not short of breath.", {"breathless_or_chest_pain": False}, set()),
    ("My wee looks normal.", {"dark_or_little_urine": False}, set()),
    ("Stretching doesn't help at all.", {"relieved_by_stretching": False}, set()),
    ("I've never smoked.", {"smoker": False}, set()),
    ("I'm a non-smoker.", {"smoker": False}, set()),
    # history: a past habit still counts for health; a past symptom is not now
    ("I smoked for thirty years but stopped.", {"smoker": True}, set()),
    ("I used to get cramps at night as a teenager.", {}, {"timing_night"}),
    ("I had an operation on my knee years ago.", {}, {"recent_surgery"}),
    ("I had chest pain last year.", {}, {"breathless_or_chest_pain"}),
    ("Last year I was diagnosed with diabetes.", {"diabetes": True}, set()),
    ("My calf used to swell years ago.", {}, {"calf_swollen_one_side"}),
    # hypothetical: left unknown
    ("In case my calf swells up, what should I do?", {}, {"calf_swollen_one_side"}),
    (
        "I'm worried it might be a blood clot in case my calf swells up.",
        {"worried": True},
        {"calf_swollen_one_side"},
    ),
    ("What if my foot goes cold and white?", {}, {"foot_pale_or_cold"}),
    ("Should I worry about chest pain?", {}, {"breathless_or_chest_pain"}),
    # someone else: left unknown
    ("My dad had a stroke last year.", {}, {"stroke_signs"}),
    ("My mother has diabetes and poor circulation.", {}, {"diabetes", "known_pad"}),
    ("My wife says my calf looks thinner.", {"muscle_wasting": True}, set()),
    # numbers, durations, frequencies
    ("I get a cramp about once a month.", {"episodes_per_week": 0.25}, set()),
    ("The cramps come three times a week.", {"episodes_per_week": 3.0}, set()),
    ("My calves cramp every night.", {"episodes_per_week": 7.0}, set()),
    ("The cramp lasts a couple of minutes.", {"episode_minutes": 2.0}, set()),
    ("I've had these cramps for six weeks.", {"weeks_since_onset": 6.0}, set()),
    ("My foot has been cramping since the summer.", {"weeks_since_onset": 13.0}, set()),
    ("I'm 30 weeks pregnant with leg cramps.", {"pregnant": True, "pregnancy_weeks": 30.0}, set()),
    ("The pain is 10 out of 10 when my calf cramps.", {"severity": 10}, set()),
    ("My cramps are about a seven out of ten.", {"severity": 7}, set()),
    ("Two or three nights a week my feet cramp.", {"episodes_per_week": 2.5}, set()),
    ("The cramps started twelve days ago.", {"weeks_since_onset": 12 / 7}, set()),
    # typos in long words
    (
        "My calfs cramp and I get diarrhoea and vommiting.",
        {"site_calf": True, "vomiting_or_diarrhoea": True},
        set(),
    ),
    ("I take atorvastin for cholesterol and my legs cramp.", {}, set()),
    (
        "I have bad cramping in my tighs and swolen ankles.",
        {"ankles_swollen_both": True, "site_thigh": True},
        set(),
    ),
    # warning signs in people's words
    (
        "My leg suddenly went white and I can't feel my toes.",
        {"foot_pale_or_cold": True, "sudden_numbness_or_cannot_move": True},
        set(),
    ),
    (
        "My pee is dark brown like cola and I'm so weak I can't get out of a chair.",
        {"dark_or_little_urine": True, "severe_pain_and_weakness": True},
        set(),
    ),
    (
        "An hour ago my arm and leg went weak and my mouth is drooping on one side.",
        {"stroke_signs": True},
        set(),
    ),
    (
        "I fell asleep on the sofa and woke with my calf rock hard in a cramp.",
        {"site_calf": True},
        {"recent_leg_injury", "calf_tense_after_injury"},
    ),
    (
        "I fell and hit my knee yesterday, and now my calf is rock hard and swollen.",
        {"recent_leg_injury": True, "calf_tense_after_injury": True},
        set(),
    ),
    ("My pee isn't dark but there's not much of it.", {"dark_or_little_urine": True}, set()),
    (
        "They've been slowly getting worse over the last year.",
        {"trend": "worse", "worse_suddenly": False},
        set(),
    ),
    ("The cramps suddenly got much worse two days ago.", {"worse_suddenly": True}, set()),
    (
        "They have got a bit better since I started stretching every evening.",
        {"trend": "better"},
        {"episodes_per_week"},
    ),
    ("The cramps are stopping me from working.", {"daily_life_affected": True}, set()),
    # a denial ends at a comma that starts a new clause: the warning sign stays present
    (
        "Suddenly I can't feel my left foot, it's gone pale and cold.",
        {"sudden_numbness_or_cannot_move": True, "foot_pale_or_cold": True},
        set(),
    ),
    ("I'm not sure if my calf is swollen.", {}, {"calf_swollen_one_side"}),
    ("I don't think my leg is swollen.", {}, {"calf_swollen_one_side"}),
    (
        "My mum had a DVT and I'm worried about the swelling in my calf.",
        {"calf_swollen_one_side": True, "worried": True},
        set(),
    ),
    ("I cycle five times a week and my calves cramp.", {"site_calf": True}, {"episodes_per_week"}),
    (
        "I've had a cramp in my calf right now for about 20 minutes and it won't go away.",
        {"current_cramp_minutes": 20.0, "pain_constant_at_rest": True},
        {"episode_minutes"},
    ),
    (
        "I feel confused and I've stopped sweating in this heat.",
        {"confused_or_hot_not_sweating": True, "heavy_sweating_or_heat": True},
        set(),
    ),
]


@pytest.mark.parametrize(("text", "expected", "unknown"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_phrase_table(
    text: str, expected: dict[str, Any], unknown: set[str], kb: KnowledgeBase
) -> None:
    findings = read_text(text, age=50, kb=kb).case.findings
    for fid, value in expected.items():
        assert fid in findings, f"{fid} not read from {text!r}; read {dict(findings)}"
        got = findings[fid]
        if isinstance(value, float):
            assert got == pytest.approx(value, rel=0.05), (fid, got)
        else:
            assert got == value, (fid, got)
    for fid in unknown:
        assert fid not in findings, f"{fid} should stay unknown in {text!r}"


def test_spans_point_into_the_original_text(kb: KnowledgeBase) -> None:
    text = "My  LEFT calf cramps at night\u2019s end, no swelling."
    reading = read_text(text, age=40, kb=kb)
    assert reading.spans
    for spans in reading.spans.values():
        for span in spans:
            assert text[span.start : span.end] == span.words
    assert reading.evidence["side"] == ["LEFT calf"]


def test_typo_span_is_the_words_the_person_typed(kb: KnowledgeBase) -> None:
    text = "I have had diarrohea for two days and my calves cramp."
    reading = read_text(text, age=40, kb=kb)
    assert reading.case.findings.get("vomiting_or_diarrhoea") is True
    assert reading.evidence["vomiting_or_diarrhoea"] == ["diarrohea"]


def test_short_and_safety_words_are_never_fuzzed(kb: KnowledgeBase) -> None:
    # "nor" is one letter from "not", "whitout" two from "without": a near miss must not
    # create a denial, so the warning sign stays present.
    for text in ("My calf is swolen nor red", "My calf is swollen whitout pain in my chest"):
        findings = read_text(text, age=60, kb=kb).case.findings
        assert findings.get("calf_swollen_one_side") is True, text


def test_bad_age_or_sex_is_refused(kb: KnowledgeBase) -> None:
    from crampwise.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as exc:
        read_text("calf cramps", age=200, kb=kb)
    assert exc.value.problems[0].field == "age"
    with pytest.raises(InvalidInputError):
        read_text("calf cramps", age=40, sex="robot", kb=kb)
