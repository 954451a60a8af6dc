"""Every page at a phone's width (390 px) and a desktop's (1280 px), on the demo diary.

For each page and width: no sideways scrolling (scrollWidth <= the viewport), no chart text
under 12 CSS px, zero serious or critical axe violations (WCAG 2.x A/AA, 2.2 AA), and a
full-page screenshot in test-artifacts/pages/<page>-<width>.png to look at. A summary table
of what was measured is written to test-artifacts/pages/summary.md.

One line of ``PAGES`` adds a page. A page that answers 404 fails (only the error page is
meant to); ``pending`` names pages still being built, so their failures read as such.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest

from tests.browser.conftest import served
from tests.browser.test_browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pages"
WIDTHS = {390: 844, 1280: 800}
MIN_CHART_PX = 12.0


# ------------------------------------------------------------------ how to reach each page


def visit(path: str) -> Callable[[Any], int]:
    def open_page(page: Any) -> int:
        response = page.goto(path)
        assert response is not None
        status: int = response.status
        return status

    return open_page


def _submit(page: Any, button: str) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button).click()
    response = navigation.value
    assert response is not None
    status: int = response.status
    return status


def interview_step(page: Any) -> int:
    page.goto("/check")
    page.get_by_label("Your age in years").fill("70")
    page.get_by_label("Male", exact=True).check()
    status = _submit(page, "Start the questions")
    page.wait_for_selector("h2.question__text")
    return status


def result(page: Any) -> int:
    status = interview_step(page)
    for _ in range(60):
        if page.locator("h1", has_text="Your result").count():
            return status
        status = _submit(page, "Don't know")
    raise AssertionError("the interview did not reach a result")


def saved_check(page: Any) -> int:
    """A check saved to the diary: the page /checks/{id} it lands on."""
    result(page)
    return _submit(page, "Save to my diary")


def understood(page: Any) -> int:
    page.goto("/check")
    page.get_by_label("Your age in years").fill("58")
    page.get_by_label("Describe it in your own words (optional)").fill(
        "My calves cramp at night after long walks, no swelling, for about two months."
    )
    return _submit(page, "Start the questions")


def experiment_detail(page: Any) -> int:
    """Starts an experiment (the first remedy offered) and shows its page; once one runs
    (one at a time), opens that one."""
    page.goto("/experiments")
    running = page.get_by_role("link", name="Open it")
    if running.count():
        with page.expect_navigation() as navigation:
            running.click()
        response = navigation.value
        assert response is not None
        status: int = response.status
        return status
    page.get_by_role("radio").first.check()
    return _submit(page, "Start the experiment")


@dataclass(frozen=True, slots=True)
class PageCase:
    name: str
    open: Callable[[Any], int]
    """Opens the page; returns the HTTP status of the response that showed it."""
    status: int = 200
    pending: str = ""
    """Who is still building this page (the lead finalises the entry), or blank."""


PAGES = (
    PageCase("home", visit("/")),
    PageCase("check-start", visit("/check")),
    PageCase("interview-step", interview_step),
    PageCase("result", result),
    PageCase("diary", visit("/diary")),
    PageCase("history", visit("/diary/history")),
    PageCase("insights", visit("/diary/insights")),
    PageCase("transfer", visit("/transfer")),
    PageCase("sources", visit("/sources")),
    PageCase("error-404", visit("/no-such-page"), status=404),
    PageCase("edit-cramp", visit("/diary/episodes/1/edit")),
    PageCase("delete-cramp", visit("/diary/episodes/1/delete")),
    PageCase("saved-check", saved_check),
    PageCase("checks", visit("/checks")),
    PageCase("experiments", visit("/experiments")),
    PageCase("demo-experiment", visit("/experiments/1")),  # the demo's finished experiment
    PageCase("report", visit("/report")),
    PageCase("understood", understood),
    # Last: it adds an experiment to the diary.
    PageCase("experiment-detail", experiment_detail),
)


# ------------------------------------------------------------------ the demo diary, served


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a diary filled by `crampwise demo` (seed 7: 519 cramps, 351 days and a
    finished experiment)."""
    from click.testing import CliRunner

    from crampwise.cli import main
    from crampwise.web.app import WebSettings, create_app

    folder = tmp_path_factory.mktemp("every-page")
    url = f"sqlite:///{folder / 'diary.sqlite3'}"
    filled = CliRunner().invoke(main, ["demo"], env={"CRAMPWISE_DATABASE_URL": url})
    assert filled.exit_code == 0, filled.output
    assert "519 cramps and 351 recorded days, with 1 finished experiment" in filled.output
    app = create_app(WebSettings(database_url=url, data_dir=folder / "data"))
    with served(app) as url:
        yield url


@pytest.fixture
def demo_page(browser: Any, demo_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    width: int = request.param
    context = browser.new_context(
        base_url=demo_url, viewport={"width": width, "height": WIDTHS[width]}
    )
    pg = context.new_page()
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: None if r.url.startswith(("data:", demo_url)) else outside.append(r.url),
    )
    csp: list[str] = []
    pg.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert csp == [], f"the page broke its own CSP: {csp}"


# ------------------------------------------------------------------ measuring

# Every <img>, with its address and the width it is drawn at (content box, CSS px); and
# every <text> of inline SVG with its font size on screen (computed size x the CTM's scale).
_IMAGES_AND_INLINE_TEXT = """() => {
  const images = [...document.images].filter(i => i.currentSrc).map(i => ({
    src: i.currentSrc, width: i.clientWidth, shown: i.getClientRects().length > 0}));
  const inline = [...document.querySelectorAll('svg text')].map(t => {
    const m = t.getScreenCTM();
    return {text: t.textContent.trim().slice(0, 40),
            px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)};
  });
  return {images, inline};
}"""
# matplotlib draws each line of text as glyphs under scale(s -s), s = font size / 100.
_GLYPHS = re.compile(
    r'<!-- (.*?) -->\s*<g (?:style="[^"]*" )?transform="[^"]*scale\(([\d.]+) -\2\)"'
)
_TEXT_SIZE = re.compile(r'<text\b[^>]*?font-size[:=]\s*"?([\d.]+)')


def _svg_bytes(page: Any, src: str) -> bytes | None:
    if src.startswith("data:"):
        head, _, data = src.partition(",")
        if "image/svg+xml" not in head:
            return None
        return base64.b64decode(data) if head.endswith(";base64") else unquote_to_bytes(data)
    response = page.request.get(src)
    if "svg" not in response.headers.get("content-type", ""):
        return None
    body: bytes = response.body()
    return body


def chart_text_sizes(page: Any) -> list[tuple[str, float]]:
    """(text, CSS px) for every line of text in the page's SVG images and inline SVG."""
    found = page.evaluate(_IMAGES_AND_INLINE_TEXT)
    sizes = [(t["text"], float(t["px"])) for t in found["inline"]]
    for image in found["images"]:
        svg = _svg_bytes(page, image["src"])
        if svg is None or not image["shown"]:
            continue
        source = svg.decode("utf-8")
        box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', source)
        assert box is not None, f"an SVG image without a viewBox: {image['src'][:80]}"
        scale = image["width"] / float(box.group(1))
        sizes += [(m[0], 100 * float(m[1]) * scale) for m in _GLYPHS.findall(source)]
        sizes += [("<text>", float(size) * scale) for size in _TEXT_SIZE.findall(source)]
    return sizes


@dataclass
class Measured:
    status: int
    scroll_width: int
    chart_lines: int
    smallest: tuple[str, float] | None
    axe: list[str]


RESULTS: dict[tuple[str, int], Measured] = {}


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    if not RESULTS:
        return
    lines = [
        "| page | width | status | scrollWidth | chart text lines | smallest chart text | axe |",
        "|---|---|---|---|---|---|---|",
    ]
    for (name, width), m in sorted(RESULTS.items()):
        small = f"{m.smallest[1]:.1f} px ({m.smallest[0][:30]!r})" if m.smallest else "-"
        axe = "0" if not m.axe else f"{len(m.axe)}: {'; '.join(m.axe)[:120]}"
        lines.append(
            f"| {name} | {width} | {m.status} | {m.scroll_width} | {m.chart_lines} | {small} "
            f"| {axe} |"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "summary.md").write_text("\n".join(lines) + "\n")


# ------------------------------------------------------------------ the test


@pytest.mark.parametrize("demo_page", list(WIDTHS), indirect=True, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.name)
def test_page_fits_reads_and_passes_axe(demo_page: Any, case: PageCase) -> None:
    page = demo_page
    width = page.viewport_size["width"]
    label = f"{case.name} at {width} px" + (f" (pending: {case.pending})" if case.pending else "")
    status = case.open(page)
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{case.name}-{width}.png"), full_page=True)
    scroll_width: int = page.evaluate("document.documentElement.scrollWidth")
    sizes = chart_text_sizes(page)
    smallest = min(sizes, key=lambda s: s[1]) if sizes else None
    axe = serious_violations(page)
    RESULTS[(case.name, width)] = Measured(status, scroll_width, len(sizes), smallest, axe)

    assert status == case.status, f"{label}: HTTP {status}, expected {case.status}"
    assert scroll_width <= width, f"{label}: the page is {scroll_width} px wide"
    tiny = [s for s in sizes if s[1] < MIN_CHART_PX]
    assert tiny == [], f"{label}: chart text under {MIN_CHART_PX} px: {tiny[:5]}"
    assert axe == [], f"{label}: axe serious/critical: {axe}"
    if case.name == "insights":  # the page with charts: the measurement saw their text
        assert len(sizes) > 40, f"{label}: only {len(sizes)} chart text lines measured"


def test_the_chart_text_check_can_fail(browser: Any, demo_url: str) -> None:
    """Guards the check above: the desktop chart squeezed to 300 px must be reported."""
    context = browser.new_context(base_url=demo_url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/diary/insights")
    page.evaluate(
        "document.querySelectorAll('picture source').forEach(s => s.remove());"
        "document.querySelectorAll('img.chart').forEach(i => i.style.width = '300px')"
    )
    page.wait_for_function("[...document.images].every(i => i.complete && i.clientWidth <= 300)")
    sizes = chart_text_sizes(page)
    context.close()
    assert sizes and min(s for _t, s in sizes) < MIN_CHART_PX


@pytest.mark.parametrize("demo_page", [390], indirect=True, ids=lambda w: f"{w}px")
def test_phone_menu_opens_to_every_page(demo_page: Any) -> None:
    from crampwise.web.templating import NAV

    page = demo_page
    page.goto("/diary/insights")
    menu = page.get_by_role("navigation", name="Main")
    assert not menu.get_by_role("link", name="Sources").is_visible()  # folded on a phone
    page.locator(".site-menu > summary").click()
    for _href, label in NAV:
        assert menu.get_by_role("link", name=label, exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "menu-open-390.png"))
    page.get_by_role("link", name="Sources", exact=True).click()
    page.wait_for_url("**/sources")


@pytest.mark.parametrize("demo_page", [1280], indirect=True, ids=lambda w: f"{w}px")
def test_desktop_shows_every_page_without_a_menu_button(demo_page: Any) -> None:
    from crampwise.web.templating import NAV

    page = demo_page
    page.goto("/")
    assert not page.locator(".site-menu > summary").is_visible()
    menu = page.get_by_role("navigation", name="Main")
    for _href, label in NAV:
        assert menu.get_by_role("link", name=label, exact=True).is_visible()
