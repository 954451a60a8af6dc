"""What the diary already answers before the interview starts, and a sentence that says so.

Only what the diary really supports is taken: a diary of at least 2 weeks, kept up to within
the last 4 weeks, with at least 3 cramps in the last 4 weeks. From it come how often
(``episodes_per_week``, the last 4 weeks), a clear change (``trend`` worse or better, as
``analyse_trend`` decides; "no clear change" is left for the person to answer) and when the
cramps come (night, rest, walking, standing), only ever as *yes*: a diary without walking
cramps does not show that walking never brings one on, so nothing is set to "no" and an
unknown stays unknown. ``diary_prefill`` is pure: the caller reads the diary (``read_prefill``
does, for the CLI and the web) and passes today's date.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from crampwise.analysis.trend import (
    FINDINGS_DAYS,
    RECENT_DAYS,
    TIMING_OF_ACTIVITY,
    analyse_trend,
)
from crampwise.case.model import FindingValue
from crampwise.diary.records import Episode
from crampwise.engine.interview import Answer
from crampwise.knowledge.schema import Question

if TYPE_CHECKING:
    from crampwise.diary.store import DiaryStore

MIN_SPAN_DAYS = 14
MIN_RECENT_CRAMPS = 3
STALE_DAYS = 28
LOOKBACK_DAYS = FINDINGS_DAYS
"""How far back the caller needs to read the diary."""
# The diary activities whose timing is taken, with their words, in the order the sentence
# names them; the finding each one shows is the trend analysis's (TIMING_OF_ACTIVITY).
_TIMING_WORDS = {
    "in_bed": "in bed",
    "sitting": "while sitting",
    "walking": "while walking",
    "standing": "while standing",
}
# Timing finding -> (diary activity, words).
TIMINGS = {TIMING_OF_ACTIVITY[act]: (act, words) for act, words in _TIMING_WORDS.items()}
TREND_WORDS = {"worse": "getting worse", "better": "getting better"}


@dataclass(frozen=True, slots=True)
class DiaryPrefill:
    findings: dict[str, FindingValue]
    """Case-format findings the diary supports (never a "no")."""
    sentence: str
    """"From your diary: …", for the person to see what was taken."""


def diary_prefill(
    episodes: Sequence[Episode], record_days: Iterable[date], today: date
) -> DiaryPrefill | None:
    """The findings the diary supports as of ``today``, or None when it has too little.

    ``record_days`` are the days with daily factors recorded (they show the diary was kept
    on days without cramps); episodes after ``today`` are ignored.
    """
    start = today - timedelta(days=LOOKBACK_DAYS - 1)
    window = [e for e in episodes if start <= e.day <= today]
    kept = sorted({e.day for e in window} | {d for d in record_days if start <= d <= today})
    if not kept or (today - kept[0]).days + 1 < MIN_SPAN_DAYS:
        return None
    if (today - kept[-1]).days >= STALE_DAYS:
        return None
    recent_start = max(today - timedelta(days=RECENT_DAYS - 1), kept[0])
    if sum(recent_start <= e.day for e in window) < MIN_RECENT_CRAMPS:
        return None
    trend = analyse_trend(window, today=today, first_day=kept[0])
    findings: dict[str, FindingValue] = {"episodes_per_week": trend.findings["episodes_per_week"]}
    if trend.direction in TREND_WORDS:
        findings["trend"] = trend.direction
    for fid in TIMINGS:
        if trend.findings.get(fid) is True:
            findings[fid] = True
    weeks = ((today - recent_start).days + 1) // 7
    activities = Counter(e.activity for e in window)
    counts = {fid: activities[TIMINGS[fid][0]] for fid in TIMINGS if fid in findings}
    return DiaryPrefill(findings, diary_sentence(findings, weeks, counts))


def _cramps(n: int) -> str:
    return f"{n} cramp" if n == 1 else f"{n} cramps"


def diary_sentence(
    findings: Mapping[str, FindingValue],
    weeks: int | None = None,
    counts: Mapping[str, int] | None = None,
) -> str:
    """ "From your diary: about 4 cramps a week over the last 4 weeks, getting worse; …"."""
    parts: list[str] = []
    rate = findings.get("episodes_per_week")
    if isinstance(rate, int | float) and not isinstance(rate, bool):
        n = max(1, math.floor(rate + 0.5))
        over = f" over the last {weeks} weeks" if weeks else ""
        parts.append(f"about {_cramps(n)} a week{over}")
    trend = findings.get("trend")
    if isinstance(trend, str) and trend in TREND_WORDS:
        parts.append(TREND_WORDS[trend])
    head = ", ".join(parts)
    timings = [fid for fid in TIMINGS if findings.get(fid) is True]
    if timings:
        if counts:
            said = [f"{counts.get(fid, 0)} {TIMINGS[fid][1]}" for fid in timings]
            said[0] = said[0].replace(" ", " came on ", 1)
            tail = f"of the cramps recorded, {_join(said)}"
        else:
            tail = f"cramps came on {_join([TIMINGS[fid][1] for fid in timings])}"
        head = f"{head}; {tail}" if head else tail
    return f"From your diary: {head}." if head else ""


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def keep_diary(
    question: Question,
    answer: Answer,
    known: Mapping[str, FindingValue],
    *,
    pre_ticked: bool = False,
) -> Answer:
    """A checklist answer that does not undo, by leaving it out, a "yes" the diary shows.

    "Don't know" to the whole list keeps the diary's yeses. An item left unticked keeps it
    too, unless the form showed the item ticked already (``pre_ticked``, the web): then
    unticking it is the person's "no". "Not sure" about one item, or an answer to a single
    question, always wins.
    """
    if question.kind != "checklist":
        return answer
    whole_dont_know = all(value is None for value in answer.values.values())
    left_out = (None,) if whole_dont_know else () if pre_ticked else (False,)
    values = {
        fid: True if known.get(fid) is True and value in left_out else value
        for fid, value in answer.values.items()
    }
    return Answer(answer.question_id, values)


def read_prefill(store: DiaryStore, today: date) -> DiaryPrefill | None:
    """``diary_prefill`` on the diary's last ``LOOKBACK_DAYS`` (the one read, for the edges)."""
    start = today - timedelta(days=LOOKBACK_DAYS - 1)
    episodes = store.list_episodes(start, today)
    days = [d.day for d in store.list_days(start, today)]
    return diary_prefill(episodes, days, today)
