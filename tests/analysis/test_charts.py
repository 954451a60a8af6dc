"""Charts: valid SVG with titles, byte-identical across runs, on short and long diaries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from crampwise.analysis.charts import (
    CRAMPS_FILE,
    EFFECTS_FILE,
    cramps_over_time_svg,
    factor_effects_svg,
    write_charts,
)
from crampwise.analysis.design import build_day_table
from crampwise.analysis.synthetic import generate_diary
from crampwise.analysis.triggers import analyse_triggers

from .conftest import FACTORS, make_days, make_episodes

SVG = "{http://www.w3.org/2000/svg}"


def _title(svg: bytes) -> str:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    assert root.find(f"{SVG}desc") is not None
    return title.text


@pytest.mark.parametrize("n_days", [120, 800])
def test_charts_are_valid_svg_with_titles_and_reproducible(tmp_path: Path, n_days: int) -> None:
    days, episodes = generate_diary(2, n_days, end=date(2024, 6, 30), factors=FACTORS)
    table = build_day_table(episodes, days, factors=FACTORS)
    assert table is not None
    report = analyse_triggers(table)
    first = write_charts(table, report, tmp_path / "a")
    second = write_charts(table, report, tmp_path / "b")
    assert [p.name for p in first] == [CRAMPS_FILE, EFFECTS_FILE]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert _title(first[0].read_bytes()) == "Cramps over time"
    effects = first[1].read_bytes()
    assert _title(effects) == "Factors and your cramps (rate ratios)"
    assert b"low-water days" in ET.tostring(ET.fromstring(effects).find(f"{SVG}desc"))  # type: ignore[arg-type]


def test_effects_chart_with_nothing_estimable_still_renders() -> None:
    table = build_day_table(make_episodes([1] * 10), make_days(10), factors=FACTORS)
    assert table is not None
    svg = factor_effects_svg(analyse_triggers(table))
    assert _title(svg).startswith("Factors")
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None and desc.text == "No factor has enough data yet."
    assert _title(cramps_over_time_svg(table)) == "Cramps over time"
