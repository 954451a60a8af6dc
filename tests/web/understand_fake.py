"""A small fake reader for the free-text flow: specific findings at known places in the text.

The real reader (``crampwise.text.read_text``) is tested on its own; the front ends are
tested against its contract with this stand-in, so they do not depend on its lexicon.
"""

from __future__ import annotations

from typing import Any

import pytest

from crampwise.case.model import Case, FindingValue
from crampwise.text import Span, TextReading

PHRASES: dict[str, tuple[str, FindingValue]] = {
    "my calf": ("site_calf", True),
    "at night": ("timing_night", True),
    "no swelling": ("calf_swollen_one_side", False),
    "twice a week": ("episodes_per_week", 2),
    "for a month": ("weeks_since_onset", 4),
    "foot went white and cold": ("foot_pale_or_cold", True),
    "getting worse": ("trend", "worse"),
}


def fake_read_text(text: str, *, age: float, sex: str | None = None, kb: Any) -> TextReading:
    findings: dict[str, FindingValue] = {}
    spans: dict[str, tuple[Span, ...]] = {}
    low = text.lower()
    for phrase, (fid, value) in PHRASES.items():
        at = low.find(phrase)
        if at >= 0:
            findings[fid] = value
            spans[fid] = (Span(at, at + len(phrase), text[at : at + len(phrase)]),)
    return TextReading(case=Case(age=age, sex=sex, findings=findings), spans=spans)


@pytest.fixture
def fake_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every front end reads with ``fake_read_text`` (they import ``read_text`` when used)."""
    monkeypatch.setattr("crampwise.text.read_text", fake_read_text)
