"""The verdict table: thresholds and plain words."""

from __future__ import annotations

import pytest

from crampwise.experiments.verdict import VERDICT_IDS, CaveatFacts, Numbers, caveats, decide


def numbers(rr: float, lo: float, hi: float, p: float, p20: float, days: int = 15) -> Numbers:
    return Numbers(rr, lo, hi, p, p20, days, days)


@pytest.mark.parametrize(
    ("n", "verdict", "words"),
    [
        (
            numbers(0.6, 0.4, 0.85, 0.99, 0.8),
            "helps",
            "likely helps: about 40% fewer cramps (95% interval 15% to 60% fewer)",
        ),
        (
            numbers(1.5, 1.1, 2.2, 0.01, 0.001),
            "harms",
            "may make cramps more frequent: about 50% more cramps"
            " (95% interval from 10% more to 2.2 times as many)",
        ),
        (
            numbers(1.05, 0.85, 1.3, 0.3, 0.02),
            "no_benefit",
            "no sign it helps: about 5% more cramps (95% interval from 15% fewer to 30% more);"
            " a benefit of 20% or more is unlikely",
        ),
        (numbers(0.7, 0.3, 1.5, 0.85, 0.6), "cant_tell", "leans towards helping (chance of any"),
        (
            numbers(1.0, 0.95, 1.05, 0.5, 0.0),
            "no_benefit",
            "no sign it helps: about the same number of cramps"
            " (95% interval from 5% fewer to 5% more)",
        ),
        (numbers(1.0, 0.3, 3.0, 0.5, 0.3), "cant_tell", "from 70% fewer to 3.0 times as many"),
        (
            numbers(1.4, 1.1, 1.8, 0.01, 0.001),
            "harms",
            "about 40% more cramps (95% interval 10% to 80% more)",
        ),
        (numbers(1.0, 0.0, 9.9, 0.5, 0.5, days=1), "not_enough", "not enough counted days"),
    ],
)
def test_verdict_table(n: Numbers, verdict: str, words: str) -> None:
    got_id, sentence = decide(n)
    assert got_id == verdict
    assert words in sentence


def test_helps_needs_the_whole_interval_below_one() -> None:
    # P(RR<1) = 0.96 is not enough: "helps" is kept to at most ~2.5% under no effect.
    assert decide(numbers(0.7, 0.45, 1.02, 0.96, 0.7))[0] == "cant_tell"
    assert decide(numbers(0.7, 0.45, 0.98, 0.976, 0.7))[0] == "helps"
    assert set(VERDICT_IDS) == {"not_enough", "helps", "harms", "no_benefit", "cant_tell"}


def test_caveats_follow_the_facts() -> None:
    base = CaveatFacts(30, 20, 2, 15, 15, 0, 0, 30, False, 1.1, True)
    plain = caveats(base)
    assert any(c.startswith("No blinding") for c in plain)
    assert any(c.startswith("Carry-over: the first 2 days") for c in plain)
    assert not any(c.startswith(("Stopped early", "Adherence", "Cramps came")) for c in plain)
    worse = caveats(CaveatFacts(20, 20, 2, 10, 6, 3, 2, 30, True, 2.4, True))
    assert any(c.startswith("Stopped early: 20 of 30") for c in worse)
    assert any(c.startswith("Adherence: 4 of 10 remedy days") for c in worse)
    assert any("2.4 times" in c for c in worse)
    assert any("On 2 usual-routine days" in c for c in worse)
