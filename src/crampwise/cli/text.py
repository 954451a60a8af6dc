"""Prose for the terminal, wrapped to its width."""

from __future__ import annotations

import shutil
import textwrap

import click

MIN_WIDTH = 40
MAX_WIDTH = 100
"""Longer lines are hard to read even on a wide terminal."""


def width() -> int:
    """The terminal's width (``COLUMNS`` or 80 when it is not a terminal), within bounds."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """``text`` as lines that fit the terminal; ``first`` starts the first line (a bullet)."""
    # Never inside "high-heeled" or an address: words stay whole for search and copying.
    return textwrap.fill(
        text,
        width(),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def echo_wrapped(text: str, indent: str = "", first: str | None = None) -> None:
    click.echo(wrap(text, indent, first))


MIN_CELL = 20


def table(header: tuple[str, ...], rows: list[tuple[str, ...]], *, wrap: int | None = None) -> str:
    """Columns padded to their widest cell; the cells of column ``wrap`` are wrapped (on
    spaces) so that the table fits the terminal, their further lines under the first."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    if wrap is not None:
        others = sum(w for i, w in enumerate(widths) if i != wrap) + 2 * (len(widths) - 1)
        widths[wrap] = min(widths[wrap], max(MIN_CELL, width() - others))
    lines = [_line(header, widths)]
    for row in rows:
        cells = [
            (textwrap.wrap(c, widths[i], break_on_hyphens=False) or [""]) if i == wrap else [c]
            for i, c in enumerate(row)
        ]
        for k in range(max(len(c) for c in cells)):
            lines.append(_line(tuple(c[k] if k < len(c) else "" for c in cells), widths))
    return "\n".join(lines)


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
