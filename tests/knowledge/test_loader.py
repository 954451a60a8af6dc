from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from crampwise.errors import KnowledgeError
from crampwise.knowledge import KnowledgeBase, load_knowledge

DATA = Path(str(resources.files("crampwise.knowledge") / "data"))


def test_packaged_knowledge_draws_on_guidelines_and_reviews(kb: KnowledgeBase) -> None:
    assert {s.kind for s in kb.sources.values()} >= {"seed", "guideline", "systematic_review"}


def _broken_copy(tmp_path: Path, filename: str, mutate: object) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    path = target / filename
    data = yaml.safe_load(path.read_text())
    mutate(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


def _cause(data: dict, cid: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in data["causes"] if c["id"] == cid)


def _rule(data: dict, rid: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in data["rules"] if r["id"] == rid)


def _level(data: dict, level: str) -> dict:  # type: ignore[type-arg]
    return next(info for info in data["levels"] if info["level"] == level)


BROKEN = [
    (
        "triage_rules.yaml",
        lambda d: _level(d, "doctor").update(unanswered_headline="Probably a routine visit"),
        ["levels[doctor].unanswered_headline", "needs an unanswered_action too"],
    ),
    (
        "causes.yaml",
        lambda d: _cause(d, "footwear")["evidence"][0].update(weight="heavy"),
        ["causes.yaml", "causes[footwear].evidence[0].weight"],
    ),
    (
        "causes.yaml",
        lambda d: _cause(d, "footwear").update(colour="red"),
        ["causes.yaml", "causes[footwear].colour", "Extra inputs"],
    ),
    (
        "causes.yaml",
        lambda d: _cause(d, "footwear")["evidence"][0].update(when="shoes_tight"),
        ["causes[footwear].evidence[0].when.finding", "unknown finding 'shoes_tight'"],
    ),
    (
        "causes.yaml",
        lambda d: _cause(d, "footwear").update(sources=["R999"]),
        ["causes[footwear].sources", "unknown source 'R999'"],
    ),
    (
        "causes.yaml",
        lambda d: _cause(d, "footwear").update(sources=[]),
        ["causes[footwear].sources"],
    ),
    (
        "causes.yaml",
        lambda d: d["causes"].remove(_cause(d, "tetanus")),
        ["rules[tetanus_prone_wound].suspects", "unknown cause 'tetanus'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "limb_pale_or_cold").update(
            when={"finding": "foot_pale_or_cold", "is": False}
        ),
        ["rules[limb_pale_or_cold].when", "may not fire on 'is: false'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: d["rules"].remove(_rule(d, "stroke_signs")),
        ["no rule covers the serious sign 'stroke_signs'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "frequent_cramps").update(
            when={"finding": "episodes_per_week", "is": True}
        ),
        ["rules[frequent_cramps].when", "is a number"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "getting_worse").update(when={"finding": "trend", "is": "awful"}),
        ["rules[getting_worse].when", "'awful' is not a choice of 'trend'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "heavy_drinking").update(level="soon"),
        ["rules[heavy_drinking].level"],
    ),
    (
        "advice.yaml",
        lambda d: d["advice"][0].update(causes=["gout"]),
        ["advice[emergency_wait_safely].causes", "unknown cause 'gout'"],
    ),
    (
        "questions.yaml",
        lambda d: d["questions"].pop(),
        ["no question asks 'pregnancy_weeks'"],
    ),
    # Every item cites a known source with a defined grade.
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "stroke_signs").update(sources=["R999"]),
        ["rules[stroke_signs].sources", "unknown source 'R999'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: d["levels"][2].update(sources=["R998"]),
        ["levels[doctor].sources", "unknown source 'R998'"],
    ),
    (
        "advice.yaml",
        lambda d: d["advice"][1].update(sources=["R997"]),
        ["advice[urgent_protect_leg].sources", "unknown source 'R997'"],
    ),
    (
        "causes.yaml",
        lambda d: _cause(d, "footwear").update(grade="E"),
        ["causes[footwear].grade"],
    ),
    (
        "triage_rules.yaml",
        lambda d: d["levels"].pop(2),
        ["missing the level 'doctor'"],
    ),
    # `if_unknown` and `unless` may never let a "no" to a warning sign, or an explanation,
    # set aside a warning sign.
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "one_sided_calf_swelling").update(
            when={"finding": "calf_swollen_one_side", "is": True, "if_unknown": True}
        ),
        ["rules[one_sided_calf_swelling].when", "'if_unknown' may not test the warning sign"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "one_sided_calf_swelling").update(unless="new_or_tight_shoes"),
        ["rules[one_sided_calf_swelling].unless", "only a 'doctor' rule may have an 'unless'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "numbness_or_burning_feet").update(unless="new_or_tight_shoes"),
        ["rules[numbness_or_burning_feet].when", "may not read 'numb_or_burning_feet'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "frequent_cramps").update(unless="calf_warm_or_red"),
        ["rules[frequent_cramps].unless", "may not read 'calf_warm_or_red'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "frequent_cramps").update(
            unless={"finding": "new_or_tight_shoes", "is": True, "if_unknown": True}
        ),
        ["rules[frequent_cramps].unless", "an explanation must be reported"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "frequent_cramps").update(unless={"finding": "flat_feet", "is": False}),
        ["rules[frequent_cramps].unless", "an explanation must be reported"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "heavy_drinking").update(
            when={"finding": "flat_feet", "is": True, "if_unknown": True}
        ),
        ["'flat_feet' is read by an 'unless' and with 'if_unknown'"],
    ),
    (
        "triage_rules.yaml",
        lambda d: _rule(d, "heavy_drinking").update(
            when={"any": ["heavy_alcohol"], "if_unknown": True}
        ),
        ["rules[heavy_drinking].when", "if_unknown go with 'finding'"],
    ),
    # Every finding is asked by exactly one question.
    (
        "questions.yaml",
        lambda d: d["questions"].append({**d["questions"][-1], "id": "pregnancy_weeks_again"}),
        ["questions[pregnancy_weeks_again]", "'pregnancy_weeks' is asked by two questions"],
    ),
]


@pytest.mark.parametrize(("filename", "mutate", "expected"), BROKEN)
def test_broken_knowledge_names_file_item_and_field(
    tmp_path: Path, filename: str, mutate: object, expected: list[str]
) -> None:
    directory = _broken_copy(tmp_path, filename, mutate)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(directory)
    rendered = info.value.render()
    for fragment in expected:
        assert fragment in rendered


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    (target / "advice.yaml").write_text("advice: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"advice\.yaml: is not valid YAML"):
        load_knowledge(target)


def test_knowledge_version_changes_with_content(tmp_path: Path, kb: KnowledgeBase) -> None:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    assert load_knowledge(target).version == kb.version
    path = target / "advice.yaml"
    path.write_text(path.read_text().replace("general guidance", "general advice"))
    assert load_knowledge(target).version != kb.version
