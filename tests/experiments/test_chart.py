"""The SVG chart: well-formed, accessible, readable at 390 px, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from crampwise.experiments import analyse, chart_svg, design

NS = "{http://www.w3.org/2000/svg}"


def test_chart_is_valid_svg_with_title_desc_and_big_enough_text() -> None:
    from datetime import date

    s = design("calf_stretch_bedtime", start=date(2026, 3, 2), seed=4, pairs=3)
    cramps = [d.date for d in s.days[::3]] + [s.days[10].date, s.days[30].date]
    result = analyse(s, cramps, {}, today=s.end)
    svg = chart_svg(s, cramps, s.end, result)
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    width = float(root.get("viewBox", "").split()[2])
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and "versus usual" in (title.text or "")
    assert desc is not None and "Rate ratio" in (desc.text or "")
    assert f"{result.cramps['remedy']} cramps on 15 counted remedy days" in (desc.text or "")
    # Font size in user units, scaled to a 390 px wide display, is at least 12 px.
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) * 390 / width >= 12
    # One bar per day with cramps, plus the calendar strip (one cell per day).
    assert svg.count('class="bar"') == len({d for d in cramps})
    assert len(root.findall(f"{NS}rect")) >= len(s.days)
    assert chart_svg(s, cramps, s.end, result) == svg  # deterministic


def test_future_days_are_empty_and_text_is_escaped() -> None:
    from datetime import date

    s = design("a<b&c", start=date(2026, 3, 2), seed=4, pairs=1)
    svg = chart_svg(s, [s.days[-1].date], s.days[0].date - timedelta(days=1))
    ET.fromstring(svg)  # escaping keeps it well-formed
    assert "a&lt;b&amp;c" in svg
    assert 'class="bar"' not in svg  # nothing drawn for days still to come
    assert svg.count('class="bar"') == 0 < chart_svg(s, [s.days[-1].date], s.end).count('"bar"')
