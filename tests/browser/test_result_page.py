"""The result page read in a minute: fits a phone, and never reads as an all-clear too early."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_browser import finish_with_dont_know, shoot, start_check

pytestmark = pytest.mark.browser


def overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def test_all_dont_know_says_so_first_and_fits_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    start_check(page, age="50")
    finish_with_dont_know(page)
    assert overflow(page) == 0
    notice = page.locator("#unanswered-notice")
    assert "This is not an all-clear" in notice.inner_text()
    # First, before the level box and the causes; and not in the all-clear green.
    top = notice.bounding_box()["y"]
    assert top < page.locator(".triage").bounding_box()["y"]
    assert (
        top < page.get_by_role("heading", name="What may be behind your cramps").bounding_box()["y"]
    )
    assert "triage--unsure" in (page.locator(".triage").get_attribute("class") or "")
    # The link in the notice leads to the signs themselves.
    page.get_by_role("link", name="Go to the warning signs").click()
    assert page.get_by_role(
        "heading", name="Warning signs that would change this advice"
    ).is_visible()
    # Sources are folded away until asked for.
    sources = page.locator("details#sources")
    assert not sources.locator(".source-list").is_visible()
    sources.locator("summary").click()
    assert sources.locator(".source-list").is_visible()
    shoot(page, "result-all-dont-know")


def test_self_care_result_fits_a_phone_with_nothing_left_unanswered(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    start_check(page, age="35", sex="Female")
    for _ in range(40):  # "none of these" to every checklist, don't know to the rest
        if page.locator("h1", has_text="Your result").count():
            break
        if page.locator("input[name=item]").count():
            if page.get_by_role("checkbox", name=re.compile("^In the calf")).count():
                page.get_by_role("checkbox", name=re.compile("^In the calf")).check()
            page.get_by_role("button", name="Next").click()
        else:
            page.get_by_role("button", name="Don't know").click()
        page.wait_for_load_state()
    assert page.locator(".triage").get_attribute("class") == "triage triage--self_care"
    assert page.locator("#unanswered-notice").count() == 0
    assert overflow(page) == 0
    shoot(page, "result-self-care")


def test_urgent_result_fits_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    start_check(page, age="67")
    page.get_by_role("button", name="Next").click()  # no emergency signs
    page.get_by_role("checkbox", name=re.compile("^One calf or leg is more swollen")).check()
    page.get_by_role("button", name="Next").click()
    finish_with_dont_know(page)
    assert page.locator(".triage").get_attribute("class") == "triage triage--urgent"
    assert page.locator(".triage__level").inner_text().lower() == "urgent: see a doctor today"
    assert overflow(page) == 0
    shoot(page, "result-urgent")


def test_checklist_not_sure_keeps_an_item_unknown(page: Any) -> None:
    start_check(page, age="60")
    page.get_by_role("checkbox", name=re.compile("^Not sure about: Your foot or leg")).check()
    page.get_by_role("button", name="Next").click()
    # Not sure is not yes: no emergency, the interview goes on.
    assert page.locator(".emergency-now").count() == 0
    assert not page.locator("h2.question__text").inner_text().startswith("First, a safety check")
