"""The knowledge base: clinical content held as data files, loaded through one validating loader."""

from crampwise.knowledge.loader import CANONICAL_CAUSES, KnowledgeBase, load_knowledge
from crampwise.knowledge.schema import TRIAGE_ORDER, TriageLevel

__all__ = ["CANONICAL_CAUSES", "TRIAGE_ORDER", "KnowledgeBase", "TriageLevel", "load_knowledge"]
