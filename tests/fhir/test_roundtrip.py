"""Properties, on SQLite and PostgreSQL: a FHIR export imported into a fresh diary gives back
every record, the next export is the same bundle (bar its timestamp), and importing the same
bundle again changes nothing. Saved checks are real ones (the engine on generated cases) and
arbitrary JSON ones (which travel as crampwise JSON in extensions)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.diary.store import DiaryStore
from crampwise.diary.transfer import parse_import_text, write_plan
from crampwise.fhir import write_bundle
from crampwise.knowledge import load_knowledge
from tests.diary.test_roundtrip import (
    PROPERTY,
    Fresh,
    assessments,
    days,
    episodes,
    fresh,  # noqa: F401  (fixture)
    without_ids,
)
from tests.fhir.conftest import saved_check

_KB = load_knowledge()
_BOOL_FINDINGS = sorted(f.id for f in _KB.findings.values() if f.type == "bool")


@st.composite
def real_checks(draw: st.DrawFn) -> SavedAssessment:
    """A check the engine really made, from a generated case."""
    findings: dict[str, Any] = {
        f: draw(st.booleans()) for f in draw(st.lists(st.sampled_from(_BOOL_FINDINGS), max_size=8))
    }
    if draw(st.booleans()):
        findings["severity"] = draw(st.integers(0, 10))
    if draw(st.booleans()):
        findings["side"] = draw(st.sampled_from(["left", "right", "both"]))
    case: dict[str, Any] = {
        "age": draw(st.integers(18, 95) | st.floats(18, 95)),
        "findings": findings,
    }
    if draw(st.booleans()):
        case["sex"] = draw(st.sampled_from(["female", "male", "other"]))
    at = draw(st.datetimes(datetime(2020, 1, 1), datetime(2025, 12, 31)))
    return saved_check(_KB, case, at)


checks = st.lists(real_checks(), max_size=2).flatmap(
    lambda real: assessments.map(lambda odd: real + odd)
)


def fhir_export(store: DiaryStore) -> str:
    out = io.StringIO()
    write_bundle(store, out)
    return out.getvalue()


def _no_timestamp(text: str) -> dict[str, Any]:
    bundle: dict[str, Any] = json.loads(text)
    del bundle["timestamp"]
    return bundle


@pytest.mark.slow
@PROPERTY
@given(eps=st.lists(episodes, max_size=6), ds=days, saved=checks)
def test_fhir_round_trip_is_lossless(
    fresh: Fresh,  # noqa: F811
    eps: list[Episode],
    ds: list[DayFactors],
    saved: list[SavedAssessment],
) -> None:
    with fresh() as source:
        source.add_episodes(eps)
        source.set_days(ds)
        source.add_assessments(saved)
        exported = fhir_export(source)
    with fresh() as target:
        first = write_plan(target, parse_import_text(exported), 3, allow_far_before=True)
        assert without_ids(target.list_episodes()) == sorted(eps, key=lambda e: e.started_at)
        assert target.list_days() == sorted(ds, key=lambda d: d.day)
        got = without_ids(target.list_assessments())
        assert got == sorted(saved, key=lambda a: a.created_at)
        once = fhir_export(target)
        again = write_plan(target, parse_import_text(exported), 3, allow_far_before=True)
        assert _no_timestamp(fhir_export(target)) == _no_timestamp(once)
    # export -> import -> export: the same bundle (entries are named by position, not ids)
    assert _no_timestamp(once) == _no_timestamp(exported)
    assert (first.episodes, first.days, first.assessments) == (len(eps), len(ds), len(saved))
    assert (again.episodes, again.days, again.assessments) == (0, 0, 0)
