"""CSV cells: how values are written, and the guard against spreadsheet formulas.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)`` in a note is a link to anywhere). As OWASP
advises, such a text cell is exported behind a ``'``, which spreadsheets show as plain
text; a cell that already starts with apostrophes before one of those characters gets one
more, so the import can take exactly one away and the round trip is lossless. Numbers are
data, not text: they are written as they are (``-1`` stays ``-1``).
"""

from __future__ import annotations

import re

# Optional apostrophes, then a character a spreadsheet would start a formula with.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run."""
    return "'" + text if _FORMULA_START.match(text) else text


def restore(cell: str) -> str:
    """The text :func:`neutralise` was given (other cells come back unchanged)."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell, 1) else cell


def cell(value: object) -> str:
    """A value as CSV text: booleans as true/false, floats exactly, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # repr: floats round-trip exactly
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))
