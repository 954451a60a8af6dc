"""The one answer parser: typed replies (terminal and web form) and the JSON form (API)."""

from __future__ import annotations

import pytest

from crampwise.engine.answers import (
    MAX_ANSWERS,
    checklist_reply,
    describe_answer,
    not_applicable,
    parse_answers,
    parse_reply,
)
from crampwise.engine.interview import Answer
from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase


def _values(answer: Answer) -> dict[str, object]:
    return dict(answer.values)


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("side", "?", {"side": None}),
        ("emergency_signs", "0", dict.fromkeys(("foot_pale_or_cold",), False)),
        ("current_cramp", "12", {"current_cramp_minutes": 12}),
        ("current_cramp", "2,5", {"current_cramp_minutes": 2.5}),
        ("current_cramp", "none", {"current_cramp_minutes": None}),
        ("current_cramp", "-", {"current_cramp_minutes": None}),
        ("severity", " 7 ", {"severity": 7}),
        ("trend", "3", {"trend": "worse"}),
        ("trend", "same", {"trend": "same"}),
    ],
)
def test_typed_replies_become_typed_answers(
    kb: KnowledgeBase, qid: str, text: str, expected: dict[str, object]
) -> None:
    values = _values(parse_reply(kb.question_by_id[qid], kb, text))
    for fid, value in expected.items():
        assert values[fid] == value
        assert type(values[fid]) is type(value)


@pytest.mark.parametrize(
    ("text", "value"), [("y", True), ("YES", True), ("n", False), ("no", False)]
)
def test_yes_no(kb: KnowledgeBase, text: str, value: bool) -> None:
    question = next(q for q in kb.questions if q.kind == "yes_no")
    assert question.finding is not None
    assert _values(parse_reply(question, kb, text)) == {question.finding: value}


def test_checklist_numbers_tick_mark_unsure_and_say_no_to_the_rest(kb: KnowledgeBase) -> None:
    question = kb.question_by_id["emergency_signs"]
    ids = question.finding_ids()
    values = _values(parse_reply(question, kb, "?1 2"))
    assert values[ids[0]] is None and values[ids[1]] is True
    assert all(values[fid] is False for fid in ids[2:])
    ticked = _values(checklist_reply(question, [ids[2]]))
    assert ticked[ids[2]] is True and ticked[ids[0]] is False


@pytest.mark.parametrize(
    ("qid", "text", "field", "message"),
    [
        ("emergency_signs", "", "answers[2].values", "type 0 for none of these"),
        ("emergency_signs", "1 9", "answers[2].values", "'9' is not one of the numbers 1 to 7"),
        ("severity", "11", "answers[2].values.severity", "type a whole number from 0 to 10"),
        ("severity", "6.5", "answers[2].values.severity", "whole number"),
        ("severity", "nan", "answers[2].values.severity", "from 0 to 10"),
        ("severity", "n", "answers[2].values.severity", "from 0 to 10"),  # no "does not apply"
        ("trend", "4", "answers[2].values.trend", "type a number from 1 to 3"),
        ("trend", "awful", "answers[2].values.trend", "type a number from 1 to 3"),
    ],
)
def test_bad_replies_name_the_field_and_say_what_to_type(
    kb: KnowledgeBase, qid: str, text: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_reply(kb.question_by_id[qid], kb, text, ("answers", 2))
    [problem] = info.value.problems
    assert problem.field == field
    assert message in problem.message


def test_yes_no_rejects_other_words(kb: KnowledgeBase) -> None:
    question = next(q for q in kb.questions if q.kind == "yes_no")
    with pytest.raises(InvalidInputError, match="answer is not valid") as info:
        parse_reply(question, kb, "maybe", ("answers", 0))
    assert info.value.problems[0].message == "type y for yes or n for no"
    assert info.value.problems[0].field == f"answers[0].values.{question.finding}"


def test_does_not_apply_only_where_the_question_data_offers_it(kb: KnowledgeBase) -> None:
    offering = [q.id for q in kb.questions if q.not_applicable]
    assert offering == ["current_cramp"]
    assert _values(not_applicable(kb.question_by_id["current_cramp"])) == {
        "current_cramp_minutes": None
    }
    with pytest.raises(InvalidInputError) as info:
        not_applicable(kb.question_by_id["how_often"], ("answers", 4))
    assert info.value.problems[0].field == "answers[4].values.episodes_per_week"


def test_checklist_reply_refuses_items_of_other_questions(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidInputError) as info:
        checklist_reply(kb.question_by_id["emergency_signs"], ["site_calf"], ("answers", 0))
    assert info.value.problems[0].field == "answers[0].values.site_calf"


def test_json_answers_parse_to_the_same_answers_as_typed_replies(kb: KnowledgeBase) -> None:
    raw = [
        {"question_id": "current_cramp", "values": {"current_cramp_minutes": 12}},
        {"question_id": "trend", "values": {"trend": "worse"}},
    ]
    typed = (
        parse_reply(kb.question_by_id["current_cramp"], kb, "12"),
        parse_reply(kb.question_by_id["trend"], kb, "3"),
    )
    assert parse_answers(raw, kb) == typed


def test_json_answers_list_every_problem_with_its_path(kb: KnowledgeBase) -> None:
    raw = [
        {"question_id": "nope", "values": {}},
        {"question_id": "side", "values": {"side": "up"}},
        {"question_id": "side", "values": {"site_calf": True}},
        {"question_id": "side", "values": []},
        "side",
    ]
    with pytest.raises(InvalidInputError) as info:
        parse_answers(raw, kb)
    fields = [p.field for p in info.value.problems]
    assert fields == [
        "answers[0].question_id",
        "answers[1].values.side",
        "answers[2].values.site_calf",
        "answers[3].values",
        "answers[4]",
    ]
    assert "or null for don't know" in info.value.problems[1].message


@pytest.mark.parametrize(
    ("raw", "message"),
    [({"a": 1}, "must be a list"), ([{}] * (MAX_ANSWERS + 1), f"at most {MAX_ANSWERS}")],
)
def test_json_answers_must_be_a_bounded_list(kb: KnowledgeBase, raw: object, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_answers(raw, kb)
    assert info.value.problems[0].field == "answers"
    assert message in info.value.problems[0].message


def test_describe_answer_says_each_kind_of_answer_in_words(kb: KnowledgeBase) -> None:
    checklist = kb.question_by_id["emergency_signs"]
    first, second = (item.finding for item in checklist.items[:2])
    labels = [item.label for item in checklist.items[:2]]
    nothing = {item.finding: False for item in checklist.items}
    assert describe_answer(checklist, Answer(checklist.id, nothing)) == "none of these"
    some = {**nothing, first: True, second: None}
    assert describe_answer(checklist, Answer(checklist.id, some)) == (
        f"{labels[0]} (not sure: {labels[1]})"
    )
    unknown = {fid: None for fid in checklist.finding_ids()}
    assert describe_answer(checklist, Answer(checklist.id, unknown)) == "Don't know"
    number = kb.question_by_id["current_cramp"]
    assert describe_answer(number, Answer(number.id, {number.finding or "": 2.5})) == "2.5"
    assert describe_answer(number, Answer(number.id, {number.finding or "": None})) == (
        "Don't know or does not apply"
    )
    yes_no = next(q for q in kb.questions if q.kind == "yes_no")
    assert describe_answer(yes_no, Answer(yes_no.id, {yes_no.finding or "": True})) == "Yes"
