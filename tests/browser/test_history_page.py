"""History in a real browser at phone width: paging without sideways overflow, delete with
its confirmation page, undo, and edit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_browser import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def no_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: {width} px wide at {viewport} px"


def cramp_total(page: Any) -> int:
    heading = page.locator("#episodes-heading").inner_text()
    match = re.fullmatch(r"Cramps \((\d+)\)", heading)
    assert match, heading
    return int(match.group(1))


def add_cramps(page: Any, n: int) -> None:
    start = datetime.now().replace(second=0, microsecond=0) - timedelta(days=60)
    for i in range(n):
        body = {
            "started_at": (start + timedelta(hours=7 * i)).isoformat(timespec="minutes"),
            "duration_minutes": 1.5,
            "sites": ["calf", "foot"],
            "severity": i % 11,
            "activity": "after_exercise",
            "actions": ["stretched", "massaged"],
            "helped": True,
            "note": f"browser note {i}: a long note that has to wrap on a phone screen",
        }
        assert page.request.post("/api/v1/episodes", data=body).status == 201


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.evaluate("window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def test_history_pages_at_390_px_without_overflow(page: Any) -> None:
    page.set_viewport_size(PHONE)
    add_cramps(page, 45)
    page.goto("/diary/history")
    total = cramp_total(page)
    assert total >= 45
    no_overflow(page)
    shoot(page, "history-page-1")
    assert serious_violations(page) == []
    rows = page.locator("#episodes tbody tr")
    assert rows.count() == 20
    first_page = rows.first.locator("th").inner_text()
    assert "browser note" in page.locator("#episodes").inner_text()  # notes are shown
    seen = rows.count()
    older = page.locator("#episodes").get_by_role("link", name="Older →")
    while older.count():
        older.click()
        page.wait_for_load_state()
        no_overflow(page)
        seen += rows.count()
    assert seen == total
    page.locator("#episodes").get_by_role("link", name="← Newer").click()
    page.wait_for_load_state()
    assert page.locator("#episodes tbody tr").first.locator("th").inner_text() != first_page
    page.set_viewport_size({"width": 1280, "height": 800})  # the table layout
    page.goto("/diary/history")
    no_overflow(page)
    shoot(page, "history-page-1")
    assert serious_violations(page) == []


def test_delete_confirm_undo_and_edit_at_390_px(page: Any) -> None:
    page.set_viewport_size(PHONE)
    add_cramps(page, 2)
    page.goto("/diary/history")
    before = cramp_total(page)
    first = page.locator("#episodes tbody tr").first
    when = first.locator("th").inner_text().replace("When", "").strip()
    first.get_by_role("link", name=re.compile("^Delete")).click()
    # The second step: a page that asks (no JavaScript needed).
    assert page.locator("h1").inner_text() == f"Delete the cramp of {when}?"
    no_overflow(page)
    shoot(page, "history-delete-confirm")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Delete it").click()
    page.wait_for_load_state()
    assert page.locator("#undo").inner_text().startswith(f"Deleted the cramp of {when}.")
    assert cramp_total(page) == before - 1
    no_overflow(page)
    shoot(page, "history-deleted-undo")
    assert serious_violations(page) == []
    page.get_by_role("button", name=re.compile("^Undo")).click()
    page.wait_for_url(re.compile(r"/diary/history\?done=restored"))
    assert "The entry is back in your diary." in page.locator("main").inner_text()
    assert cramp_total(page) == before
    # Edit the newest cramp: its form shows what it holds; the change is saved.
    page.locator("#episodes tbody tr").first.get_by_role("link", name=re.compile("^Edit")).click()
    assert page.locator("h1").inner_text() == "Edit a cramp"
    no_overflow(page)
    page.get_by_label("How bad (0 to 10)").fill("9")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_url(re.compile(r"/diary/history\?done=edited"))
    assert "Your change is saved." in page.locator("main").inner_text()
    assert "9/10" in page.locator("#episodes tbody tr").first.inner_text()


def test_save_a_check_and_open_it_again_at_390_px(page: Any) -> None:
    from tests.browser.test_browser import finish_with_dont_know, start_check

    page.set_viewport_size(PHONE)
    start_check(page, age="35", sex="Female")
    finish_with_dont_know(page)
    page.get_by_role("button", name="Save to my diary").click()
    page.wait_for_url(re.compile(r"/checks/\d+\?saved=new$"))
    assert page.locator("#saved-notice").inner_text() == "Saved to your diary."
    assert page.get_by_role("button", name="Save to my diary").count() == 0
    no_overflow(page)
    assert serious_violations(page) == []
    shoot(page, "checks-saved")
    opened = page.url.split("?")[0]
    page.goto("/checks")
    assert page.locator("h1").inner_text() == "Saved checks"
    no_overflow(page)
    assert serious_violations(page) == []
    shoot(page, "checks-list")
    page.locator(f'a[href="{opened.removeprefix(page.url.split("/checks")[0])}"]').click()
    assert page.locator("h1").inner_text().startswith("Saved check of ")
