"""The warning-sign checklists as one question, for an interview that starts from a description.

After a description the person has already said a good deal, so the knowledge base's screening
checklists (``screening: true``, ``kind: checklist``) are shown as one checklist holding only
the warning signs the description did not settle. It is generated from the knowledge base —
the first checklist's wording, each item's own label, the checklists' sources — under one stable
id, so the terminal, the web form and the JSON API show and parse it like any other checklist.
"""

from __future__ import annotations

from collections.abc import Container

from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question

WARNING_SIGNS_ID = "warning_signs_open"
"""The id of the merged checklist of the warning signs still open."""


def screening_checklists(kb: KnowledgeBase) -> tuple[Question, ...]:
    """The knowledge base's warning-sign checklists, in its order."""
    return tuple(q for q in kb.questions if q.screening and q.kind == "checklist")


def warning_signs_question(kb: KnowledgeBase, open_ids: Container[str] | None = None) -> Question:
    """One checklist of the screening checklists' items that are in ``open_ids`` (all when
    None), in the knowledge base's order."""
    lists = screening_checklists(kb)
    items = tuple(
        item for q in lists for item in q.items if open_ids is None or item.finding in open_ids
    )
    sources = tuple(dict.fromkeys(s for q in lists for s in q.sources))
    return Question(
        id=WARNING_SIGNS_ID,
        kind="checklist",
        screening=True,
        text=lists[0].text,
        help="Only the warning signs your description did not already answer are listed.",
        items=items,
        sources=sources,
    )


def question_by_id(kb: KnowledgeBase, question_id: str) -> Question | None:
    """A question of the knowledge base, or the merged warning-sign checklist (with every
    item: an answer to it may name any warning sign it could have listed)."""
    if question_id == WARNING_SIGNS_ID:
        return warning_signs_question(kb)
    return kb.question_by_id.get(question_id)
