"""Read a person's own words into findings: phrases, their context, then numbers.

Safety: a warning sign is read as ``false`` only when a denial governs it closely
("no swelling"); a hypothetical or someone else's sign is left unknown; when the text says
both, "present" wins, so the interview or the triage errs towards asking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from crampwise.case.model import Case, FindingValue, check_finding_value
from crampwise.knowledge import KnowledgeBase
from crampwise.text import numbers
from crampwise.text.compiled import CompiledReader, CompiledRule, compiled_for
from crampwise.text.context import Prepared, Scope, Trigger, prepare, scopes
from crampwise.text.fuzzy import correct

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_SINCE_THEN = re.compile(r"\W*(?:since then|since that|ever since|from then on)\b")
_SINCE = re.compile(r"\bsince\b")
# A date that belongs to a diagnosis, not to the cramps ("I was told three years ago").
_DIAGNOSIS = re.compile(r"\b(?:told|diagnosed|diagnosis|found out)\b")
_RECENT_WEEKS = 0.15
Span2 = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Hit:
    value: FindingValue
    start: int
    end: int
    order: int = 0
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Text:
    """The corrected lower-case text, its words and the scopes of its context triggers."""

    p: Prepared
    scopes: tuple[Scope, ...]
    sentence_first: tuple[int, ...]
    sentence_last: tuple[int, ...]
    anchored: frozenset[int]


def lower(text: str) -> str:
    """Lower case with the same length, so offsets stay those of the original."""
    low = text.translate(_APOSTROPHES).lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(_APOSTROPHES))


def _prepare(corrected: str, comp: CompiledReader) -> _Text:
    p = prepare(corrected)
    pseudo = [m.span() for m in comp.pseudo.finditer(corrected)] if comp.pseudo else []
    triggers = [
        Trigger(ct.category, ct.direction, ct.max_words, m.start(), m.end())
        for ct in comp.triggers
        for m in ct.regex.finditer(corrected)
        if not any(ps <= m.start() and m.end() <= pe for ps, pe in pseudo)
    ]
    terminators = {p.word_after(m.start()) for m in comp.terminators.finditer(corrected)}
    first: list[int] = []
    last: list[int] = []
    for i, s in enumerate(p.sentence_of):
        if s == len(first):
            first.append(i)
            last.append(i)
        last[s] = i
    anchored = frozenset(
        p.sentence_of[p.word_at(m.start())] for m in comp.anchors.finditer(corrected)
    )
    return _Text(
        p,
        tuple(scopes(p, triggers, terminators, comp.list_max, comp.clause_starts)),
        tuple(first),
        tuple(last),
        anchored,
    )


def _near(t: _Text, regex: re.Pattern[str], start: int, end: int, within: int) -> bool:
    p = t.p
    if not p.words:
        return False
    a, b = p.word_at(start), p.word_at(max(end - 1, start))
    sentence = p.sentence_of[a]
    lo = max(a - within, t.sentence_first[sentence])
    hi = min(b + within, t.sentence_last[p.sentence_of[b]])
    return regex.search(p.text, p.starts[lo], p.ends[hi]) is not None


def _context(t: _Text, m: re.Match[str]) -> tuple[set[str], int]:
    """The categories governing a match, and its distance in words from the nearest denial."""
    s, e = m.span()
    gaps = [m.span(g) for g in range(1, (m.re.groups or 0) + 1) if m.start(g) >= 0]
    # A denial must reach the words after the last gap: in "feel my foot, it's gone pale"
    # the denial of "can't feel" stops at the comma and never reaches "pale".
    head = max((ge for _, ge in gaps), default=s)
    cats: set[str] = set()
    distance = 10**6
    for sc in t.scopes:
        if sc.end <= s or sc.start >= e:
            continue
        if sc.category == "negated" and (sc.end <= head or sc.start >= e):
            continue
        inside = s <= sc.trigger_start and sc.trigger_end <= e
        if inside and not any(gs <= sc.trigger_start < ge for gs, ge in gaps):
            continue  # the trigger is part of the phrase itself: "can't feel my toes"
        cats.add(sc.category)
        if sc.category == "negated":
            if sc.trigger_end <= s:
                gap = t.p.word_at(s) - t.p.word_after(sc.trigger_end)
            elif sc.trigger_start >= e:
                gap = t.p.word_after(sc.trigger_start) - 1 - t.p.word_at(e - 1)
            else:
                gap = 0
            distance = min(distance, max(gap, 0))
    return cats, distance


def _rule_hits(rule: CompiledRule, t: _Text, comp: CompiledReader) -> Iterator[Hit]:
    for m in rule.regex.finditer(t.p.text):
        s, e = m.span()
        if rule.near is not None and not _near(t, rule.near, s, e, rule.within):
            continue
        if rule.unless is not None and _near(t, rule.unless, s, e, rule.within):
            continue
        cats, distance = _context(t, m)
        if "hypothetical" in cats or "other_person" in cats:
            continue
        if "historical" in cats and comp.history.get(rule.finding) == "drop":
            continue
        value = rule.value
        if "negated" in cats:
            if value is not True:
                continue  # "not normal", a denied choice or number: unclear, leave it
            if rule.finding in comp.serious and distance > comp.serious_max:
                continue
            value = False
        elif rule.negated_only:
            continue
        yield Hit(value, s, e, rule.order, rule.requires)


def _number_hits(
    reader: str,
    t: _Text,
    history: tuple[list[Span2], list[Span2]],
    activity: re.Pattern[str] | None,
) -> list[Hit]:
    text = t.p.text
    source = {
        "episodes_per_week": numbers.frequency,
        "weeks_since_onset": numbers.onset,
        "episode_minutes": numbers.episode,
        "current_cramp_minutes": numbers.ago_minutes,
        "severity": numbers.severity,
        "pregnancy_weeks": numbers.pregnancy,
    }[reader]
    hits: list[Hit] = []
    for value, s, e in source(text):
        if any(
            sc.category in ("hypothetical", "other_person", "negated")
            and sc.start < e
            and sc.end > s
            for sc in t.scopes
        ):
            continue
        if reader == "weeks_since_onset" and _about_history(t, s, history):
            continue
        if reader == "episodes_per_week" and _activity_before(t, s, activity):
            continue
        hits.append(Hit(value, s, e))
    hits.sort(key=lambda h: (h.start, -h.end))
    if reader not in ("episodes_per_week", "weeks_since_onset") or not hits:
        return hits[:1]

    # How often and since when are read from sentences about the cramps; "since then" carries
    # a date from the sentence before ("I started a tablet in May. Since then I cramp").
    def sentence(h: Hit) -> int:
        return t.p.sentence_of[t.p.word_at(h.start)]

    anchored = [h for h in hits if sentence(h) in t.anchored]
    if anchored or reader == "episodes_per_week":
        return anchored[:1]
    for h in hits:
        nxt = sentence(h) + 1
        if nxt < len(t.sentence_first) and _SINCE_THEN.match(
            text, t.p.starts[t.sentence_first[nxt]]
        ):
            return [h]
        first, last = t.sentence_first[sentence(h)], t.sentence_last[sentence(h)]
        if _SINCE.search(text, t.p.starts[first], t.p.ends[last]):
            return [h]  # "Since we got a new duvet a month ago, ..."
    # "today", "yesterday", "last night": about this bout of cramps wherever they are said.
    return [h for h in hits if isinstance(h.value, float) and h.value <= _RECENT_WEEKS][:1]


def _activity_before(t: _Text, start: int, activity: re.Pattern[str] | None) -> bool:
    """ "I cycle five times a week": a frequency that belongs to an activity."""
    if activity is None:
        return False
    p = t.p
    w = p.word_after(start)
    lo = max(t.sentence_first[p.sentence_of[min(w, len(p.words) - 1)]], w - 3)
    return lo < w and activity.search(p.text, p.starts[lo], start) is not None


def _about_history(t: _Text, start: int, history: tuple[list[Span2], list[Span2]]) -> bool:
    """A duration that belongs to a health condition or a diagnosis ("diabetes for twelve
    years", "smoked for forty years", "told three years ago"), not to the cramps."""
    p = t.p
    w = p.word_at(start)
    lo = max(t.sentence_first[p.sentence_of[w]], w - 12)
    if _DIAGNOSIS.search(p.text, p.starts[lo], start):
        return True
    long_standing, dating = history
    if any(p.starts[lo] <= hs and he <= start for hs, he in dating):
        return False
    return any(p.starts[lo] <= hs and he <= start for hs, he in long_standing)


def read(
    text: str, age: float, sex: str | None, kb: KnowledgeBase
) -> tuple[Case, dict[str, list[tuple[int, int]]]]:
    """The case read from ``text`` and, per finding, the (start, end) offsets it came from."""
    case = Case(age=float(age), sex=sex, findings={})  # checks the age and sex first
    comp = compiled_for(kb)
    low = lower(text)
    corrected, offsets = correct(
        low, comp.vocabulary, comp.known_words, comp.fuzzy_min_length, comp.meaning
    )
    t = _prepare(corrected, comp)
    by_finding: dict[str, list[Hit]] = {}
    words = frozenset(t.p.words)
    prefixes = frozenset(w[:i] for w in words for i in range(1, len(w) + 1))
    for rule in comp.rules:
        if not rule.may_match(words, prefixes):
            continue
        for hit in _rule_hits(rule, t, comp):
            by_finding.setdefault(rule.finding, []).append(hit)

    def spans_of(ids: frozenset[str]) -> list[tuple[int, int]]:
        return [
            (h.start, h.end)
            for fid in ids & by_finding.keys()
            for h in by_finding[fid]
            if h.value is True
        ]

    history = (spans_of(comp.long_standing), spans_of(comp.dating))
    for fid, reader in comp.numbers.items():
        found = _number_hits(reader, t, history, comp.not_cramp_frequency)
        if found:
            by_finding[fid] = found  # a number said outright beats a word ("unbearable")
    current = by_finding.get("current_cramp_minutes", [])
    if current and "episode_minutes" in by_finding:
        # "a cramp right now for 20 minutes" is this cramp, not a typical one
        by_finding["episode_minutes"] = [
            h
            for h in by_finding["episode_minutes"]
            if not any(c.start < h.end and h.start < c.end for c in current)
        ]
    # First without the rules that need another finding, then with those whose need is met.
    plain = {f: [h for h in hs if not h.requires] for f, hs in by_finding.items()}
    values, spans = _decide(plain, kb, comp)
    full = {
        f: [h for h in hs if all(values.get(r) is True for r in h.requires)]
        for f, hs in by_finding.items()
    }
    values, spans = _decide(full, kb, comp)
    return case.with_findings(values), {
        fid: [_original(s, e, offsets) for s, e in pairs] for fid, pairs in spans.items()
    }


def _decide(
    by_finding: dict[str, list[Hit]], kb: KnowledgeBase, comp: CompiledReader
) -> tuple[dict[str, FindingValue], dict[str, list[tuple[int, int]]]]:
    values: dict[str, FindingValue] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for fid, hits in by_finding.items():
        if not hits:
            continue
        finding = kb.findings[fid]
        if finding.type == "bool":
            if fid not in comp.serious:
                # A longer denial holding a shorter "yes" says more: "I walk the dog two miles
                # without any pain". Never for a warning sign: there "yes" wins.
                denials = [h for h in hits if h.value is False]
                hits = [
                    h
                    for h in hits
                    if h.value is False
                    or not any(d.start <= h.start and h.end <= d.end for d in denials)
                ]
            chosen = [h for h in hits if h.value is True] or [h for h in hits if h.value is False]
        else:
            best = min(hits, key=lambda h: (h.order, h.start))
            chosen = [h for h in hits if h.value == best.value]
        value = chosen[0].value
        if finding.type == "integer" and isinstance(value, float):
            value = int(round(value))
        ok = check_finding_value(finding, value)
        if ok is None:
            continue
        values[fid] = ok
        spans[fid] = [(h.start, h.end) for h in chosen]
    for when, then, value in comp.implies:
        if values.get(when) not in (None, False) and then not in values:
            values[then] = value
            spans[then] = list(spans[when])
    return values, spans


def _original(start: int, end: int, offsets: list[int] | None) -> tuple[int, int]:
    if offsets is None:
        return start, end
    return offsets[start], offsets[end - 1] + 1


__all__ = ["lower", "read"]
