"""Free text to findings: a person's own words read into a crampwise-case/1 case.

Pure: no I/O and no network at read time. The lexicon (knowledge/data/lexicon.yaml) and the
context rules (knowledge/data/context_rules.yaml) are loaded and compiled once per knowledge
base; ``read_text`` is deterministic for the same text, age, sex and knowledge base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crampwise.case.model import Case

if TYPE_CHECKING:
    from crampwise.knowledge import KnowledgeBase


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the text a finding was read from: ``text[start:end] == words``."""

    start: int
    end: int
    words: str


@dataclass(frozen=True, slots=True)
class TextReading:
    """What was read: the case (only findings the text settles) and, per finding id, the
    spans of text each finding came from."""

    case: Case
    spans: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)

    @property
    def evidence(self) -> dict[str, list[str]]:
        """``{"finding_id": ["span", …]}``: the JSON contract of ``understand --json``."""
        return {fid: [s.words for s in spans] for fid, spans in self.spans.items()}


def read_text(text: str, *, age: float, sex: str | None = None, kb: KnowledgeBase) -> TextReading:
    """Read ``text`` into a case for a person of ``age`` and ``sex``.

    A finding the text does not settle stays unknown (absent from the case). Raises
    InvalidInputError for an age or sex the case format does not allow.
    """
    from crampwise.text.reader import read

    case, offsets = read(text, age, sex, kb)
    spans = {
        fid: tuple(Span(s, e, text[s:e]) for s, e in sorted(set(pairs)))
        for fid, pairs in offsets.items()
        if fid in case.findings
    }
    return TextReading(case=case, spans=spans)


__all__ = ["Span", "TextReading", "read_text"]
