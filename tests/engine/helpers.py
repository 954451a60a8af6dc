"""Build cases that satisfy a knowledge-file condition, for rule-by-rule tests."""

from __future__ import annotations

from typing import Any

from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Condition


def satisfying_facts(cond: Condition, kb: KnowledgeBase) -> dict[str, Any]:
    """The smallest set of facts making the condition true (first branch of each 'any')."""
    if cond.all is not None:
        out: dict[str, Any] = {}
        for child in cond.all:
            out.update(satisfying_facts(child, kb))
        return out
    if cond.any is not None:
        return satisfying_facts(cond.any[0], kb)
    fid = cond.finding
    assert fid is not None
    if cond.is_ is not None:
        return {fid: cond.is_}
    if cond.one_of is not None:
        return {fid: cond.one_of[0]}
    if cond.gte is not None:
        return {fid: cond.gte}
    if cond.gt is not None:
        return {fid: cond.gt + 1}
    if cond.lte is not None:
        return {fid: cond.lte}
    assert cond.lt is not None
    return {fid: cond.lt - 1}


def case_dict(facts: dict[str, Any], age: float = 45, sex: str | None = "female") -> dict[str, Any]:
    facts = dict(facts)
    age = facts.pop("age", age)
    sex = facts.pop("sex", sex)
    out: dict[str, Any] = {"age": age, "findings": facts}
    if sex is not None:
        out["sex"] = sex
    return out
