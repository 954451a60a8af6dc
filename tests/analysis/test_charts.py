"""Charts: valid SVG with titles, byte-identical across runs, on short and long diaries; text
of at least 12 CSS px where the insights page shows them (a 390 px phone, a desktop),
labelled ticks across the whole ratio axis, and alt text that states the key numbers.

The font checks read the SVG the way a browser scales it: matplotlib draws each line of text
as glyph paths under ``scale(s -s)`` (s = font size / 100, in the SVG's units), and an <img>
scales the whole drawing by its shown width over the viewBox width. tests/browser/
test_every_page.py measures the same in Chromium.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
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
from crampwise.analysis.triggers import TriggerReport, analyse_triggers, fmt_ratio
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import open_store
from crampwise.web.app import WebSettings, create_app
from tests.web.helpers import TEST_HOST, TestClient

from .conftest import FACTORS, make_days, make_episodes

SVG = "{http://www.w3.org/2000/svg}"
MIN_PX = 12
COLUMN_MARGIN = 34
"""style.css: main has 1rem padding each side, the chart a 1px border."""
COLUMN_MAX = 800
"""style.css: main is at most 52rem, 800 px inside its padding."""
TEXT_LINE = re.compile(
    r'<!-- (?P<text>.*?) -->\s*<g (?:style="[^"]*" )?transform="[^"]*'
    r"scale\((?P<s>[\d.]+) -(?P=s)\)\""
)
GLYPH_GROUP = re.compile(r"scale\([\d.]+ -[\d.]+\)")


def _title(svg: bytes) -> str:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    assert root.find(f"{SVG}desc") is not None
    return title.text


def _desc(svg: bytes) -> str:
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None and desc.text
    return desc.text


def text_lines(svg: bytes) -> list[tuple[str, float]]:
    """Every line of text in a matplotlib SVG with its font size in the SVG's units."""
    source = svg.decode("utf-8")
    found = [(m["text"], 100 * float(m["s"])) for m in TEXT_LINE.finditer(source)]
    # None is missed: as many lines found as glyph groups drawn with a font scale.
    assert len(found) == len(GLYPH_GROUP.findall(source)) > 0
    return found


def view_box_width(svg: bytes) -> float:
    found = re.search(rb'viewBox="0 0 ([\d.]+) [\d.]+"', svg)
    assert found is not None
    return float(found.group(1))


def tick_labels(svg: bytes) -> list[float]:
    """The labelled ticks of the x axis."""
    ticks = re.findall(r'id="xtick_\d+">(?:(?!id="xtick_).)*?<!-- (.*?) -->', svg.decode(), re.S)
    return [float(t) for t in ticks]


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
    assert "low-water days" in _desc(effects).lower()


def test_effects_chart_with_nothing_estimable_still_renders() -> None:
    table = build_day_table(make_episodes([1] * 10), make_days(10), factors=FACTORS)
    assert table is not None
    svg = factor_effects_svg(analyse_triggers(table))
    assert _title(svg).startswith("Factors")
    assert _desc(svg) == "No factor has enough data yet."
    assert _title(cramps_over_time_svg(table)) == "Cramps over time"


# ------------------------------------------------------------------ ticks on the ratio axis


@pytest.fixture(scope="module")
def demo_report() -> TriggerReport:
    """The demo diary (`crampwise demo`: seed 7, a year) on fixed dates."""
    days, episodes = generate_diary(7, 365, end=date(2026, 6, 30), factors=FACTORS)
    table = build_day_table(episodes, days, factors=FACTORS)
    assert table is not None
    return analyse_triggers(table)


def test_ratio_axis_of_the_demo_diary_is_labelled_from_end_to_end(
    demo_report: TriggerReport,
) -> None:
    lows = [r.ci_low for r in demo_report.results if r.ci_low is not None]
    highs = [r.ci_high for r in demo_report.results if r.ci_high is not None]
    assert min(lows) < 0.6 and max(highs) > 2.2  # the ratios 0.5 to 0.9 are on the chart
    labels = tick_labels(factor_effects_svg(demo_report))
    assert labels == [0.5, 0.75, 1, 1.5, 2, 3]
    # Every interval lies between the outermost labels, and no label is more than 1.5 times
    # the one before: nothing shown is far from a number.
    assert labels[0] <= min(lows) and labels[-1] >= max(highs)
    assert max(b / a for a, b in zip(labels, labels[1:], strict=False)) <= 1.5


@pytest.mark.parametrize(
    ("lows", "highs"),
    [([], []), ([0.57], [2.32]), ([0.3], [1.1]), ([0.9], [7.0]), ([0.001], [500.0])],
)
@pytest.mark.parametrize("max_ticks", [6, 9])
def test_ratio_ticks_cover_the_axis_without_colliding(
    lows: list[float], highs: list[float], max_ticks: int
) -> None:
    from crampwise.analysis.chart_text import ratio_range, ratio_ticks

    start, end = ratio_range(lows, highs)
    assert start <= min([*lows, 0.8]) or start == 0.01
    assert end >= max([*highs, 1.25]) or end == 100
    ticks = ratio_ticks(start, end, max_ticks)
    assert ticks[0] == start and ticks[-1] == end and 1 in ticks
    assert len(ticks) <= max_ticks + 1
    span = math.log(end / start)
    gaps = [math.log(b / a) / span for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) <= 0.45  # no stretch of the axis without a number
    assert min(gaps) >= 0.1  # labels keep apart


def test_ratio_ticks_refuse_an_axis_that_misses_1() -> None:
    from crampwise.analysis.chart_text import ratio_ticks

    with pytest.raises(ValueError, match="across 1"):
        ratio_ticks(1.5, 3.0, 6)


# ------------------------------------------------------------------ as the page shows them


@pytest.fixture(scope="module")
def demo_diary() -> tuple[list[DayFactors], list[Episode]]:
    """The demo diary (seed 7, a year up to yesterday), as `crampwise demo` makes it."""
    return generate_diary(7, 365, factors=FACTORS)


@pytest.fixture(scope="module")
def demo_client(
    tmp_path_factory: pytest.TempPathFactory, demo_diary: tuple[list[DayFactors], list[Episode]]
) -> Iterator[TestClient]:
    """The web app on the demo diary."""
    folder = tmp_path_factory.mktemp("charts-web")
    url = f"sqlite:///{folder / 'diary.sqlite3'}"
    days, episodes = demo_diary
    with open_store(url) as store:
        store.import_entries(episodes, days)
    settings = WebSettings(database_url=url, allowed_hosts=(TEST_HOST,), data_dir=folder / "data")
    with TestClient(create_app(settings), raise_server_exceptions=True) as client:
        yield client


def _charts_for(html: str, viewport: int) -> list[tuple[str, str]]:
    """(address, alt) of each chart image the page shows at ``viewport`` CSS px wide: a
    <picture>'s <source> whose max-width media query matches, else the <img> itself."""
    charts = []
    for img in re.finditer(r'<img class="chart"[^>]*>', html):
        alt = re.search(r'alt="([^"]*)"', img.group(0))
        src = re.search(r'src="([^"]*)"', img.group(0))
        assert alt is not None and src is not None
        address = src.group(1)
        opening = html.rfind("<picture>", 0, img.start())
        if opening != -1 and "</picture>" not in html[opening : img.start()]:
            for source in re.finditer(r"<source[^>]*>", html[opening : img.start()]):
                media = re.search(r'media="\(max-width: ([\d.]+)rem\)"', source.group(0))
                srcset = re.search(r'srcset="([^"]*)"', source.group(0))
                assert media is not None and srcset is not None
                if viewport <= float(media.group(1)) * 16:
                    address = srcset.group(1)
                    break
        charts.append((address.replace("&amp;", "&"), alt.group(1)))
    return charts


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [390, 768, 1280])
def test_chart_text_is_at_least_12px_as_the_page_shows_it(
    demo_client: TestClient, viewport: int
) -> None:
    page = demo_client.get("/diary/insights")
    assert page.status_code == 200
    charts = _charts_for(page.text, viewport)
    assert len(charts) == 2
    shown = min(viewport - COLUMN_MARGIN, COLUMN_MAX)  # each chart fills the column
    for address, _alt in charts:
        response = demo_client.get(address)
        assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
        scale = shown / view_box_width(response.content)
        smallest = min(text_lines(response.content), key=lambda line: line[1])
        assert smallest[1] * scale >= MIN_PX, (address, smallest, f"{smallest[1] * scale:.1f} px")


@pytest.mark.slow
def test_chart_alt_text_states_the_key_numbers(
    demo_client: TestClient, demo_diary: tuple[list[DayFactors], list[Episode]]
) -> None:
    charts = _charts_for(demo_client.get("/diary/insights").text, 1280)
    (_, cramps_alt), (_, effects_alt) = charts
    api = demo_client.get("/api/v1/insights").json()
    summary = api["summary"]
    assert f"{summary['cramps']} cramps over {summary['days_covered']} days" in cramps_alt
    assert f"{summary['cramps_per_week']:.1f} a week on average" in cramps_alt
    # The first and the last 4 weeks, counted here from the episodes themselves.
    start, end = date.fromisoformat(summary["start"]), date.fromisoformat(summary["end"])
    days = [e.day for e in demo_diary[1]]
    first = sum(start <= d < start + timedelta(days=28) for d in days) / 4
    last = sum(end - timedelta(days=28) < d <= end for d in days) / 4
    assert f"went from {first:.1f} in the first 4 weeks to {last:.1f} in the last 4" in cramps_alt
    clear = [r for r in api["triggers"]["results"] if r["status"] == "clear_association"]
    assert clear, "the demo diary has clear associations"
    for r in clear:
        numbers = (
            f"{fmt_ratio(r['rate_ratio'])} times the cramps "
            f"(95% interval {fmt_ratio(r['ci_low'])} to {fmt_ratio(r['ci_high'])})"
        )
        assert numbers in effects_alt
    estimated = [r for r in api["triggers"]["results"] if r["rate_ratio"] is not None]
    assert f"No clear association for the other {len(estimated) - len(clear)}." in effects_alt


@pytest.mark.slow
def test_a_chart_layout_that_does_not_exist_is_a_422(demo_client: TestClient) -> None:
    response = demo_client.get("/diary/charts/effects.svg", params={"layout": "tiny"})
    assert response.status_code == 422
    assert "query.layout" in response.text and "wide, narrow" in response.text
