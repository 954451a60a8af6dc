"""Compile knowledge-file conditions into fast tri-state tests.

A test returns True, False, or None when the answer depends on findings that are unknown.
``all`` and ``any`` follow Kleene logic, so an unknown finding is never read as a 'no'. A leaf
with ``if_unknown: true`` holds while its finding is unknown: only an explicit answer that says
otherwise makes it fail.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from crampwise.knowledge.schema import Condition

Facts = Mapping[str, Any]
Test = Callable[[Facts], bool | None]

_COMPARE = (("gte", operator.ge), ("gt", operator.gt), ("lte", operator.le), ("lt", operator.lt))


def bare_yes(cond: Condition) -> str | None:
    """The finding id if the condition is just "this finding is yes", else None."""
    if cond.finding is not None and cond.is_ is True and cond.if_unknown is None:
        return cond.finding
    return None


def compile_rule(when: Condition, unless: Condition | None) -> Test:
    """A rule's test: ``when`` holds and ``unless`` (a benign explanation) is not known to."""
    test = compile_condition(when)
    if unless is None:
        return test
    explained = compile_condition(unless)

    def rule(facts: Facts) -> bool | None:
        value = test(facts)
        if value is not False and explained(facts) is True:
            return False
        return value

    return rule


def compile_condition(cond: Condition) -> Test:
    test = _compile(cond)
    if cond.finding is None or not cond.if_unknown:
        return test
    fid = cond.finding

    def unless_answered_otherwise(facts: Facts) -> bool | None:
        return True if facts.get(fid) is None else test(facts)

    return unless_answered_otherwise


def _compile(cond: Condition) -> Test:
    if cond.all is not None or cond.any is not None:
        children = cond.all if cond.all is not None else cond.any
        assert children is not None
        bare = [bare_yes(c) for c in children]
        if all(fid is not None for fid in bare):
            # The common case, a group of plain findings: one loop, no call per finding.
            fids = tuple(fid for fid in bare if fid is not None)
            return _all_yes(fids) if cond.all is not None else _any_yes(fids)
        tests = tuple(compile_condition(c) for c in children)
        return _all(tests) if cond.all is not None else _any(tests)
    fid = cond.finding
    assert fid is not None
    if cond.is_ is True:
        return lambda facts: facts.get(fid)
    if cond.is_ is False:

        def is_false(facts: Facts) -> bool | None:
            value = facts.get(fid)
            return None if value is None else not value

        return is_false
    if cond.is_ is not None or cond.one_of is not None:
        allowed = frozenset(cond.one_of or (cond.is_,))

        def is_one_of(facts: Facts) -> bool | None:
            value = facts.get(fid)
            return None if value is None else value in allowed

        return is_one_of
    for name, op in _COMPARE:
        threshold = getattr(cond, name)
        if threshold is not None:
            return _compare(fid, op, threshold)
    raise AssertionError("the schema guarantees one test per finding condition")


def _compare(fid: str, op: Callable[[Any, Any], bool], threshold: float) -> Test:
    def compare(facts: Facts) -> bool | None:
        value = facts.get(fid)
        return None if value is None else op(value, threshold)

    return compare


def _all_yes(fids: tuple[str, ...]) -> Test:
    def all_yes(facts: Facts) -> bool | None:
        result: bool | None = True
        for fid in fids:
            value = facts.get(fid)
            if value is None:
                result = None
            elif not value:
                return False
        return result

    return all_yes


def _any_yes(fids: tuple[str, ...]) -> Test:
    def any_yes(facts: Facts) -> bool | None:
        result: bool | None = False
        for fid in fids:
            value = facts.get(fid)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    return any_yes


def _all(tests: tuple[Test, ...]) -> Test:
    def all_of(facts: Facts) -> bool | None:
        result: bool | None = True
        for test in tests:
            value = test(facts)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    return all_of


def _any(tests: tuple[Test, ...]) -> Test:
    def any_of(facts: Facts) -> bool | None:
        result: bool | None = False
        for test in tests:
            value = test(facts)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    return any_of


def thresholds(cond: Condition, into: dict[str, set[float]]) -> None:
    """Collect the numbers each numeric finding is compared with (the interview probes them)."""
    if cond.finding is not None:
        for name, _ in _COMPARE:
            value = getattr(cond, name)
            if value is not None:
                into.setdefault(cond.finding, set()).add(value)
        return
    for child in cond.all or cond.any or ():
        thresholds(child, into)
