"""The interview through plain HTML form posts: the same engine as the terminal."""

from __future__ import annotations

import re
from typing import Any

import pytest

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.engine.interview import simulate
from crampwise.knowledge import KnowledgeBase
from tests.web.helpers import Interview, TestClient, h1, hidden


def answer_from_case(iv: Interview, findings: dict[str, Any], kb: KnowledgeBase) -> list[str]:
    """Answer every question from the findings (silent = don't know); return the ids asked."""
    asked: list[str] = []
    for _ in range(80):
        if iv.is_result:
            return asked
        qid = iv.question_id
        assert qid is not None
        asked.append(qid)
        q = kb.question_by_id[qid]
        ids = q.finding_ids()
        if not any(fid in findings for fid in ids):
            iv.post(action="dont_know")
        elif q.kind == "checklist":
            iv.post(action="answer", item=[f for f in ids if findings.get(f) is True])
        elif q.kind == "yes_no":
            iv.post(value="yes" if findings[ids[0]] else "no")
        elif q.kind == "choice":
            iv.post(value=findings[ids[0]])
        else:
            iv.post(action="answer", value=str(findings[ids[0]]))
    raise AssertionError("the interview did not finish")


def level_of(html: str) -> str:
    match = re.search(r'class="triage triage--(\w+)[ "]', html)
    assert match, "no triage banner"
    return match.group(1)


def test_emergency_foot_pale_and_cold_puts_call_now_first(client: TestClient) -> None:
    iv = Interview(client).start(age="74", sex="male")
    assert iv.question_id == "emergency_signs"  # red-flag screening comes first
    assert "Question 1" in iv.html
    iv.post(action="answer", item=["foot_pale_or_cold"])
    assert iv.is_result
    assert level_of(iv.html) == "emergency"
    body = iv.html[iv.html.index("<body>") :]
    call = body.index("Call your emergency number now")
    # Above everything else: before the site header, the heading and the triage banner.
    assert call < body.index("<header") < body.index("<h1>Your result</h1>")
    assert 'role="alert"' in body[:call]


@pytest.mark.parametrize("vignette_id", ["p01", "p10", "p20", "p25"])
def test_interview_matches_the_terminal_engine(
    client: TestClient, kb: KnowledgeBase, public_cases: list[dict[str, Any]], vignette_id: str
) -> None:
    vignette = next(v for v in public_cases if v["id"] == vignette_id)
    case_raw: dict[str, Any] = vignette["case"]  # type: ignore[assignment]
    case = parse_case(case_raw, kb)
    iv = Interview(client).start(age=str(case_raw["age"]), sex=str(case_raw.get("sex", "")))
    asked = answer_from_case(iv, dict(case.findings), kb)
    sim = simulate(case, kb)
    assert asked == list(sim.asked)
    expected = assess(sim.state.case(), kb)
    assert level_of(iv.html) == expected.level
    if expected.causes:
        assert expected.causes[0].name in iv.html


def test_self_care_case_shows_causes_because_and_plan(
    client: TestClient, kb: KnowledgeBase, public_cases: list[dict[str, Any]]
) -> None:
    vignette = next(v for v in public_cases if v["expected"]["triage"] == "self_care")  # type: ignore[index]
    case_raw: dict[str, Any] = vignette["case"]  # type: ignore[assignment]
    iv = Interview(client).start(age=str(case_raw["age"]), sex=str(case_raw.get("sex", "")))
    answer_from_case(iv, case_raw["findings"], kb)
    assert level_of(iv.html) == "self_care"
    assert "Call your emergency number now" not in iv.html
    assert "Because you said" in iv.html
    assert "Your plan" in iv.html
    assert "<summary>Sources for this advice" in iv.html  # folded away
    assert "Save to my diary" in iv.html


def test_back_returns_to_the_previous_question_and_to_the_start(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    first = iv.question_id
    iv.post(action="answer")  # nothing ticked: "none of these"
    second = iv.question_id
    assert second != first
    iv.post(action="back")
    assert iv.question_id == first
    iv.post(action="back")
    assert h1(iv.html) == "Check my cramps"
    assert 'value="40"' in iv.html  # the age is kept


def test_dont_know_leaves_findings_unknown_and_moves_on(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    iv.post(action="dont_know")
    assert iv.question_id != "emergency_signs"
    iv.answer_all_dont_know()
    assert iv.is_result
    # Nothing was answered about warning signs: the result says so first, not as an all-clear.
    page = iv.html
    notice = page.index('id="unanswered-notice"')
    assert "This is not an all-clear" in page[notice : notice + 400]
    assert notice < page.index('class="triage ') < page.index('id="plan-heading"')
    assert 'class="triage triage--self_care triage--unsure"' in page
    assert page.index('id="plan-heading"') < page.index('id="signs-heading"')


def test_number_question_rejects_text_and_keeps_the_state(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    while iv.question_id != "current_cramp":
        iv.post(action="answer")
    state_before = hidden(iv.html, "state")
    iv.post(expected_status=422, action="answer", value="lots")
    assert iv.question_id == "current_cramp"
    assert "Please type a number" in iv.html
    assert hidden(iv.html, "state") == state_before
    assert "Does not apply" in iv.html  # the question's data offers it
    iv.post(action="not_applicable")
    assert iv.question_id != "current_cramp"


def test_does_not_apply_only_where_the_question_offers_it(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    while iv.question_id != "duration":  # screening checklists "none", no cramp now
        assert iv.question_id is not None, "the interview ended before asking 'duration'"
        extra = {"value": "1"} if iv.question_id == "current_cramp" else {}
        iv.post(action="answer", **extra)
    assert iv.question_id == "duration"
    assert "Does not apply" not in iv.html
    iv.post(expected_status=422, action="not_applicable")
    assert iv.question_id == "duration"
    assert "it offers no &#39;does not apply&#39;" in iv.html


def test_invalid_age_is_shown_next_to_the_field(client: TestClient) -> None:
    page = client.get("/check")
    response = client.post(
        "/check", data={"csrf_token": hidden(page.text, "csrf_token"), "age": "abc"}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "from 0 to 120" in response.text


def test_tampered_state_is_refused_with_a_friendly_page(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    token = hidden(iv.html, "state")
    payload, _, mac = token.rpartition(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + mac
    response = client.post(
        "/check/step",
        data={
            "csrf_token": hidden(iv.html, "csrf_token"),
            "state": forged,
            "question_id": "emergency_signs",
            "action": "dont_know",
        },
    )
    assert response.status_code == 422
    assert "start the check again" in response.text


def test_stale_form_shows_the_current_question(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    iv.post(action="answer", question_id="sites")  # not the question that was asked
    assert iv.question_id == "emergency_signs"
    assert "Your answers so far are kept." in iv.html


def test_save_result_to_the_diary(client: TestClient) -> None:
    iv = Interview(client).start(age="74", sex="male")
    iv.post(action="answer", item=["foot_pale_or_cold"])
    response = client.post(
        "/checks",
        data={"csrf_token": hidden(iv.html, "csrf_token"), "state": hidden(iv.html, "state")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/checks/\d+\?saved=new", response.headers["location"])
    history = client.get("/diary/history").text
    assert "Saved checks (1)" in history
    assert "level--emergency" in history
    exported = client.get("/api/v1/export?format=json").json()
    findings = exported["assessments"][0]["case"]["findings"]
    assert findings["foot_pale_or_cold"] is True
    assert findings["stroke_signs"] is False  # unticked checklist items are "no"


def test_unfinished_interview_cannot_be_saved(client: TestClient) -> None:
    iv = Interview(client).start(age="40")
    response = client.post(
        "/checks",
        data={"csrf_token": hidden(iv.html, "csrf_token"), "state": hidden(iv.html, "state")},
    )
    assert response.status_code == 422
    assert client.get("/api/v1/export?format=json").json()["assessments"] == []


def test_no_health_data_in_urls(client: TestClient) -> None:
    """Every form on the interview pages posts; no action or link carries a query string."""
    iv = Interview(client).start(age="74", sex="male")
    pages = [client.get("/check").text, iv.html]
    iv.post(action="answer")
    pages.append(iv.html)
    iv.answer_all_dont_know()
    pages.append(iv.html)
    pages.append(client.get("/diary").text)
    for html in pages:
        forms = re.findall(r"<form\b[^>]*>", html)
        for form in forms:
            assert 'method="post"' in form, form
            action = re.search(r'action="([^"]*)"', form)
            assert action and "?" not in action.group(1)


def _answers_in(html: str) -> list[dict[str, Any]]:
    """The answers the page carries in its signed state (the payload is plain base64 JSON)."""
    import base64
    import json

    payload = hidden(html, "state").rpartition(".")[0]
    answers: list[dict[str, Any]] = json.loads(base64.urlsafe_b64decode(payload))["answers"]
    return answers


def test_checklist_offers_not_sure_for_every_item(client: TestClient, kb: KnowledgeBase) -> None:
    iv = Interview(client).start(age="60")
    question = kb.question_by_id["emergency_signs"]
    assert iv.question_id == question.id
    for fid in question.finding_ids():
        assert f'name="item" value="{fid}"' in iv.html
        assert f'name="unsure" value="{fid}"' in iv.html
    assert iv.html.count("> Not sure<span") == len(question.finding_ids())


def test_not_sure_items_stay_unknown_and_the_rest_are_no(client: TestClient) -> None:
    iv = Interview(client).start(age="60")
    iv.post(action="answer", unsure=["foot_pale_or_cold"])
    assert iv.question_id != "emergency_signs"  # not an emergency: not sure is not yes
    values = _answers_in(iv.html)[0]["values"]
    assert values["foot_pale_or_cold"] is None
    assert {v for fid, v in values.items() if fid != "foot_pale_or_cold"} == {False}
    iv.answer_all_dont_know()
    # The sign marked not sure is still among the unanswered warning signs at the end.
    assert "This is not an all-clear" in iv.html
    assert "turned pale, white, blue or blotchy" in iv.html


def test_ticked_and_not_sure_together_is_refused(client: TestClient) -> None:
    iv = Interview(client).start(age="60")
    iv.post(
        expected_status=422,
        action="answer",
        item=["foot_pale_or_cold"],
        unsure=["foot_pale_or_cold"],
    )
    assert iv.question_id == "emergency_signs"
    assert "either tick an item or mark it not sure, not both" in iv.html
    iv.post(expected_status=422, action="answer", unsure=["site_calf"])  # not this question's
    assert "tick only this question&#39;s items" in iv.html


def test_back_shows_the_answer_being_changed_and_starts_from_it(
    client: TestClient, kb: KnowledgeBase
) -> None:
    iv = Interview(client).start(age="60")
    assert iv.question_id == "emergency_signs"
    labels = {item.finding: item.label for item in kb.question_by_id["emergency_signs"].items}
    iv.post(action="answer", unsure=["foot_pale_or_cold"])
    assert "Your answer before" not in iv.html
    iv.post(action="back")
    assert iv.question_id == "emergency_signs"
    shown = iv.html[iv.html.index('id="previous-answer"') :][:400]
    assert f"none of these (not sure: {labels['foot_pale_or_cold']})" in shown
    assert 'name="unsure" value="foot_pale_or_cold" checked' in iv.html
    assert 'name="item" value="foot_pale_or_cold" checked' not in iv.html
    # A number answered and gone back to comes back typed in its box.
    while iv.question_id != "current_cramp":
        iv.post(action="answer")
    iv.post(action="answer", value="3")
    iv.post(action="back")
    assert iv.question_id == "current_cramp"
    assert "Your answer before: <strong>3</strong>" in iv.html
    assert 'name="value" type="text" inputmode="decimal" autocomplete="off" value="3"' in iv.html
