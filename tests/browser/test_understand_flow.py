"""The check from a description in a real browser: type it, correct a finding, finish."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_browser import finish_with_dont_know, serious_violations, shoot

pytestmark = pytest.mark.browser

TEXT = "My calf cramps at night in bed, about three times a week. No swelling."
PER_WEEK = re.compile("^Usual number of cramps a week")


def describe(page: Any, text: str, age: str = "58") -> None:
    page.goto("/check")
    page.get_by_label("Your age in years").fill(age)
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Describe it in your own words").fill(text)
    page.get_by_role("button", name="Start the questions").click()
    page.wait_for_selector("h1")


def test_type_correct_one_finding_finish(page: Any) -> None:
    describe(page, TEXT)
    assert page.locator("h1").inner_text() == "What crampwise understood"
    marks = page.locator("#description-text mark").all_inner_texts()
    assert marks and all(m in TEXT for m in marks)
    assert serious_violations(page) == []
    shoot(page, "check-understood")
    # Correct one finding: how often.
    how_often = page.get_by_label(PER_WEEK)
    assert how_often.input_value() == "3"
    how_often.fill("5")
    page.get_by_role("button", name="Continue to the questions").click()
    page.wait_for_selector("h2.question__text")
    assert page.locator("h2.question__text").inner_text().startswith("First, a safety check")
    # Back from the first question: the understood page keeps the correction.
    page.get_by_role("button", name="Back").click()
    page.wait_for_selector("h1")
    assert page.get_by_label(PER_WEEK).input_value() == "5"
    page.get_by_role("button", name="Continue to the questions").click()
    page.wait_for_selector("h2.question__text")
    questions: list[str] = []
    for _ in range(60):
        if page.locator("h1", has_text="Your result").count():
            break
        questions.append(page.locator("h2.question__text").inner_text())
        page.get_by_role("button", name="Don't know").click()
        page.wait_for_load_state()
    finish_with_dont_know(page)
    assert not any(q.startswith("About how many cramps") for q in questions)
    assert page.locator(".triage").is_visible()
    assert page.url.endswith("/check/step")  # nothing in the address


def test_remove_with_the_keyboard_only(page: Any) -> None:
    describe(page, TEXT)
    box = page.get_by_role("checkbox", name=re.compile("^Remove this .*Usual number of cramps"))
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_role("button", name="Continue to the questions").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h2.question__text")
    for _ in range(60):
        text = page.locator("h2.question__text").inner_text()
        if text.startswith("About how many cramps"):
            return  # removed is asked again, never taken as "no"
        page.get_by_role("button", name="Don't know").click()
        page.wait_for_load_state()
        if page.locator("h1", has_text="Your result").count():
            break
    raise AssertionError("the removed finding was not asked again")
