"""The web check from a description: understood page, corrections, then only what is missing.

Plain form posts, no JavaScript. The fake reader (``understand_fake``) gives known findings at
known places; one test runs the real reader through its contract only.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI

from crampwise.web.interview_codec import MAX_DESCRIPTION_CHARS, origin_from_raw, state_from_raw
from tests.web.helpers import Interview, TestClient, h1, hidden
from tests.web.understand_fake import fake_reader  # noqa: F401  (a fixture)

TEXT = "Cramps in my calf at night, no swelling, twice a week, for a month."


def begin(client: TestClient, description: str, age: str = "50", status: int = 200) -> str:
    page = client.get("/check")
    data = {
        "csrf_token": hidden(page.text, "csrf_token"),
        "age": age,
        "sex": "",
        "description": description,
    }
    response = client.post("/check", data=data)
    assert response.status_code == status, response.text
    return response.text


def confirm(client: TestClient, html: str, status: int = 200, **fields: Any) -> Interview:
    data: dict[str, Any] = {
        "csrf_token": hidden(html, "csrf_token"),
        "state": hidden(html, "state"),
        "action": "continue",
    }
    data.update(fields)
    response = client.post("/check/understood", data=data)
    assert response.status_code == status, response.text
    iv = Interview(client)
    iv.html = response.text
    return iv


def known_of(app: FastAPI, html: str) -> dict[str, object]:
    st = app.state.crampwise
    return dict(
        state_from_raw(st.signer.loads(hidden(html, "state")), st.kb, with_known=True).known
    )


def asked_until_result(iv: Interview) -> list[str]:
    asked: list[str] = []
    for _ in range(60):
        if iv.is_result:
            return asked
        assert iv.question_id is not None
        asked.append(iv.question_id)
        iv.post(action="dont_know")
    raise AssertionError("the interview did not finish")


def test_the_start_page_offers_the_description_box(client: TestClient) -> None:
    page = client.get("/check").text
    assert re.search(r'<label for="description">Describe it in your own words', page)
    assert re.search(
        rf'<textarea id="description" name="description"[^>]*maxlength="{MAX_DESCRIPTION_CHARS}"',
        page,
    )


@pytest.mark.usefixtures("fake_reader")
def test_no_description_goes_straight_to_the_questions(client: TestClient) -> None:
    html = begin(client, "")
    assert 'name="question_id" value="emergency_signs"' in html
    assert "What crampwise understood" not in html


@pytest.mark.usefixtures("fake_reader")
def test_understood_page_lists_each_finding_with_its_words_marked(client: TestClient) -> None:
    html = begin(client, TEXT)
    assert h1(html) == "What crampwise understood"
    quoted = re.search(r'<blockquote id="description-text">(.*?)</blockquote>', html, re.S)
    assert quoted is not None
    assert quoted.group(1) == (
        "Cramps in <mark>my calf</mark> <mark>at night</mark>, <mark>no swelling</mark>, "
        "<mark>twice a week</mark>, <mark>for a month</mark>."
    )
    # In the knowledge base's words, each with its own words and a control set to what was read.
    assert '<label for="value_site_calf">Cramps in the calf</label>' in html
    assert "From your words: “<mark>no swelling</mark>”" in html
    swelling = re.search(r'<select id="value_calf_swollen_one_side".*?</select>', html, re.S)
    assert swelling is not None and '<option value="no" selected>' in swelling.group(0)
    assert re.search(r'name="value_episodes_per_week"[^>]*value="2"', html)
    assert 'name="remove" value="timing_night"' in html
    assert "cramps a week" in html  # the unit


@pytest.mark.usefixtures("fake_reader")
def test_confirmed_findings_are_not_asked_and_red_flags_come_first(
    client: TestClient, app: FastAPI
) -> None:
    iv = confirm(client, begin(client, TEXT))
    # The warning signs the text left open, as one checklist, first.
    assert iv.question_id == "warning_signs_open"
    assert known_of(app, iv.html) == {
        "site_calf": True,
        "timing_night": True,
        "calf_swollen_one_side": False,
        "episodes_per_week": 2,
        "weeks_since_onset": 4,
    }
    asked = asked_until_result(iv)
    assert "how_often" not in asked and "since_when" not in asked
    assert asked[0] == "warning_signs_open"
    assert not {"emergency_signs", "leg_warning_signs", "body_warning_signs"} & set(asked)
    assert "From your diary" not in iv.html  # the text's findings are not the diary's


@pytest.mark.usefixtures("fake_reader")
def test_the_warning_sign_checklist_lists_only_what_the_text_left_open(
    client: TestClient,
) -> None:
    iv = confirm(client, begin(client, TEXT))
    assert iv.question_id == "warning_signs_open"
    items = re.findall(r'name="item" value="([a-z_]+)"', iv.html)
    assert "calf_swollen_one_side" not in items  # "no swelling" settled it
    assert {"foot_pale_or_cold", "calf_warm_or_red", "dark_or_little_urine"} <= set(items)
    assert "did not already answer" in iv.html
    iv.post(action="answer", item=["calf_warm_or_red"])  # a sign the text did not mention
    assert iv.is_result or iv.question_id != "warning_signs_open"


@pytest.mark.usefixtures("fake_reader")
def test_removing_a_warning_sign_puts_it_back_on_the_checklist(client: TestClient) -> None:
    iv = confirm(client, begin(client, TEXT), remove=["calf_swollen_one_side"])
    assert iv.question_id == "warning_signs_open"
    assert 'name="item" value="calf_swollen_one_side"' in iv.html


@pytest.mark.usefixtures("fake_reader")
def test_removed_is_unknown_and_asked_again_never_no(client: TestClient, app: FastAPI) -> None:
    html = begin(client, TEXT)
    iv = confirm(client, html, remove=["episodes_per_week", "calf_swollen_one_side"])
    known = known_of(app, iv.html)
    assert "episodes_per_week" not in known and "calf_swollen_one_side" not in known
    assert "how_often" in asked_until_result(iv)


@pytest.mark.usefixtures("fake_reader")
def test_corrections_yes_to_no_not_sure_and_a_number(client: TestClient, app: FastAPI) -> None:
    html = begin(client, TEXT)
    iv = confirm(
        client,
        html,
        value_timing_night="no",
        value_site_calf="unsure",
        value_episodes_per_week="3,5",
        value_weeks_since_onset="",
    )
    known = known_of(app, iv.html)
    assert known["timing_night"] is False
    assert "site_calf" not in known and "weeks_since_onset" not in known
    assert known["episodes_per_week"] == 3.5


@pytest.mark.usefixtures("fake_reader")
@pytest.mark.parametrize(
    "fields",
    [
        {"value_episodes_per_week": "lots"},
        {"value_episodes_per_week": "-2"},
        {"value_timing_night": "maybe"},
        {"value_trend": "sideways"},
    ],
)
def test_a_bad_correction_shows_the_page_again_with_the_error(
    client: TestClient, fields: dict[str, str]
) -> None:
    html = begin(client, TEXT + " It is getting worse.")
    iv = confirm(client, html, status=422, **fields)
    assert h1(iv.html) == "What crampwise understood"
    fid = next(iter(fields)).removeprefix("value_")
    assert f'id="error-{fid}"' in iv.html and 'role="alert"' in iv.html
    if fid == "episodes_per_week":  # what was typed is kept, to be corrected
        assert re.search(rf'name="value_{fid}"[^>]*value="{fields["value_" + fid]}"', iv.html)


@pytest.mark.usefixtures("fake_reader")
def test_back_from_the_first_question_shows_the_corrections(client: TestClient) -> None:
    iv = confirm(client, begin(client, TEXT), value_timing_night="no", remove="site_calf")
    iv.post(action="back")
    assert h1(iv.html) == "What crampwise understood"
    night = re.search(r'<select id="value_timing_night".*?</select>', iv.html, re.S)
    calf = re.search(r'<select id="value_site_calf".*?</select>', iv.html, re.S)
    assert night is not None and '<option value="no" selected>' in night.group(0)
    assert calf is not None and '<option value="unsure" selected>' in calf.group(0)


@pytest.mark.usefixtures("fake_reader")
def test_change_my_description_goes_back_with_the_words(client: TestClient) -> None:
    html = begin(client, TEXT, age="63")
    response = client.post(
        "/check/understood",
        data={
            "csrf_token": hidden(html, "csrf_token"),
            "state": hidden(html, "state"),
            "action": "edit",
        },
    )
    assert response.status_code == 200
    assert f">{TEXT}</textarea>" in response.text
    assert re.search(r'name="age"[^>]*value="63"', response.text)


@pytest.mark.usefixtures("fake_reader")
def test_nothing_understood_says_so_and_asks_everything(client: TestClient) -> None:
    html = begin(client, "It is hard to describe.")
    assert 'id="nothing-understood"' in html
    assert confirm(client, html).question_id == "emergency_signs"


@pytest.mark.usefixtures("fake_reader")
def test_a_serious_sign_read_and_kept_ends_in_an_emergency(client: TestClient) -> None:
    iv = confirm(client, begin(client, "My foot went white and cold an hour ago.", age="74"))
    assert iv.is_result
    assert 'class="triage triage--emergency' in iv.html


@pytest.mark.parametrize(
    ("age", "description", "field", "message"),
    [
        ("50", "x" * (MAX_DESCRIPTION_CHARS + 1), "description", str(MAX_DESCRIPTION_CHARS)),
        ("50", "my calf \x07 hurts", "description", "control character"),
        ("abc", TEXT, "age", "a number of years"),
        ("130", TEXT, "age", "a number of years"),
    ],
)
def test_start_errors_keep_the_description(
    client: TestClient, age: str, description: str, field: str, message: str
) -> None:
    html = begin(client, description, age=age, status=422)
    assert f'<a href="#{field}">' in html and message in html
    assert "</textarea>" in html and "What crampwise understood" not in html
    if field == "age":
        assert f">{TEXT}</textarea>" in html


@pytest.mark.usefixtures("fake_reader")
def test_the_description_is_escaped(client: TestClient) -> None:
    html = begin(client, "<script>alert(1)</script> my calf hurts")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>my calf</mark> hurts" in html


def test_the_real_reader_behind_the_form(client: TestClient) -> None:
    html = begin(client, "My toes curl up at night after long runs, no swelling.", age="35")
    assert h1(html) == "What crampwise understood"
    assert "<mark>" in html or 'id="nothing-understood"' in html
    assert confirm(client, html).question_id is not None


@pytest.mark.usefixtures("fake_reader")
def test_a_tampered_state_is_refused(client: TestClient) -> None:
    html = begin(client, TEXT)
    data = {"csrf_token": hidden(html, "csrf_token"), "state": hidden(html, "state") + "x"}
    response = client.post("/check/understood", data={**data, "action": "continue"})
    assert response.status_code == 422
    assert "start the check again" in response.text


@pytest.mark.usefixtures("fake_reader")
def test_no_csrf_token_no_reading(client: TestClient) -> None:
    html = begin(client, TEXT)
    response = client.post("/check/understood", data={"state": hidden(html, "state")})
    assert response.status_code == 403


@pytest.mark.usefixtures("fake_reader")
def test_a_check_from_a_description_can_be_saved(client: TestClient, app: FastAPI) -> None:
    iv = confirm(client, begin(client, TEXT))
    asked_until_result(iv)
    st = app.state.crampwise
    assert origin_from_raw(st.signer.loads(hidden(iv.html, "state")), st.kb) is not None
    response = client.post(
        "/checks",
        data={"csrf_token": hidden(iv.html, "csrf_token"), "state": hidden(iv.html, "state")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/checks/\d+\?saved=new", response.headers["location"])


@pytest.mark.usefixtures("fake_reader")
def test_with_the_diary_the_words_win_and_the_diary_keeps_its_own_credit(
    client: TestClient, app: FastAPI, db_url: str
) -> None:
    from tests.diary_seed import seed_worsening_walking_diary

    seed_worsening_walking_diary(db_url)
    page = client.get("/check")
    data = {
        "csrf_token": hidden(page.text, "csrf_token"),
        "age": "60",
        "sex": "",
        "use_diary": "1",
        "description": "Cramps in my calf, twice a week.",
    }
    html = client.post("/check", data=data).text
    assert h1(html) == "What crampwise understood"
    iv = confirm(client, html)
    known = known_of(app, iv.html)
    assert known["episodes_per_week"] == 2  # the person's words, not the diary's 7 a week
    assert known["trend"] == "worse" and known["timing_walking"] is True  # from the diary
    asked = asked_until_result(iv)
    assert "how_often" not in asked and "trend" not in asked
    # The result credits the diary only with what it still answers.
    assert "From your diary:" in iv.html and "getting worse" in iv.html
    assert "7 cramps a week" not in iv.html


@pytest.mark.usefixtures("fake_reader")
def test_removing_a_finding_the_diary_also_has_makes_it_unknown(
    client: TestClient, app: FastAPI, db_url: str
) -> None:
    from tests.diary_seed import seed_worsening_walking_diary

    seed_worsening_walking_diary(db_url)
    page = client.get("/check")
    data = {
        "csrf_token": hidden(page.text, "csrf_token"),
        "age": "60",
        "use_diary": "1",
        "description": "It is getting worse.",
    }
    iv = confirm(client, client.post("/check", data=data).text, remove="trend")
    assert "trend" not in known_of(app, iv.html)  # asked again, not taken from the diary
