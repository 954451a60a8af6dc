"""How deep a JSON text nests, found without parsing it.

Python's ``json`` parser recurses once per level, so ``[[[[…`` a hundred thousand deep makes
it give up with a RecursionError. Anything that parses JSON from outside (request bodies,
import files) asks :func:`nesting_exceeds` first: one rule, one limit.
"""

from __future__ import annotations

import re

MAX_JSON_DEPTH = 32
"""Nesting levels of [ and { a JSON text may have: a request needs at most 4, a diary
export with saved checks about 8."""

_SPECIAL = re.compile(rb'[\[\]{}"\\]')
_OPEN, _CLOSE, _QUOTE, _BACKSLASH = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord("\\")


def nesting_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests deeper than ``limit``; linear time, no parsing."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # the common case: too few brackets to be that deep
    depth, in_string, skip = 0, False, -1
    for match in _SPECIAL.finditer(body):
        pos = match.start()
        if pos == skip:
            continue
        char = body[pos]
        if in_string:
            if char == _BACKSLASH:
                skip = pos + 1  # the escaped character, maybe a quote
            elif char == _QUOTE:
                in_string = False
        elif char == _QUOTE:
            in_string = True
        elif char in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif char in _CLOSE:
            depth -= 1
    return False


def load_json_file_text(text: str, source: str, kind: str) -> object:
    """The parsed JSON of an import file's ``text``, nesting checked first.

    InvalidInputError names the file (``source``) and what it was taken for (``kind``, e.g.
    "a crampwise diary export") when it nests too deep, and the line when it is not JSON.
    """
    import json

    from crampwise.errors import FieldProblem, InvalidInputError

    if nesting_exceeds(text.encode("utf-8", "surrogatepass")):
        raise InvalidInputError(
            f"{source}: cannot be read as {kind}",
            [FieldProblem("file", f"nests deeper than {MAX_JSON_DEPTH} levels")],
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{source}: not valid JSON", [FieldProblem("file", exc.msg, exc.lineno)]
        ) from None
