"""The diary feeds the interview: only what it supports, never a "no", said in one sentence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crampwise.analysis.prefill import diary_prefill, diary_sentence, keep_diary
from crampwise.engine.interview import Answer, checklist_answer, dont_know
from crampwise.knowledge import load_knowledge

from .conftest import START, make_episodes

KB = load_knowledge()
ALLOWED = {
    "episodes_per_week",
    "trend",
    "timing_night",
    "timing_rest",
    "timing_walking",
    "timing_standing",
}


def day(i: int) -> date:
    return START + timedelta(days=i)


def every(n_days: int, per_week: int) -> list[int]:
    """Daily counts with ``per_week`` cramps on the first days of each week."""
    return [1 if i % 7 < per_week else 0 for i in range(n_days)]


def test_steady_four_a_week_gives_the_rate_and_no_trend() -> None:
    episodes = make_episodes(every(56, 4))
    pre = diary_prefill(episodes, [], today=day(55))
    assert pre is not None
    assert pre.findings == {"episodes_per_week": 4.0, "timing_night": True}
    assert pre.sentence == (
        "From your diary: about 4 cramps a week over the last 4 weeks; "
        "of the cramps recorded, 32 came on in bed."
    )


def test_a_clear_worsening_is_taken_and_said() -> None:
    counts = every(56, 1) + [1] * 28  # once a week for 8 weeks, then daily
    pre = diary_prefill(make_episodes(counts, activity="walking"), [], today=day(83))
    assert pre is not None
    assert pre.findings["trend"] == "worse"
    assert pre.findings["episodes_per_week"] == 7.0
    assert pre.findings["timing_walking"] is True
    assert pre.sentence.startswith(
        "From your diary: about 7 cramps a week over the last 4 weeks, getting worse; "
        "of the cramps recorded, 36 came on while walking."
    )


def test_walking_and_rest_are_yes_and_nothing_is_ever_no() -> None:
    # Many cramps, none in bed: the diary still does not say "never at night".
    episodes = make_episodes(every(28, 3), "walking") + make_episodes(every(28, 2), "sitting")
    pre = diary_prefill(episodes, [], today=day(27))
    assert pre is not None
    assert pre.findings["timing_walking"] is True and pre.findings["timing_rest"] is True
    assert "timing_night" not in pre.findings
    assert False not in pre.findings.values()
    assert "of the cramps recorded, 8 came on while sitting and 12 while walking" in pre.sentence


@pytest.mark.parametrize("activity", ["in_bed", "sitting", "walking", "standing", "exercising"])
@pytest.mark.parametrize("pattern", [every(84, 1), every(84, 5), every(28, 1) + [2] * 56])
def test_only_safe_findings_and_never_a_warning_sign(activity: str, pattern: list[int]) -> None:
    pre = diary_prefill(make_episodes(pattern, activity), [], today=day(len(pattern) - 1))
    assert pre is not None
    assert set(pre.findings) <= ALLOWED
    assert all(KB.findings[fid].group != "serious" for fid in pre.findings)
    assert all(v is not False for v in pre.findings.values())
    for fid, value in pre.findings.items():  # every value is one the case format allows
        assert KB.findings[fid].type in ("bool", "number", "choice"), value


@pytest.mark.parametrize(
    ("counts", "days", "today", "why"),
    [
        ([1] * 10, [], 9, "only 10 days of diary"),
        ([0] * 13 + [1], [], 13, "13 days"),
        ([1] * 30, [], 60, "nothing recorded for 31 days"),
        ([0] * 26 + [1, 1], [], 27, "2 cramps in 4 weeks"),
        ([1] * 20 + [0] * 40, [], 59, "cramps stopped 5 weeks ago"),
        ([], list(range(40)), 39, "no cramps at all"),
    ],
)
def test_too_little_diary_gives_nothing(
    counts: list[int], days: list[int], today: int, why: str
) -> None:
    assert diary_prefill(make_episodes(counts), [day(i) for i in days], day(today)) is None, why


def test_recorded_days_count_as_the_diary_being_kept() -> None:
    # Three cramps in the last days of a diary kept daily for 3 weeks: enough.
    counts = [0] * 18 + [1, 1, 1]
    assert diary_prefill(make_episodes(counts), [], day(20)) is None  # 3 days of episodes only
    pre = diary_prefill(make_episodes(counts), [day(i) for i in range(21)], day(20))
    assert pre is not None
    assert pre.findings["episodes_per_week"] == 1.0
    assert "over the last 3 weeks" in pre.sentence


def test_cramps_after_today_are_ignored() -> None:
    episodes = make_episodes(every(28, 1) + [3] * 7)
    pre = diary_prefill(episodes, [], day(27))
    assert pre is not None and pre.findings["episodes_per_week"] == 1.0


def test_sentence_from_findings_alone() -> None:
    findings = {"episodes_per_week": 0.75, "trend": "better", "timing_rest": True}
    assert diary_sentence(findings) == (
        "From your diary: about 1 cramp a week, getting better; cramps came on while sitting."
    )
    assert diary_sentence({}) == ""


def test_an_unticked_item_does_not_undo_the_diary() -> None:
    sites = next(q for q in KB.questions if q.id == "sites")
    known = {"timing_walking": True, "episodes_per_week": 4.0}
    answer = checklist_answer(sites, ["site_calf"], unsure=["timing_night"])
    kept = keep_diary(sites, answer, known)
    assert kept.values["timing_walking"] is True  # from the diary
    assert kept.values["site_calf"] is True and kept.values["site_toes"] is False
    assert kept.values["timing_night"] is None  # "not sure" stays unknown
    how_often = next(q for q in KB.questions if q.id == "how_often")
    typed = Answer("how_often", {"episodes_per_week": 1.0})
    assert keep_diary(how_often, typed, known) is typed  # a typed answer wins


def test_dont_know_to_the_whole_list_keeps_the_diary_and_pre_ticked_untick_is_no() -> None:
    sites = next(q for q in KB.questions if q.id == "sites")
    known = {"timing_walking": True}
    whole = keep_diary(sites, dont_know(sites), known)
    assert whole.values["timing_walking"] is True and whole.values["site_calf"] is None
    assert keep_diary(sites, dont_know(sites), known, pre_ticked=True).values["timing_walking"]
    unticked = checklist_answer(sites, ["site_calf"])
    kept = keep_diary(sites, unticked, known, pre_ticked=True)
    assert kept.values["timing_walking"] is False  # the web showed it ticked; unticking is a no
