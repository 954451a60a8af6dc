"""What a description must be before it is read: one rule for the terminal, the web and the API."""

from __future__ import annotations

import re

from crampwise.errors import FieldProblem, InvalidInputError

MAX_TEXT_CHARS = 5000
"""A few sentences are enough; the cap keeps one request from costing seconds."""
# Line breaks and tabs are fine in a description; other control characters are refused, as
# in a diary note (a terminal escape sequence shown back to the person could do harm).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def check_description(text: object, where: str = "text") -> str:
    """The description, stripped; InvalidInputError names ``where`` and says what is allowed."""

    def bad(message: str) -> InvalidInputError:
        return InvalidInputError("the description is not valid", [FieldProblem(where, message)])

    if not isinstance(text, str):
        raise bad("must be text: a few sentences in your own words")
    stripped = text.strip()
    if not stripped:
        raise bad("is empty: describe your cramps in a few sentences")
    if len(stripped) > MAX_TEXT_CHARS:
        raise bad(
            f"is {len(stripped)} characters long; at most {MAX_TEXT_CHARS} "
            "(a few sentences are enough)"
        )
    if _CONTROL.search(stripped):
        raise bad("may hold line breaks and tabs but no other control character")
    return stripped


__all__ = ["MAX_TEXT_CHARS", "check_description"]
