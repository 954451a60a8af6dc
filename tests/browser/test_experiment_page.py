"""An experiment in a real browser: start it, check in with one tap, read status and result;
it fits a 390 px phone, passes axe, and works without JavaScript. Screenshots at 390 and
1280 px go to test-artifacts/screenshots/experiment-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.browser.conftest import served
from tests.browser.test_browser import serious_violations, shoot
from tests.browser.test_result_page import overflow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose diary holds the demo's finished example experiment (and its cramps)."""

    from crampwise.analysis.synthetic import generate_diary
    from crampwise.diary.factors import load_factors
    from crampwise.diary.store import open_store
    from crampwise.diary.transfer import ImportPlan, write_plan
    from crampwise.experiments.demo import demo_experiment
    from crampwise.web.app import WebSettings, create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('experiments') / 'diary.sqlite3'}"
    days, episodes = generate_diary(seed=4, days=90, factors=load_factors())
    days, episodes, experiments = demo_experiment(days, episodes, 4)
    with open_store(url) as store:
        plan = ImportPlan(episodes=episodes, days=days, experiments=experiments)
        write_plan(store, plan, allow_far_before=True)
    app = create_app(WebSettings(database_url=url))
    with served(app) as url:
        yield url


def test_the_finished_example_reads_as_a_result(page: Any) -> None:
    page.goto("/experiments")
    page.get_by_role("link", name="Calf and hamstring stretches before bed").click()
    assert page.locator(".xp-status").inner_text().startswith("Finished")
    assert page.get_by_role("heading", name="The result").is_visible()
    verdict = page.locator(".xp-verdict").inner_text()
    assert re.match(r"(Likely helps|Can't tell yet|No sign it helps|May make)", verdict)
    assert page.locator(".xp-chart svg").count() == 1
    assert page.locator(".xp-day").count() == 42
    assert page.locator(".xp-day--washout").count() == 12
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflow(page) == 0
    shoot(page, "experiment-finished")


def test_start_check_in_and_read_status(page: Any) -> None:
    page.goto("/experiments")
    form = page.locator("form[action='/experiments']")
    # Each remedy says how to do it and who should not try it (folded away until asked).
    form.get_by_text("How to do it, and who should not").first.click()
    assert "Who should not try it" in form.inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflow(page) == 0
    shoot(page, "experiments-list")
    form.get_by_role("radio", name=re.compile("^Calf and hamstring stretches")).check()
    form.get_by_label("Pairs of blocks").select_option("3")
    form.get_by_role("button", name="Start the experiment").click()
    page.wait_for_url(re.compile(r"/experiments/\d+\?done=started"))
    assert "Your experiment has started" in page.locator(".notice--ok").inner_text()
    today = page.locator("#today")
    assert today.get_by_role("heading").inner_text() == "Today, day 1 of 42"
    instruction = today.locator(".xp-instruction").inner_text()
    assert instruction.startswith(("Remedy day", "Usual day"))
    assert "Not answered yet today." in today.inner_text()

    # One tap.
    today.get_by_role("button", name="Yes").click()
    page.wait_for_url(re.compile(r"done=checked"))
    assert "Your answer today: yes, I did the remedy" in page.locator("#today").inner_text()
    cell = page.locator(".xp-day--today")
    assert cell.locator(".xp-day__check").inner_text() == "✓"
    assert "checked in: did it" in cell.inner_text()
    assert page.locator("label[for=xp-progress]").inner_text() == "Day 1 of 42, 41 days left"
    assert "What it shows so far" in page.locator(".xp-result").inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflow(page) == 0
    shoot(page, "experiment-running")


def running_experiment(page: Any) -> None:
    """Open the running experiment's page, starting one (through the form) if there is none."""
    page.goto("/experiments")
    form = page.locator("form[action='/experiments']")
    if form.count():
        form.get_by_role("radio", name=re.compile("^A warm bath")).check()
        form.get_by_role("button", name="Start the experiment").click()
    else:
        page.locator(".xp-list__item a").first.click()  # newest first: the running one
    page.wait_for_selector("#today")


def test_check_in_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        running_experiment(page)
        page.locator("#today").get_by_role("button", name="No").click()
        answer = page.locator("#today .xp-answered").inner_text()
        assert answer.startswith("Your answer today: no, I did not do the remedy")
        # The finished example's days without an answer can still be answered afterwards.
        page.goto("/experiments")
        page.get_by_role("link", name="Calf and hamstring stretches before bed").last.click()
        assert page.locator("#today").count() == 0  # finished: no instruction for today
        missed = page.locator("#missed-date option")
        before = missed.count()
        assert before > 0
        day = date.fromisoformat(missed.first.get_attribute("value") or "")
        page.locator(".xp-missed").get_by_role("button", name="Yes").click()
        assert page.locator("#missed-date option").count() == before - 1
        cell = page.locator(".xp-day", has_text=day.strftime("%A %d %B"))
        assert "checked in: did it" in cell.inner_text()
    finally:
        context.close()


def test_the_running_experiment_can_be_stopped_early(page: Any) -> None:
    running_experiment(page)
    page.get_by_label("I want to stop this experiment today").check()
    page.get_by_role("button", name="Stop this experiment").click()
    page.wait_for_url(re.compile(r"done=stopped"))
    status = page.locator("p.xp-status").inner_text()
    assert status == f"Stopped early on {date.today().isoformat()}"
    # Over: the result comes first, and says it covers only the days so far.
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "What it shows so far"
    assert page.locator("#today").count() == 0
    assert page.locator("form[action$='/stop']").count() == 0
