"""Diary analysis: triggers (rate ratios), trend, charts and synthetic diaries.

Functions take plain diary records, so they run without a database. numpy is imported
inside functions and matplotlib only in ``charts``, to keep command start-up fast.
"""

from crampwise.analysis.insights import Insights, build_insights
from crampwise.analysis.synthetic import NULL_FACTORS, PLANTED_EFFECTS, Effects, generate_diary
from crampwise.analysis.trend import analyse_trend, retriage
from crampwise.analysis.triggers import analyse_triggers

__all__ = [
    "NULL_FACTORS",
    "PLANTED_EFFECTS",
    "Effects",
    "Insights",
    "analyse_trend",
    "analyse_triggers",
    "build_insights",
    "generate_diary",
    "retriage",
]
