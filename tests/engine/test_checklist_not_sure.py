"""A checklist answered with boxes: ticked is yes, "not sure" stays unknown, the rest no."""

from __future__ import annotations

import pytest

from crampwise.engine.answers import checklist_reply
from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase


def test_not_sure_items_stay_unknown(kb: KnowledgeBase) -> None:
    question = kb.question_by_id["leg_warning_signs"]
    first, second, *rest = question.finding_ids()
    answer = checklist_reply(question, [first], ("answers", 1), unsure=[second])
    assert answer.values[first] is True
    assert answer.values[second] is None
    assert all(answer.values[fid] is False for fid in rest)


@pytest.mark.parametrize(
    ("ticked", "unsure", "field", "message"),
    [
        (["site_calf"], ["site_calf"], "answers[2].values.site_calf", "not both"),
        ([], ["smoker"], "answers[2].values.smoker", "tick only this question's"),
    ],
)
def test_bad_not_sure_boxes_are_refused(
    kb: KnowledgeBase, ticked: list[str], unsure: list[str], field: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        checklist_reply(kb.question_by_id["sites"], ticked, ("answers", 2), unsure)
    (problem,) = caught.value.problems
    assert problem.field == field and message in problem.message
