"""The app in a real browser: click through, keyboard only, axe-core, screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def start_check(page: Any, age: str = "70", sex: str = "Male") -> None:
    page.goto("/check")
    page.get_by_label("Your age in years").fill(age)
    page.get_by_label(sex, exact=True).check()
    page.get_by_role("button", name="Start the questions").click()
    page.wait_for_selector("h2.question__text")


def finish_with_dont_know(page: Any, limit: int = 60) -> None:
    for _ in range(limit):
        if page.locator("h1", has_text="Your result").count():
            return
        page.get_by_role("button", name="Don't know").click()
        page.wait_for_load_state()
    raise AssertionError("the interview did not finish")


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_emergency_case_end_to_end(page: Any) -> None:
    start_check(page, age="74")
    assert page.locator("h2.question__text").inner_text().startswith("First, a safety check")
    page.get_by_role("checkbox", name=re.compile("^Your foot or leg has turned pale")).check()
    page.get_by_role("button", name="Next").click()
    alert = page.locator(".emergency-now")
    assert alert.inner_text().startswith("Call your emergency number now")
    # Above everything else on the page.
    box = alert.bounding_box()
    assert box is not None and box["y"] < 5
    assert page.locator(".triage--emergency").is_visible()
    assert page.url.endswith("/check/step")  # no answers in the address
    shoot(page, "result-emergency")


def test_self_care_case_end_to_end_and_save(page: Any) -> None:
    start_check(page, age="35", sex="Female")
    for _ in range(3):  # the three warning-sign checklists: none of these
        page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Does not apply").click()  # no cramp right now
    page.get_by_role("checkbox", name=re.compile("^In the calf")).check()
    page.get_by_role("button", name="Next").click()
    finish_with_dont_know(page)
    # Everything else unknown keeps the list of unanswered warning signs, but no urgent level.
    level = page.locator(".triage").get_attribute("class") or ""
    assert level.startswith(("triage triage--self_care", "triage triage--doctor"))
    page.get_by_role("button", name="Save to my diary").click()
    page.wait_for_url(re.compile(r"/checks/\d+\?saved=new$"))
    assert page.locator("#saved-notice").inner_text() == "Saved to your diary."
    page.goto("/diary/history")
    assert page.get_by_role("heading", name="Saved checks (1)").is_visible()


def test_back_and_dont_know_buttons(page: Any) -> None:
    start_check(page)
    first = page.locator("h2.question__text").inner_text()
    page.get_by_role("button", name="Don't know").click()
    assert page.locator("h2.question__text").inner_text() != first
    assert "Question 2" in page.locator(".progress label").inner_text()
    page.get_by_role("button", name="Back").click()
    assert page.locator("h2.question__text").inner_text() == first


def test_log_a_cramp_then_see_it_in_history_and_insights(page: Any) -> None:
    page.goto("/diary")
    page.get_by_label("Toes").check()
    page.get_by_label("How bad (0 to 10)").fill("7")
    page.get_by_label("How long (minutes)").fill("2")
    page.get_by_role("button", name="Save this cramp").click()
    page.wait_for_url("**/diary/history")
    row = page.locator("#episodes tbody tr").first
    assert "toes" in row.inner_text() and "7/10" in row.inner_text()
    page.goto("/diary")
    page.get_by_label("Water and other drinks (litres)").fill("1.2")
    page.get_by_role("button", name="Save this day").click()
    page.wait_for_url("**/diary/history#days")
    page.goto("/diary/insights")
    assert page.get_by_role("heading", name="Summary").is_visible()
    chart = page.locator("img.chart").first
    chart.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", chart.element_handle())


def test_keyboard_only_start(page: Any) -> None:
    page.goto("/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "start-check":
            break
    else:
        raise AssertionError("the start button cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus style
    page.keyboard.press("Enter")
    page.wait_for_url("**/check")
    assert page.get_by_role("heading", name="Check my cramps").is_visible()


def test_axe_and_screenshots_on_every_page(page: Any) -> None:
    report: dict[str, list[str]] = {}
    page.goto("/diary")  # something in the diary, so history and insights have content
    page.get_by_label("Calf").check()
    page.get_by_label("How bad (0 to 10)").fill("5")
    page.get_by_label("How long (minutes)").fill("2")
    page.get_by_role("button", name="Save this cramp").click()
    page.wait_for_url("**/diary/history")
    for name, path in [
        ("home", "/"),
        ("diary-log", "/diary"),
        ("history", "/diary/history"),
        ("insights", "/diary/insights"),
        ("export-import", "/transfer"),
        ("sources", "/sources"),
        ("check-start", "/check"),
    ]:
        page.goto(path)
        report[name] = serious_violations(page)
        shoot(page, name)
    start_check(page)
    report["interview-step"] = serious_violations(page)
    shoot(page, "interview-step")
    finish_with_dont_know(page)
    report["result"] = serious_violations(page)
    shoot(page, "result")
    print("axe serious/critical violations per page:", {k: len(v) for k, v in report.items()})
    assert {k: v for k, v in report.items() if v} == {}


def test_the_axe_check_can_fail(page: Any) -> None:
    """Guards the check above: a page with a known serious violation must be reported."""
    page.goto("/sources")
    page.evaluate(
        "document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: '/static/favicon.svg'}))"
    )
    assert any(v.startswith("image-alt") for v in serious_violations(page))
