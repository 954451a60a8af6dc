"""build_insights: one object for the CLI, the web layer and JSON."""

from __future__ import annotations

import json
from datetime import date, timedelta

from crampwise.analysis.insights import EMPTY_MESSAGE, STEPS, build_insights
from crampwise.analysis.synthetic import generate_diary

from .conftest import FACTORS

END = date(2024, 6, 30)


def test_insights_combine_summary_triggers_and_trend() -> None:
    days, episodes = generate_diary(9, 200, END, factors=FACTORS)
    calls: list[int] = []
    result = build_insights(episodes, days, progress=calls.append, factors=FACTORS)
    assert sum(calls) == STEPS
    assert result.summary is not None and result.summary.cramps == len(episodes)
    assert result.summary.days_covered == 200 and result.summary.end == END
    data = result.to_dict()
    json.dumps(data, allow_nan=False)  # strict JSON as it stands: no NaN/inf
    assert data["empty"] is False
    assert len(data["triggers"]["results"]) == 20
    assert data["trend"]["findings"]["episodes_per_week"] > 0


def test_today_cuts_the_diary() -> None:
    days, episodes = generate_diary(9, 200, END, factors=FACTORS)
    cut = END - timedelta(days=50)
    result = build_insights(episodes, days, today=cut, factors=FACTORS)
    assert result.summary is not None and result.summary.end == cut
    assert result.summary.cramps == sum(e.day <= cut for e in episodes)


def test_empty_diary_is_friendly() -> None:
    calls: list[int] = []
    result = build_insights([], [], progress=calls.append, factors=FACTORS)
    assert result.empty and result.messages == (EMPTY_MESSAGE,)
    assert sum(calls) == STEPS
    assert result.to_dict() == {
        "empty": True,
        "summary": None,
        "triggers": None,
        "trend": None,
        "messages": [EMPTY_MESSAGE],
        "left_out": [],
    }
