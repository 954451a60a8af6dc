"""The text prepared for reading (words, sentences, breaks) and the context scopes of its
triggers: NegEx/ConText style, a trigger governs the words after it (or before it) up to a
terminator ("but", "although"), a punctuation mark, the end of the sentence or a word limit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_WORD = re.compile(r"[\w']+")
_HARD_BREAK = re.compile(r"[.!?;:()\[\]\n—–]|\s-\s")
_COMMA = re.compile(r",")
_LIST_WORDS = frozenset({"or", "nor", "and"})


@dataclass(frozen=True, slots=True)
class Prepared:
    """Lower-cased text with its words and what separates them."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    breaks: tuple[str, ...]
    """breaks[i]: what lies between word i-1 and word i: '' , 'comma' or 'hard'."""
    sentence_of: tuple[int, ...]
    """sentence_of[i]: the sentence number of word i."""

    def word_at(self, pos: int) -> int:
        """The index of the word containing ``pos``, or the last word before it."""
        return max(bisect_right(self.starts, pos) - 1, 0)

    def word_after(self, pos: int) -> int:
        """The index of the first word starting at or after ``pos`` (len(words) if none)."""
        return bisect_right(self.starts, pos - 1)


def prepare(text: str) -> Prepared:
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    breaks: list[str] = []
    sentence_of: list[int] = []
    sentence = 0
    last_end = 0
    for m in _WORD.finditer(text):
        between = text[last_end : m.start()]
        kind = ""
        if starts and _HARD_BREAK.search(between):
            kind = "hard"
            if re.search(r"[.!?;\n]", between):
                sentence += 1
        elif starts and _COMMA.search(between):
            kind = "comma"
        starts.append(m.start())
        ends.append(m.end())
        words.append(m.group(0))
        breaks.append(kind)
        sentence_of.append(sentence)
        last_end = m.end()
    return Prepared(
        text, tuple(starts), tuple(ends), tuple(words), tuple(breaks), tuple(sentence_of)
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """The stretch of text one trigger governs."""

    category: str
    start: int
    end: int
    trigger_start: int
    trigger_end: int


@dataclass(frozen=True, slots=True)
class Trigger:
    category: str
    direction: str
    max_words: int
    start: int
    end: int


def _list_continues(p: Prepared, i: int, max_words: int, clause_starts: frozenset[str]) -> bool:
    """After a comma at word i: is this a short list ("swelling, redness or pain")?"""
    if p.words[i] in clause_starts:
        return False  # ", and ...", ", it's gone pale": a new clause
    for k in range(i, min(i + max_words + 1, len(p.words))):
        if k > i and p.breaks[k] == "hard":
            return False
        if k > i and p.breaks[k] == "comma":
            return True
        if p.words[k] in _LIST_WORDS:
            return True
    return False


def scopes(
    p: Prepared,
    triggers: list[Trigger],
    terminator_words: set[int],
    list_max: int,
    clause_starts: frozenset[str] = frozenset(),
) -> list[Scope]:
    """The scope of every trigger (pseudo-triggers already removed)."""
    out: list[Scope] = []
    n = len(p.words)
    for t in triggers:
        if t.direction == "forward":
            i = p.word_after(t.end)
            first = i
            while i < n and i - first < t.max_words:
                if p.breaks[i] == "hard":
                    break
                if p.breaks[i] == "comma" and not _list_continues(p, i, list_max, clause_starts):
                    break
                if i in terminator_words:
                    break
                i += 1
            if i > first:
                out.append(Scope(t.category, t.end, p.ends[i - 1], t.start, t.end))
        else:
            j = p.word_after(t.start) - 1
            count = 0
            while j >= 0 and count < t.max_words:
                if j + 1 < n and p.breaks[j + 1] in ("hard", "comma"):
                    break
                if j in terminator_words:
                    break
                count += 1
                j -= 1
            if count:
                out.append(Scope(t.category, p.starts[j + 1], t.start, t.start, t.end))
    return out


__all__ = ["Prepared", "Scope", "Trigger", "prepare", "scopes"]
