"""Typo correction for long words only, towards the lexicon's own words.

A word is corrected when it is at least ``min_length`` letters, is not a known word, and is
one edit (two for words of 10+ letters) from exactly one lexicon word with the same first
letter; transposed letters count as one edit. Short words ("no", "not", "left") and the
context words are never targets, so a near miss can never create or remove a denial.
rapidfuzz is imported only when some word needs a look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

_WORD = re.compile(r"[a-z]+")


@cache
def _by_initial(vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for word in sorted(vocabulary):
        out.setdefault(word[0], []).append(word)
    return {k: tuple(v) for k, v in out.items()}


def correct(
    text: str,
    vocabulary: frozenset[str],
    known: frozenset[str],
    min_length: int,
    meaning: Mapping[str, frozenset[str]] | None = None,
) -> tuple[str, list[int] | None]:
    """The text with typos corrected, and a map from each of its characters to the original
    offset (None when nothing changed, so offsets are the same)."""
    candidates = [
        m for m in _WORD.finditer(text) if len(m.group(0)) >= min_length and m.group(0) not in known
    ]
    if not candidates:
        return text, None
    fixes = [
        (m, fix)
        for m in candidates
        if (fix := _best(m.group(0), vocabulary, meaning or {})) is not None
    ]
    if not fixes:
        return text, None
    pieces: list[str] = []
    offsets: list[int] = []
    last = 0
    for m, fix in fixes:
        pieces.append(text[last : m.start()])
        offsets.extend(range(last, m.start()))
        pieces.append(fix)
        # Every character of the correction points into the word it replaced.
        offsets.extend(min(m.start() + i, m.end() - 1) for i in range(len(fix) - 1))
        offsets.append(m.end() - 1)  # so a span ending with the word ends where it did
        last = m.end()
    pieces.append(text[last:])
    offsets.extend(range(last, len(text)))
    offsets.append(len(text))
    return "".join(pieces), offsets


def _best(
    word: str, vocabulary: frozenset[str], meaning: Mapping[str, frozenset[str]]
) -> str | None:
    from rapidfuzz.distance import OSA

    limit = 2 if len(word) >= 10 else 1
    pool: Iterable[str] = _by_initial(vocabulary).get(word[0], ())
    hits = sorted(
        (d, w)
        for w in pool
        if abs(len(w) - len(word)) <= limit
        and (d := OSA.distance(word, w, score_cutoff=limit)) <= limit
    )
    if not hits:
        return None
    tied = [w for d, w in hits if d == hits[0][0]]
    if len({meaning.get(w, frozenset({w})) for w in tied}) > 1:
        return None  # equally near words that mean different things: ambiguous, leave it
    return tied[0]


__all__ = ["correct"]
