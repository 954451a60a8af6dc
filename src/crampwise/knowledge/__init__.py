"""The knowledge base: clinical content held as data files, loaded through one validating loader."""

from crampwise.knowledge.loader import KnowledgeBase, load_knowledge
from crampwise.knowledge.schema import LEVEL_RANK, TRIAGE_ORDER, TriageLevel

__all__ = ["LEVEL_RANK", "TRIAGE_ORDER", "KnowledgeBase", "TriageLevel", "load_knowledge"]
