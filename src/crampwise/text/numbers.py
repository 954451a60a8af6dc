"""Numbers in everyday words: how often, how long, since when, how bad, how far along.

Each reader returns ``(value, start, end)`` hits on the lower-cased text; the reader module
picks which hit settles a finding. Word numbers ("three", "a couple of", "a few") and ranges
("two or three", "4-5") count; a range reads as its middle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UNITS_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_WORDS: dict[str, float] = {
    **_UNITS_WORDS,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "a couple of": 2, "a couple": 2,
    "couple of": 2, "a few": 3, "few": 3, "several": 3.5, "a": 1, "an": 1, "half a": 0.5,
    "half an": 0.5, "a half": 0.5, "one and a half": 1.5, "a dozen": 12, "once": 1,
    "twice": 2, "thrice": 3, "a single": 1,
}  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_ALT = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
NUM = rf"(?:\d+(?:\.\d+)?|(?:{'|'.join(_TENS)})[ -](?:{'|'.join(_UNITS_WORDS)})|{_WORD_ALT})"
RANGE = rf"{NUM}(?:\s*(?:or|to|-|–)\s*{NUM})?"
_APPROX_WORDS = (
    "about|around|roughly|nearly|almost|maybe|perhaps|approximately|over|under|less than|"
    "more than|just|only|at least|up to|the last|the past|last|past"
)
_APPROX = rf"(?:(?:{_APPROX_WORDS})\s+)*"

_PER_WEEK = {
    # "about once a month" is 0.25 a week in the case format.
    "week": 1.0, "weeks": 1.0, "fortnight": 0.5, "month": 0.25, "months": 0.25,
    "year": 1 / 52, "years": 1 / 52, "day": 7.0, "days": 7.0, "night": 7.0, "nights": 7.0,
    "evening": 7.0, "morning": 7.0,
}  # fmt: skip
_IN_WEEKS = {
    "second": 1 / 604800, "sec": 1 / 604800, "minute": 1 / 10080, "min": 1 / 10080,
    "hour": 1 / 168, "hr": 1 / 168, "day": 1 / 7, "night": 1 / 7, "week": 1.0,
    "fortnight": 2.0, "month": 52 / 12, "year": 52.0,
}  # fmt: skip
_IN_MINUTES = {"second": 1 / 60, "sec": 1 / 60, "minute": 1.0, "min": 1.0, "hour": 60.0}

Hit = tuple[float, int, int]


def number(words: str) -> float | None:
    """The value of one number or range in words or digits ("two or three" -> 2.5)."""
    parts = re.split(r"\s*(?:\bor\b|\bto\b|-(?=\s*\d)|–)\s*", words.strip())
    values: list[float] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            values.append(float(part))
            continue
        tens = re.fullmatch(rf"({'|'.join(_TENS)})[ -]({'|'.join(_UNITS_WORDS)})", part)
        if tens:
            values.append(_WORDS[tens.group(1)] + _WORDS[tens.group(2)])
            continue
        if part in _WORDS:
            values.append(_WORDS[part])
    if not values:
        return None
    return sum(values) / len(values)


def _unit(word: str) -> str:
    word = word.rstrip("s") if word not in ("s",) else word
    return {"mins": "min", "secs": "sec", "hrs": "hr"}.get(word, word)


_FREQ = re.compile(
    rf"\b(?:(?P<n>{RANGE})\s+(?:times?|nights?|days?|evenings?|mornings?|afternoons?|cramps?|"
    rf"attacks?|episodes?|x)|(?P<once>once|twice|thrice))\s+"
    rf"(?:a|an|per|each|every|in\s+a)\s+(?:(?P<k>{RANGE})\s+)?"
    rf"(?P<u>weeks?|fortnight|months?|years?|days?|nights?|evenings?|mornings?)"
    rf"(?:\s+or\s+(?P<k2>{NUM}))?\b"
)
_FREQ_FIXED: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p), v)
    for p, v in (
        (r"\b(?:nearly|almost|practically|virtually) (?:every|each) (?:night|day|evening)\b", 6.0),
        (r"\bevery other (?:night|day|evening)\b", 3.5),
        (r"\b(?:every|each) (?:single )?(?:night|day|evening)\b|\bnightly\b|\bdaily\b", 7.0),
        (r"\b(?:most|many) (?:nights|days|evenings|mornings)\b", 5.0),
    )
)


def frequency(text: str) -> Iterator[Hit]:
    """Cramps a week: "about once a month" -> 0.25, "most nights" -> 5."""
    for m in _FREQ.finditer(text):
        n = number(m.group("n") or m.group("once"))
        unit = _unit(m.group("u"))
        per = _PER_WEEK.get(unit) or _PER_WEEK.get(unit + "s")
        if n is None or per is None:
            continue
        every = m.group("k")
        if every or m.group("k2"):
            # "once every two weeks", "once every week or two": divide by the period.
            low = number(every) if every else 1.0
            high = number(m.group("k2")) if m.group("k2") else low
            if low is None or high is None:
                continue
            per = per / ((low + high) / 2)
        yield round(n * per, 3), m.start(), m.end()
    for pattern, value in _FREQ_FIXED:
        for m in pattern.finditer(text):
            yield value, m.start(), m.end()


_DURATION = re.compile(
    rf"\b(?:for|over|in|since|during)\s+{_APPROX}(?:the\s+(?:last|past)\s+)?(?P<n>{RANGE})?\s*"
    rf"(?P<u>days?|weeks?|fortnight|months?|years?)(?:\s+or\s+(?P<n2>{NUM}|so))?\b"
)
_AGO = re.compile(
    rf"\b(?P<n>{RANGE})\s+(?P<u>minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnight|"
    rf"months?|years?)\s+(?:or\s+(?:so\s+)?(?P<n2>{NUM})?\s*)?ago\b"
)
_RECENT: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p), v)
    for p, v in (
        (r"\b(?:since\s+)?(?:today|this (?:morning|afternoon|evening)|tonight|last night)\b", 0.0),
        (r"\b(?:since\s+)?yesterday\b", 1 / 7),
        (r"\b(?:since\s+)?last week\b", 1.0),
        (r"\b(?:since\s+)?last month\b", 52 / 12),
        (r"\bsince (?:the |last )?(?:summer|spring|winter|autumn|fall|christmas)\b", 13.0),
    )
)


def _weeks(m: re.Match[str]) -> float | None:
    raw = m.group("n")
    n = number(raw) if raw else 1.0
    if n is None:
        return None
    n2 = m.group("n2")
    if n2 and n2 != "so":
        second = number(n2)
        if second is not None:
            n = (n + second) / 2
    unit = _unit(m.group("u"))
    return round(n * _IN_WEEKS[unit], 3) if unit in _IN_WEEKS else None


def onset(text: str) -> Iterator[Hit]:
    """Weeks since the problem began: "for six weeks", "two months ago", "since yesterday"."""
    for regex in (_DURATION, _AGO):
        for m in regex.finditer(text):
            if (
                regex is _DURATION
                and m.group("n") is None
                and not re.search(r"\b(?:last|past)\s*$", text[m.start() : m.start("u")])
            ):
                continue  # "for years" alone says no number
            weeks = _weeks(m)
            if weeks is not None:
                yield weeks, m.start(), m.end()
    for pattern, value in _RECENT:
        for m in pattern.finditer(text):
            yield value, m.start(), m.end()


_GOING_ON = re.compile(
    rf"\b(?:right now|at the moment|currently|been going|been going on|been there|"
    rf"been cramping|has lasted|have had it|had a cramp)\b[^.!?;]{{0,40}}?\bfor\s+{_APPROX}"
    rf"(?P<n>{RANGE})\s+(?P<u>minutes?|mins?|hours?|hrs?)\b"
    rf"|\bfor\s+the\s+(?:last|past)\s+(?P<n2>{RANGE})\s+(?P<u2>minutes?|mins?|hours?|hrs?)\b"
)


def ago_minutes(text: str) -> Iterator[Hit]:
    """A cramp still going on: "started an hour ago", "right now, for 20 minutes"."""
    for m in _GOING_ON.finditer(text):
        key = "n" if m.group("n") else "n2"
        n = number(m.group(key))
        if n is not None:
            unit = _unit(m.group("u" if key == "n" else "u2"))
            yield n * (60.0 if unit in ("hour", "hr") else 1.0), m.start(key), m.end()
    for m in _AGO.finditer(text):
        unit = _unit(m.group("u"))
        n = number(m.group("n"))
        if unit in ("minute", "min", "hour", "hr") and n is not None:
            yield n * (60.0 if unit in ("hour", "hr") else 1.0), m.start(), m.end()


_EPISODE = re.compile(
    rf"\b(?>(?P<n>{RANGE})\s+(?P<u>seconds?|secs?|minutes?|mins?)"
    rf"(?:\s+or\s+(?P<n2>{NUM}))?)(?!\s+(?:or\s+so\s+)?(?:of|ago)\b)\b"
)


def episode(text: str) -> Iterator[Hit]:
    """How long a cramp lasts: "a minute or two" -> 1.5, "under a minute" -> 1."""
    for m in _EPISODE.finditer(text):
        n = number(m.group("n"))
        if n is None:
            continue
        if m.group("n2"):
            second = number(m.group("n2"))
            n = (n + second) / 2 if second is not None else n
        yield round(n * _IN_MINUTES[_unit(m.group("u"))], 2), m.start(), m.end()


_SEVERITY = re.compile(rf"\b(?P<n>{NUM}|10)\s*(?:out\s+of\s+(?:10|ten)|/\s*10)\b")


def severity(text: str) -> Iterator[Hit]:
    """Pain out of ten: "a nine out of ten", "8/10"."""
    for m in _SEVERITY.finditer(text):
        n = number(m.group("n"))
        if n is not None and 0 <= n <= 10:
            yield float(round(n)), m.start(), m.end()


_PREGNANT = re.compile(
    rf"\b(?P<n>{RANGE})\s+(?P<u>weeks?|months?)\s+(?:pregnant|gone|along)\b"
    rf"|\bpregnant\s+(?:for\s+)?(?:with\s+\w+\s+)?(?P<n2>{RANGE})\s+(?P<u2>weeks?|months?)\b"
)


def pregnancy(text: str) -> Iterator[Hit]:
    """Weeks of pregnancy: "30 weeks pregnant", "six months pregnant"."""
    for m in _PREGNANT.finditer(text):
        raw, unit = (m.group("n"), m.group("u")) if m.group("n") else (m.group("n2"), m.group("u2"))
        n = number(raw)
        if n is None:
            continue
        weeks = n * (52 / 12 if unit.startswith("month") else 1.0)
        if 0 <= weeks <= 45:
            yield round(weeks, 1), m.start(), m.end()


__all__ = ["Hit", "ago_minutes", "episode", "frequency", "number", "onset", "pregnancy", "severity"]
