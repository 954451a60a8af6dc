"""Remedies as data: the packaged file loads, the schema refuses bad files, eligibility."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crampwise.case import Case
from crampwise.errors import KnowledgeError
from crampwise.experiments import eligible, load_remedies, load_remedy_file
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.loader import _data_dir


def test_packaged_remedies_load_with_sources_and_grades(kb: KnowledgeBase) -> None:
    remedies = load_remedies()
    assert {"calf_stretch_bedtime", "magnesium_supplement", "fluid_active_days"} <= set(remedies)
    for remedy in remedies.values():
        assert remedy.sources and all(s in kb.sources for s in remedy.sources)
        assert remedy.block_days >= remedy.washout_days + 2
        assert remedy.to_dict()["when_label"]


def test_quinine_is_excluded_never_a_remedy() -> None:
    file = load_remedy_file()
    assert "quinine" not in file.remedies
    assert "quinine" in file.excluded
    assert "serious" in file.excluded["quinine"].reason


def _write(tmp_path: Path, mutate: object) -> Path:
    raw = yaml.safe_load((_data_dir() / "remedies.yaml").read_text(encoding="utf-8"))
    assert callable(mutate)
    mutate(raw)
    path = tmp_path / "remedies.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "where", "message"),
    [
        (
            lambda r: r["remedies"][0].update(colour="red"),
            "remedies[calf_stretch_bedtime].colour",
            "Extra inputs",
        ),
        (
            lambda r: r["remedies"][0].update(sources=["NOPE"]),
            "remedies[calf_stretch_bedtime].sources",
            "unknown source 'NOPE'",
        ),
        (
            lambda r: r["remedies"][2]["not_for"][0].update(when="kidney_failure"),
            "remedies[magnesium_supplement].not_for[0].when",
            "unknown finding 'kidney_failure'",
        ),
        (
            lambda r: r["remedies"][0].update(block_days=3, washout_days=2),
            "remedies[calf_stretch_bedtime]",
            "at least 2 counted days",
        ),
        (
            lambda r: r["remedies"][0].update(when="whenever"),
            "remedies[calf_stretch_bedtime].when",
            "Input should be",
        ),
        (
            lambda r: r["remedies"].append(dict(r["remedies"][0])),
            "remedies[calf_stretch_bedtime]",
            "duplicate id",
        ),
    ],
)
def test_broken_remedies_file_names_item_and_field(
    tmp_path: Path, kb: KnowledgeBase, mutate: object, where: str, message: str
) -> None:
    with pytest.raises(KnowledgeError) as info:
        load_remedy_file(_write(tmp_path, mutate), kb)
    rendered = info.value.render()
    assert f"remedies.yaml: {where}" in rendered
    assert message in rendered


def test_magnesium_excluded_with_kidney_disease() -> None:
    magnesium = load_remedies()["magnesium_supplement"]
    reasons = eligible(magnesium, {"age": 70, "findings": {"kidney_disease": True}})
    assert len(reasons) == 1 and "kidney" in reasons[0]
    assert eligible(magnesium, {"age": 70, "findings": {"on_dialysis": True}})
    # An explicit "no", an unknown finding and no assessment at all leave it open.
    assert eligible(magnesium, {"age": 70, "findings": {"kidney_disease": False}}) == []
    assert eligible(magnesium, {"age": 70, "findings": {}}) == []
    assert eligible(magnesium, None) == []


def test_eligibility_reads_a_case_object_and_a_bare_findings_mapping() -> None:
    magnesium = load_remedies()["magnesium_supplement"]
    case = Case(age=64.0, sex="female", findings={"pregnant": True})
    assert any("midwife" in r for r in eligible(magnesium, case))
    assert eligible(magnesium, {"kidney_disease": True})
    # Stretching has no kidney rule.
    assert eligible(load_remedies()["calf_stretch_bedtime"], {"kidney_disease": True}) == []


def test_an_urgent_warning_sign_rules_out_every_remedy() -> None:
    case = {"age": 60, "findings": {"calf_swollen_one_side": True, "calf_warm_or_red": True}}
    for remedy in load_remedies().values():
        reasons = eligible(remedy, case)
        assert reasons and "warning sign" in reasons[-1]
    # A routine-review finding (level "doctor") does not block a self-test.
    assert eligible(load_remedies()["calf_stretch_bedtime"], {"age": 60, "findings": {}}) == []
