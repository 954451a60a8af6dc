"""The web check starts from what the diary already shows, says so, and can be told not to."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from crampwise.errors import InvalidInputError
from crampwise.knowledge import load_knowledge
from crampwise.web.interview_codec import state_from_raw
from tests.diary_seed import SENTENCE, seed_worsening_walking_diary
from tests.web.helpers import Interview, TestClient, hidden


def start(client: TestClient, use_diary: bool, age: str = "60") -> Interview:
    iv = Interview(client)
    page = client.get("/check")
    data = {"csrf_token": hidden(page.text, "csrf_token"), "age": age, "sex": ""}
    if use_diary:
        data["use_diary"] = "1"
    response = client.post("/check", data=data)
    assert response.status_code == 200, response.text
    iv.html = response.text
    return iv


def asked_until_result(iv: Interview) -> list[str]:
    asked: list[str] = []
    for _ in range(60):
        if iv.is_result:
            return asked
        assert iv.question_id is not None
        asked.append(iv.question_id)
        iv.post(action="dont_know")
    raise AssertionError("the interview did not finish")


def test_start_page_says_what_the_diary_shows(client: TestClient, db_url: str) -> None:
    seed_worsening_walking_diary(db_url)
    page = client.get("/check").text
    assert SENTENCE in page
    box = re.search(r'<input type="checkbox" name="use_diary"[^>]*>', page)
    assert box is not None and "checked" in box.group(0)  # on unless the person says no


def test_no_diary_no_sentence_no_box(client: TestClient) -> None:
    page = client.get("/check").text
    assert "From your diary" not in page
    assert 'name="use_diary"' not in page


def test_the_diary_answers_its_questions(client: TestClient, db_url: str) -> None:
    seed_worsening_walking_diary(db_url)
    with_diary = start(client, use_diary=True)
    asked = asked_until_result(with_diary)
    assert "how_often" not in asked and "trend" not in asked
    assert "From your diary: about 7 cramps a week, getting worse" in with_diary.html

    without = start(client, use_diary=False)
    asked_without = asked_until_result(without)
    assert {"how_often", "trend"} <= set(asked_without)
    assert len(asked) < len(asked_without)
    assert "From your diary" not in without.html


def findings_of(app: FastAPI, iv: Interview) -> dict[str, object]:
    st = app.state.crampwise
    raw = st.signer.loads(hidden(iv.html, "state"))
    return state_from_raw(raw, st.kb, with_known=True).findings()


def to_sites(iv: Interview) -> None:
    """Answer "don't know" up to the where-and-when checklist."""
    for _ in range(30):
        assert not iv.is_result and iv.question_id is not None
        if iv.question_id == "sites":
            return
        iv.post(action="dont_know")
    pytest.fail("the sites question was never asked")


def test_a_checklist_starts_with_the_diary_ticked(
    client: TestClient, app: FastAPI, db_url: str
) -> None:
    seed_worsening_walking_diary(db_url)
    iv = start(client, use_diary=True)
    assert findings_of(app, iv)["timing_walking"] is True
    to_sites(iv)
    ticked = re.findall(r'name="item" value="(\w+)" checked> ([^<]*)', iv.html)
    assert ticked == [("timing_walking", "When walking (your diary shows this)")]
    iv.post(action="answer", item=["site_calf", "timing_walking"])
    findings = findings_of(app, iv)
    assert findings["timing_walking"] is True and findings["site_calf"] is True
    assert findings["timing_night"] is False


def test_unticking_the_diary_yes_is_a_no(client: TestClient, app: FastAPI, db_url: str) -> None:
    seed_worsening_walking_diary(db_url)
    iv = start(client, use_diary=True)
    to_sites(iv)
    iv.post(action="answer", item=["site_calf"])
    assert findings_of(app, iv)["timing_walking"] is False  # the person's word wins


def test_dont_know_to_the_checklist_keeps_the_diary(
    client: TestClient, app: FastAPI, db_url: str
) -> None:
    seed_worsening_walking_diary(db_url)
    iv = start(client, use_diary=True)
    to_sites(iv)
    iv.post(action="dont_know")
    findings = findings_of(app, iv)
    assert findings["timing_walking"] is True and "site_calf" not in findings


def test_going_back_from_the_first_question_keeps_the_choice(
    client: TestClient, db_url: str
) -> None:
    seed_worsening_walking_diary(db_url)
    iv = start(client, use_diary=False).post(action="back")
    box = re.search(r'<input type="checkbox" name="use_diary"[^>]*>', iv.html)
    assert box is not None and "checked" not in box.group(0)


def test_a_tampered_known_finding_is_refused() -> None:
    # The state is signed, so only a forged one could carry a bad finding: the codec refuses it.
    kb = load_knowledge()
    raw = {"age": 50, "answers": [], "known": {"episodes_per_week": -1, "nope": True}}
    with pytest.raises(InvalidInputError) as info:
        state_from_raw(raw, kb, with_known=True)
    problems = {p.field: p.message for p in info.value.problems}
    assert problems == {
        "known.episodes_per_week": "is not allowed: a number of at least 0",
        "known.nope": "unknown finding id",
    }
    with pytest.raises(InvalidInputError) as api:
        state_from_raw({"age": 50, "known": {}}, kb)  # the API body takes no "known"
    assert [p.field for p in api.value.problems] == ["known"]
