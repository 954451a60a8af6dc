"""Is it getting worse? The diary's recent weeks against the weeks before, and the diary
turned into case-format findings that the assessment engine can re-triage.

- Frequency: cramps in the last 4 weeks against the 8 weeks before (fewer when the diary is
  younger; at least 2 weeks are needed). The rate ratio has a Wald 95% interval on the log
  scale, widened by the day-to-day overdispersion of the counts when there is any. "Worse"
  needs the whole interval above 1 and a rise of at least 25%; "better" the mirror image.
- New cramps at rest (starting while sitting) or on walking (walking or standing): some in
  the last 4 weeks and none at all earlier in the diary (which must cover at least 2 weeks).
- Findings describe the last 12 weeks. A timing or site is true when at least 2 cramps
  show it (one could be a slip of the finger), false when none of at least 5 recorded
  cramps do, and left unknown otherwise; "unknown" is not "no" in the case format.
  ``weeks_since_onset`` is not produced: the diary only shows when recording began.

Days with no episode count as days without cramps; the span starts at the first day with
any record, so a gap before the diary began is not read as a cramp-free spell.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from crampwise.analysis.poisson import Z95
from crampwise.analysis.triggers import fmt_ratio
from crampwise.case import Case, FindingValue
from crampwise.diary.records import SITES, Episode

if TYPE_CHECKING:
    from crampwise.engine.result import Assessment
    from crampwise.knowledge import KnowledgeBase

RECENT_DAYS = 28
BEFORE_DAYS = 56
MIN_BEFORE_DAYS = 14
FINDINGS_DAYS = 84
MIN_CHANGE = 1.25
TIMING_OF_ACTIVITY = {
    "in_bed": "timing_night",
    "sitting": "timing_rest",
    "walking": "timing_walking",
    "standing": "timing_standing",
    "exercising": "timing_during_exercise",
    "after_exercise": "timing_after_exercise",
}
REST = ("sitting",)
WALKING = ("walking", "standing")

Direction = Literal["better", "same", "worse"]


@dataclass(frozen=True, slots=True)
class RateComparison:
    recent_count: int
    recent_days: int
    before_count: int
    before_days: int
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    dispersion: float

    @property
    def recent_per_week(self) -> float:
        return 7 * self.recent_count / self.recent_days

    @property
    def before_per_week(self) -> float:
        return 7 * self.before_count / self.before_days


@dataclass(frozen=True, slots=True)
class Trend:
    direction: Direction | None
    """None when the diary is too young to compare."""
    comparison: RateComparison | None
    new_at_rest: bool
    new_on_walking: bool
    messages: tuple[str, ...]
    findings: dict[str, FindingValue] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def compare_rates(counts_recent: Sequence[int], counts_before: Sequence[int]) -> RateComparison:
    """Rate ratio recent/before from daily counts, with an overdispersion-aware interval."""
    c1, d1, c0, d0 = sum(counts_recent), len(counts_recent), sum(counts_before), len(counts_before)
    # Pearson dispersion of the daily counts around each window's own mean.
    pearson, df = 0.0, d1 + d0 - 2
    for window, total, n in ((counts_recent, c1, d1), (counts_before, c0, d0)):
        mean = total / n
        if mean > 0:
            pearson += sum((c - mean) ** 2 for c in window) / mean
    dispersion = max(1.0, pearson / df) if df > 0 else 1.0
    # Half a cramp added to each side when either is zero, so the log ratio stays finite.
    a, b = (c1 + 0.5, c0 + 0.5) if min(c1, c0) == 0 else (float(c1), float(c0))
    log_rr = math.log((a / d1) / (b / d0))
    se = math.sqrt(dispersion * (1 / a + 1 / b))
    p = math.erfc(abs(log_rr / se) / math.sqrt(2.0))
    return RateComparison(
        recent_count=c1,
        recent_days=d1,
        before_count=c0,
        before_days=d0,
        rate_ratio=math.exp(log_rr),
        ci_low=math.exp(log_rr - Z95 * se),
        ci_high=math.exp(log_rr + Z95 * se),
        p_value=p,
        dispersion=dispersion,
    )


def _direction(cmp: RateComparison) -> Direction:
    if cmp.ci_low > 1 and cmp.rate_ratio >= MIN_CHANGE:
        return "worse"
    if cmp.ci_high < 1 and cmp.rate_ratio <= 1 / MIN_CHANGE:
        return "better"
    return "same"


def _frequency_message(direction: Direction, cmp: RateComparison) -> str:
    weeks = cmp.before_days / 7
    rates = (
        f"{cmp.recent_per_week:.1f} a week in the last 4 weeks against "
        f"{cmp.before_per_week:.1f} a week in the {weeks:.0f} weeks before"
    )
    ratio = (
        f"{fmt_ratio(cmp.rate_ratio)} times the rate; 95% interval "
        f"{fmt_ratio(cmp.ci_low)} to {fmt_ratio(cmp.ci_high)}"
    )
    if direction == "worse":
        rr = cmp.rate_ratio
        how = (
            "more than doubled"
            if rr >= 2.5
            else "about doubled"
            if rr >= 1.8
            else "become more frequent"
        )
        return (
            f"Your cramps have {how} in the last four weeks: {rates} ({ratio}). "
            "Cramps that keep getting worse are worth a doctor's review."
        )
    if direction == "better":
        return f"Your cramps have become less frequent: {rates} ({ratio})."
    return f"No clear change in how often you get cramps: {rates} ({ratio})."


def _tri_state(hits: int, known: int) -> bool | None:
    if hits >= 2:
        return True
    if hits == 0 and known >= 5:
        return False
    return None


def diary_findings(
    window: Sequence[Episode], recent_per_week: float, direction: Direction | None
) -> dict[str, FindingValue]:
    """Case-format findings from the episodes of the findings window (see module doc)."""
    findings: dict[str, FindingValue] = {"episodes_per_week": round(recent_per_week, 2)}
    if direction is not None:
        findings["trend"] = direction
    if not window:
        return findings
    findings["episode_minutes"] = float(statistics.median(e.duration_minutes for e in window))
    findings["severity"] = int(math.floor(statistics.median(e.severity for e in window) + 0.5))
    activities = Counter(e.activity for e in window if e.activity is not None)
    known = sum(activities.values())
    for activity, finding in TIMING_OF_ACTIVITY.items():
        value = _tri_state(activities.get(activity, 0), known)
        if value is not None:
            findings[finding] = value
    sites = Counter(s for e in window for s in e.sites)
    for site in SITES:
        value = _tri_state(sites.get(site, 0), len(window))
        if value is not None:
            findings[f"site_{site}"] = value
    sides = Counter(e.side for e in window if e.side is not None)
    legs = {s for s, n in sides.items() if n >= 2}
    if "both" in legs or {"left", "right"} <= legs:
        findings["side"] = "both"
    elif legs:
        findings["side"] = legs.pop()
    return findings


def analyse_trend(
    episodes: Sequence[Episode], *, today: date | None = None, first_day: date | None = None
) -> Trend:
    """Trend, new kinds of cramp and case findings, as of ``today`` (default: the last
    episode's day). ``first_day`` is when the diary starts (default: the first episode)."""
    if not episodes and today is None:
        return Trend(None, None, False, False, ("No cramps recorded yet.",), {})
    today = today or max(e.day for e in episodes)
    starts = [e.day for e in episodes] + ([first_day] if first_day is not None else [])
    first_day = min(starts, default=today)
    recent_start = today - timedelta(days=RECENT_DAYS - 1)
    before_start = max(recent_start - timedelta(days=BEFORE_DAYS), first_day)
    by_day = Counter(e.day for e in episodes if e.day <= today)

    def counts(start: date, end: date) -> list[int]:
        n = (end - start).days + 1
        return [by_day.get(start + timedelta(days=i), 0) for i in range(max(n, 0))]

    recent = counts(max(recent_start, first_day), today)
    before = counts(before_start, recent_start - timedelta(days=1))
    messages: list[str] = []
    direction: Direction | None = None
    comparison: RateComparison | None = None
    if len(before) >= MIN_BEFORE_DAYS:
        comparison = compare_rates(recent, before)
        direction = _direction(comparison)
        messages.append(_frequency_message(direction, comparison))
    else:
        need = MIN_BEFORE_DAYS + RECENT_DAYS - len(before) - len(recent)
        messages.append(f"Not enough history for a trend yet: keep the diary {need} more days.")

    new_rest, new_walk = _new_kinds(episodes, first_day, recent_start, today)
    if new_rest:
        messages.append(
            f"New: {new_rest} cramps started while sitting or resting in the last four weeks, "
            "and none before. Worth mentioning to a doctor."
        )
    if new_walk:
        messages.append(
            f"New: {new_walk} cramps started while walking or standing in the last four "
            "weeks, and none before. Cramp-like pain on walking should be checked by a doctor."
        )
    window_start = today - timedelta(days=FINDINGS_DAYS - 1)
    window = [e for e in episodes if window_start <= e.day <= today]
    per_week = 7 * sum(recent) / len(recent) if recent else 0.0
    return Trend(
        direction=direction,
        comparison=comparison,
        new_at_rest=bool(new_rest),
        new_on_walking=bool(new_walk),
        messages=tuple(messages),
        findings=diary_findings(window, per_week, direction),
    )


def _new_kinds(
    episodes: Sequence[Episode], first_day: date, recent_start: date, today: date
) -> tuple[int, int]:
    """Cramps in the recent weeks that started at rest, and on walking, when no earlier
    cramp did (0 when the diary is too young to say)."""
    if (recent_start - first_day).days < MIN_BEFORE_DAYS:
        return 0, 0
    earlier = [e for e in episodes if e.day < recent_start]
    latest = [e for e in episodes if recent_start <= e.day <= today]

    def is_new(kinds: tuple[str, ...]) -> int:
        if any(e.activity in kinds for e in earlier):
            return 0
        return sum(e.activity in kinds for e in latest)

    return is_new(REST), is_new(WALKING)


def retriage(
    findings: dict[str, FindingValue], age: float, sex: str | None = None, *, kb: KnowledgeBase
) -> Assessment:
    """Run the assessment engine on the diary's findings, with the caller's knowledge base."""
    from crampwise.engine.assess import assess

    return assess(Case(age=age, sex=sex, findings=dict(findings)), kb)
