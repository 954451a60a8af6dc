"""The lexicon and context rules compiled to regular expressions once per knowledge base."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from crampwise.knowledge import KnowledgeBase
from crampwise.text.lexicon import ContextFile, LexiconFile, load_reader_data
from crampwise.text.patterns import compile_phrases, first_words, literal_words


@dataclass(frozen=True, slots=True)
class CompiledRule:
    finding: str
    order: int
    regex: re.Pattern[str]
    value: bool | str | float
    near: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    within: int
    negated_only: bool
    requires: tuple[str, ...]
    first_words: frozenset[str] | None
    """Words a match can start with; None = always look."""
    first_prefixes: frozenset[str]
    """Beginnings of words a match can start with (from ``cramp*``)."""

    def may_match(self, words: frozenset[str], prefixes: frozenset[str]) -> bool:
        """False when no word of the text can start a match: the regex need not run."""
        if self.first_words is None:
            return True
        return not (self.first_words.isdisjoint(words) and self.first_prefixes.isdisjoint(prefixes))


@dataclass(frozen=True, slots=True)
class CompiledTrigger:
    category: str
    direction: str
    max_words: int
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CompiledReader:
    rules: tuple[CompiledRule, ...]
    triggers: tuple[CompiledTrigger, ...]
    pseudo: re.Pattern[str] | None
    terminators: re.Pattern[str]
    anchors: re.Pattern[str]
    list_max: int
    serious_max: int
    numbers: dict[str, str]
    """finding id -> number reader name."""
    history: dict[str, str]
    """finding id -> 'keep' or 'drop'."""
    serious: frozenset[str]
    implies: tuple[tuple[str, str, bool], ...]
    vocabulary: frozenset[str]
    """Words typo correction may aim at (the lexicon's words, less the 'never' list)."""
    known_words: frozenset[str]
    """Words never corrected: real words a typo target is one letter away from."""
    fuzzy_min_length: int
    meaning: dict[str, frozenset[str]]
    """Word -> the findings whose phrases use it: equally near typo targets may tie only
    when they mean the same."""
    long_standing: frozenset[str]
    not_cramp_frequency: re.Pattern[str] | None
    clause_starts: frozenset[str]
    dating: frozenset[str]


def _first(phrases: tuple[str, ...], *, exact: bool) -> frozenset[str] | None:
    out: set[str] = set()
    for phrase in phrases:
        words = first_words(phrase)
        if words is None:
            return None
        out |= (
            {w for w in words if not w.endswith("*")}
            if exact
            else {w[:-1] for w in words if w.endswith("*")}
        )
    return frozenset(out)


def _compile(lexicon: LexiconFile, context: ContextFile, kb: KnowledgeBase) -> CompiledReader:
    rules: list[CompiledRule] = []
    words: set[str] = set()
    uses: dict[str, set[str]] = {}
    for item in lexicon.findings:
        for order, rule in enumerate(item.rules):
            regex = compile_phrases(rule.phrases)
            assert regex is not None
            rules.append(
                CompiledRule(
                    finding=item.id,
                    order=order,
                    regex=regex,
                    value=rule.value,
                    near=compile_phrases(rule.near, gap_groups=False),
                    unless=compile_phrases(rule.unless, gap_groups=False),
                    within=rule.within,
                    negated_only=rule.negated_only,
                    requires=rule.requires,
                    first_words=_first(rule.phrases, exact=True),
                    first_prefixes=_first(rule.phrases, exact=False) or frozenset(),
                )
            )
            for phrase in (*rule.phrases, *rule.near):
                words |= literal_words(phrase)
            for phrase in rule.phrases:
                for word in literal_words(phrase):
                    uses.setdefault(word, set()).add(item.id)
    triggers: list[CompiledTrigger] = []
    pseudo: list[str] = []
    trigger_words: set[str] = set()
    for crule in context.rules:
        for phrase in crule.phrases:
            trigger_words |= literal_words(phrase)
        if crule.category == "pseudo":
            pseudo.extend(crule.phrases)
            continue
        regex = compile_phrases(crule.phrases, gap_groups=False)
        assert regex is not None
        triggers.append(CompiledTrigger(crule.category, crule.direction, crule.max_words, regex))
    terminators = compile_phrases(context.terminators, gap_groups=False)
    anchors = compile_phrases(lexicon.anchors, gap_groups=False)
    assert terminators is not None and anchors is not None
    history = {fid: ("keep" if f.group == "health" else "drop") for fid, f in kb.findings.items()}
    history.update({item.id: item.history for item in lexicon.findings if item.history})
    # A typo is never corrected into a context word: a near miss must not create a denial.
    never = set(lexicon.fuzzy.never) | trigger_words
    return CompiledReader(
        rules=tuple(rules),
        triggers=tuple(triggers),
        pseudo=compile_phrases(pseudo, gap_groups=False),
        terminators=terminators,
        anchors=anchors,
        list_max=context.list_comma_max_words,
        serious_max=context.serious_max_words,
        numbers={n.id: n.reader for n in lexicon.numbers},
        history=history,
        serious=frozenset(fid for fid, f in kb.findings.items() if f.group == "serious"),
        implies=tuple((i.when, i.then, i.value) for i in lexicon.implies),
        vocabulary=frozenset(w for w in words if w not in never),
        known_words=frozenset(lexicon.fuzzy.known_words) | frozenset(words) | trigger_words,
        fuzzy_min_length=lexicon.fuzzy.min_length,
        meaning={w: frozenset(ids) for w, ids in uses.items()},
        long_standing=frozenset(lexicon.long_standing),
        not_cramp_frequency=compile_phrases(lexicon.not_cramp_frequency, gap_groups=False),
        clause_starts=frozenset(context.clause_starts),
        dating=frozenset(lexicon.dating),
    )


_CACHE: dict[str, CompiledReader] = {}
_LOCK = threading.Lock()


def compiled_for(kb: KnowledgeBase) -> CompiledReader:
    """The compiled reader for ``kb``, built on first use and kept (keyed by its version)."""
    found = _CACHE.get(kb.version)
    if found is not None:
        return found
    with _LOCK:
        if kb.version not in _CACHE:
            lexicon, context = load_reader_data(kb)
            _CACHE[kb.version] = _compile(lexicon, context, kb)
        return _CACHE[kb.version]


__all__ = ["CompiledReader", "CompiledRule", "CompiledTrigger", "compiled_for"]
