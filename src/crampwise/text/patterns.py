"""The phrase syntax of the lexicon and context rules, compiled to regular expressions.

A phrase is words separated by spaces, matched on whole words of lower-cased text:
- ``calf|calves`` — either word;
- ``(i'm|i am)`` — either of several phrases (a group);
- ``cramp*`` — any word starting with ``cramp``;
- ``the?`` or ``(of my)?`` — optional;
- ``...`` — a gap of up to :data:`GAP_WORDS` words, never across a sentence end.
Words may be separated by spaces, hyphens, commas or apostrophes in the text, so
``night time`` also matches "night-time".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

GAP_WORDS = 8
# Between two words: anything that is not a word character or a sentence end.
SEP = r"[^\w.!?;:]+"
WORD = r"[\w']+"
_GAP = f"(?:{SEP}{WORD}){{0,{GAP_WORDS}}}?"
_PHRASE_CHARS = re.compile(r"^[a-z0-9' |*?.\-/()]+$")


class PatternError(ValueError):
    """A phrase that does not follow the syntax."""


def _split(text: str, sep: str, phrase: str) -> list[str]:
    """Split on ``sep`` outside parentheses."""
    out: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            raise PatternError(f"'{phrase}': unbalanced parentheses")
        if ch == sep and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    if depth:
        raise PatternError(f"'{phrase}': unbalanced parentheses")
    out.append(current)
    return out


def _word(alt: str, phrase: str) -> str:
    if not alt or not re.fullmatch(r"[a-z0-9'\-/]+\*?", alt):
        raise PatternError(f"'{phrase}': '{alt}' is not a word")
    if alt.endswith("*"):
        return re.escape(alt[:-1]) + r"[\w']*"
    return re.escape(alt)


def _unit(token: str, phrase: str) -> str:
    if token.startswith("(") and token.endswith(")"):
        alternatives = _split(token[1:-1], "|", phrase)
        if any("..." in a or not a.strip() for a in alternatives):
            raise PatternError(f"'{phrase}': a group holds phrases without '...'")
        return "(?:" + "|".join(_sequence(a.split(), phrase) for a in alternatives) + ")"
    return "(?:" + "|".join(_word(a, phrase) for a in token.split("|")) + ")"


def _sequence(tokens: list[str], phrase: str) -> str:
    out = ""
    need_sep = False
    for token in tokens:
        optional = token.endswith("?")
        body = _unit(token[:-1] if optional else token, phrase)
        if optional:
            # The separator goes inside the optional part, on the side that has a word.
            out += f"(?:{SEP}{body})?" if need_sep else f"(?:{body}{SEP})?"
        else:
            out += (SEP if need_sep else "") + body
            need_sep = True
    return out


def phrase_regex(phrase: str, *, gap_groups: bool = True) -> str:
    """The regular expression (source) of one phrase; gaps are capture groups when asked."""
    if not phrase.strip() or not _PHRASE_CHARS.match(phrase):
        raise PatternError(f"'{phrase}': use lower-case words, ' | * ? ( ) and ...")
    tokens = [t for t in _split(phrase, " ", phrase) if t]
    if tokens[0] == "..." or tokens[-1] == "...":
        raise PatternError(f"'{phrase}': a phrase cannot start or end with '...'")
    segments: list[list[str]] = [[]]
    for token in tokens:
        if token == "...":
            segments.append([])
        else:
            segments[-1].append(token)
    gap = f"({_GAP})" if gap_groups else _GAP
    return (gap + SEP).join(_sequence(seg, phrase) for seg in segments)


def compile_phrases(phrases: Iterable[str], *, gap_groups: bool = True) -> re.Pattern[str] | None:
    """One regex matching any of ``phrases`` on word boundaries, longest alternative first."""
    return _compile_phrases(tuple(phrases), gap_groups)


@cache
def _compile_phrases(phrases: tuple[str, ...], gap_groups: bool) -> re.Pattern[str] | None:
    sources = [phrase_regex(p, gap_groups=gap_groups) for p in phrases]
    if not sources:
        return None
    # Longer phrases first so "not just" wins over "not" at the same place.
    ordered = sorted(set(sources), key=lambda s: (-len(s), s))
    return re.compile(r"(?<![\w'])(?:" + "|".join(ordered) + r")(?![\w'])")


def first_words(phrase: str) -> frozenset[str] | None:
    """The words a match of ``phrase`` can start with (``cramp*`` for a prefix), or None when
    that cannot be told simply (an optional first word)."""
    first = _split(phrase, " ", phrase)[0]
    if first.endswith("?"):
        return None
    if first.startswith("(") and first.endswith(")"):
        out: set[str] = set()
        for alternative in _split(first[1:-1], "|", phrase):
            inner = first_words(alternative.strip())
            if inner is None:
                return None
            out |= inner
        return frozenset(out)
    return frozenset(first.split("|"))


def literal_words(phrase: str) -> set[str]:
    """The plain words of a phrase (no wildcards): the vocabulary typo correction aims at."""
    out: set[str] = set()
    for word in re.split(r"[\s|()?]+", phrase):
        if word and word.isalpha():
            out.add(word)
    return out


__all__ = [
    "GAP_WORDS",
    "SEP",
    "PatternError",
    "compile_phrases",
    "first_words",
    "literal_words",
    "phrase_regex",
]
