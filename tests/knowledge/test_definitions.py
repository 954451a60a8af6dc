"""Things defined once, in the knowledge data: cause ids, level words, "does not apply"."""

from __future__ import annotations

import os
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from crampwise.errors import KnowledgeError
from crampwise.knowledge import LEVEL_RANK, TRIAGE_ORDER, KnowledgeBase, load_knowledge
from tests.conftest import SHARED

CASE_FORMAT = SHARED / "case-format.md"
DATA = Path(str(resources.files("crampwise.knowledge") / "data"))


def _case_format_cause_ids() -> set[str]:
    if not CASE_FORMAT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the case format is missing at {CASE_FORMAT}")
        pytest.skip(f"shared/ is not beside the checkout ({CASE_FORMAT} missing)")
    text = CASE_FORMAT.read_text(encoding="utf-8")
    section = text.split("## Cause ids", 1)[1].split("\n## ", 1)[0]
    # The list itself is the paragraph that starts with an id, after the introduction.
    paragraph = next(p for p in section.split("\n\n") if p.lstrip().startswith("`"))
    return set(re.findall(r"`([a-z_]+)`", paragraph))


def test_the_cause_ids_are_exactly_those_of_the_case_format(kb: KnowledgeBase) -> None:
    expected = _case_format_cause_ids()
    assert len(expected) == 28
    assert set(kb.cause_ids) == expected
    assert kb.cause_ids == tuple(c.id for c in kb.causes)


def test_level_order_and_rank_come_from_one_tuple(kb: KnowledgeBase) -> None:
    assert TRIAGE_ORDER == ("self_care", "doctor", "urgent", "emergency")
    assert [LEVEL_RANK[level] for level in TRIAGE_ORDER] == [0, 1, 2, 3]
    assert set(kb.levels) == set(TRIAGE_ORDER)


def test_every_level_has_its_words(kb: KnowledgeBase) -> None:
    words = {level: (info.name, info.label) for level, info in kb.levels.items()}
    assert words == {
        "emergency": ("Emergency", "Emergency"),
        "urgent": ("Urgent", "Urgent: see a doctor today"),
        "doctor": ("See a doctor", "See a doctor in the next week or two"),
        "self_care": ("Self-care", "Self-care: look after it at home"),
    }


def _load_changed(tmp_path: Path, filename: str, change: object) -> KnowledgeBase:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    path = target / filename
    data = yaml.safe_load(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_knowledge(target)


def test_does_not_apply_is_for_number_questions_only(tmp_path: Path) -> None:
    def offer_on_yes_no(data: dict) -> None:  # type: ignore[type-arg]
        q = next(q for q in data["questions"] if q["kind"] == "yes_no")
        q["not_applicable"] = True

    with pytest.raises(KnowledgeError) as info:
        _load_changed(tmp_path, "questions.yaml", offer_on_yes_no)
    assert "only a number question may offer 'not_applicable'" in info.value.render()


def test_a_level_without_its_label_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as info:
        _load_changed(tmp_path, "triage_rules.yaml", lambda d: d["levels"][1].pop("label"))
    rendered = info.value.render()
    assert "triage_rules.yaml: levels[1].label" in rendered


def test_a_new_cause_is_one_data_change(tmp_path: Path, kb: KnowledgeBase) -> None:
    def add_cause(data: dict) -> None:  # type: ignore[type-arg]
        data["causes"].append({**data["causes"][0], "id": "restless_legs"})

    changed = _load_changed(tmp_path, "causes.yaml", add_cause)
    assert changed.cause_ids == (*kb.cause_ids, "restless_legs")


def test_compiled_knowledge_lives_with_its_knowledge_base(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    assert kb.compiled is kb.compiled  # built once
    assert kb.compiled.kb is kb
    other = _load_changed(tmp_path, "causes.yaml", lambda d: None)
    assert other.compiled is not kb.compiled and other.compiled.kb is other
