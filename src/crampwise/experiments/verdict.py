"""What a result means, in words: the verdict table and the caveats CENT 2015 asks for.

The verdicts are tried in order and the first whose test holds is given. Their thresholds:

- ``not_enough``: an arm has fewer than ``MIN_ARM_DAYS`` counted days so far;
- ``helps``: P(RR < 1) >= 0.975, i.e. the whole 95% interval lies below 1;
- ``harms``: P(RR > 1) >= 0.975, the whole 95% interval lies above 1;
- ``no_benefit``: P(RR < 0.8) <= 0.05, a benefit of 20% or more is unlikely;
- ``cant_tell``: anything else.

Requiring the whole interval below 1 keeps "helps" to at most about 2.5% of experiments on a
remedy that does nothing (the calibration test measures it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MIN_ARM_DAYS = 2
HELPS_P = 0.975
NO_BENEFIT_P20 = 0.05

SEEK_CARE = (
    "This is a fair test of a routine, not a diagnosis. See a doctor if cramps are frequent, "
    "severe, getting worse or disturb your sleep, and get help at once for a leg that is "
    "swollen, red, pale or cold, or for sudden weakness or numbness."
)


@dataclass(frozen=True, slots=True)
class Numbers:
    """What the verdict reads from a result."""

    rate_ratio: float
    lower: float
    upper: float
    p_benefit: float
    p_benefit_20: float
    days_remedy: int
    days_usual: int


def _pct(ratio: float) -> int:
    return round(abs(1.0 - ratio) * 100)


def _change(ratio: float) -> str:
    """``0.6`` -> "40% fewer", ``1.3`` -> "30% more", ``3.2`` -> "3.2 times as many"."""
    pct = _pct(ratio)
    if pct == 0:
        return "no change"
    if ratio >= 2:
        return f"{ratio:.1f} times as many"
    return f"{pct}% {'fewer' if ratio < 1 else 'more'}"


def _about(ratio: float) -> str:
    """ "about 40% fewer cramps", or "about the same number of cramps"."""
    if _pct(ratio) == 0:
        return "about the same number of cramps"
    return f"about {_change(ratio)} cramps"


def _interval(n: Numbers) -> str:
    lo, hi = n.lower, n.upper
    if hi < 1:
        return f"95% interval {_pct(hi)}% to {_pct(lo)}% fewer"
    if lo > 1 and hi < 2:
        return f"95% interval {_pct(lo)}% to {_pct(hi)}% more"
    return f"95% interval from {_change(lo)} to {_change(hi)}"


@dataclass(frozen=True, slots=True)
class Verdict:
    id: str
    test: Callable[[Numbers], bool]
    words: Callable[[Numbers], str]


def _helps(n: Numbers) -> str:
    return f"likely helps: {_about(n.rate_ratio)} ({_interval(n)})"


def _harms(n: Numbers) -> str:
    return f"may make cramps more frequent: {_about(n.rate_ratio)} ({_interval(n)})"


def _no_benefit(n: Numbers) -> str:
    return (
        f"no sign it helps: {_about(n.rate_ratio)} ({_interval(n)});"
        " a benefit of 20% or more is unlikely"
    )


def _cant_tell(n: Numbers) -> str:
    lean = ""
    if n.p_benefit >= 0.8:
        lean = f", though it leans towards helping (chance of any benefit {n.p_benefit:.0%})"
    elif n.p_benefit <= 0.2:
        lean = f", though it leans towards no benefit (chance of any benefit {n.p_benefit:.0%})"
    return f"can't tell yet: {_about(n.rate_ratio)} ({_interval(n)}){lean}"


def _not_enough(n: Numbers) -> str:
    return (
        "can't tell yet: not enough counted days of both routines"
        f" ({n.days_remedy} with the remedy, {n.days_usual} usual)"
    )


VERDICTS: tuple[Verdict, ...] = (
    Verdict("not_enough", lambda n: min(n.days_remedy, n.days_usual) < MIN_ARM_DAYS, _not_enough),
    Verdict("helps", lambda n: n.p_benefit >= HELPS_P, _helps),
    Verdict("harms", lambda n: 1.0 - n.p_benefit >= HELPS_P, _harms),
    Verdict("no_benefit", lambda n: n.p_benefit_20 <= NO_BENEFIT_P20, _no_benefit),
    Verdict("cant_tell", lambda n: True, _cant_tell),
)
VERDICT_IDS: tuple[str, ...] = tuple(v.id for v in VERDICTS)


def decide(numbers: Numbers) -> tuple[str, str]:
    """(verdict id, the sentence) for these numbers."""
    for verdict in VERDICTS:
        if verdict.test(numbers):
            return verdict.id, verdict.words(numbers)
    raise AssertionError("the last verdict always applies")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class CaveatFacts:
    """What the caveats read: the size, the washout, adherence and how far it got."""

    counted_days: int
    cramps: int
    washout_days: int
    remedy_days: int
    remedy_done: int
    remedy_missing: int
    usual_done: int
    planned_days: int
    stopped_early: bool
    phi_median: float
    dispersion_checked: bool


def caveats(f: CaveatFacts) -> list[str]:
    """The limits of this result in plain words (CENT 2015 items), most important first."""
    out = [
        f"Small numbers: {f.cramps} cramps over {f.counted_days} counted days. A few cramps more"
        " or fewer could change the result; the interval shows how much.",
        "No blinding: you knew which routine you were on, and expecting a remedy to work can"
        " change how cramps feel and get logged.",
    ]
    if f.stopped_early:
        out.append(
            f"Stopped early: {f.counted_days} of {f.planned_days} planned counted days so far,"
            " so the interval is wider than the full experiment would give."
        )
    if f.remedy_days and (f.remedy_done < f.remedy_days):
        missed = f.remedy_days - f.remedy_done
        missing = f" ({f.remedy_missing} without a check-in)" if f.remedy_missing else ""
        out.append(
            f"Adherence: {missed} of {f.remedy_days} remedy days were not checked in as done"
            f"{missing}. Days are analysed as scheduled, so missed days make the remedy look"
            " weaker than it may be."
        )
    if f.usual_done:
        out.append(
            f"On {f.usual_done} usual-routine days you checked in as having done the remedy;"
            " that blurs the difference between the two routines."
        )
    if f.dispersion_checked and f.phi_median > 1.5:
        out.append(
            f"Cramps came in clusters (blocks varied about {f.phi_median:.1f} times more than"
            " chance would explain), so the interval was widened to match."
        )
    elif not f.dispersion_checked:
        out.append(
            "Too few blocks with cramps to check whether cramps cluster, so the interval allows"
            " for anything from none to strong clustering, and is wide."
        )
    out.append(
        f"Carry-over: the first {f.washout_days} days of each block were not counted so the"
        " previous routine could wear off; an effect that lasts longer would blur the result."
    )
    out.append(
        "Regression to the mean and the seasons: cramps often ease on their own after a bad"
        " spell. The random order within each pair protects the comparison, not the overall"
        " change over the weeks."
    )
    out.append("The result is about you over these weeks; it says nothing about other people.")
    return out
