"""`crampwise eval FILE --from-text`: the usual report on cases read from each text, plus
findings precision and recall over (finding id, value) pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.evaluation.from_text import pair_counts, values_match

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "vignettes"
PUBLIC_FILES = [SHARED / "public.jsonl", SHARED / "public-more.jsonl"]
KEYS = {
    "n",
    "appropriate",
    "under_triage",
    "over_triage",
    "cause_at_1",
    "cause_at_3",
    "by_level",
    "confusion",
    "misses",
    "findings_precision",
    "findings_recall",
}


def line(vid: str, text: str | None, findings: dict[str, Any], triage: str = "self_care") -> str:
    row: dict[str, Any] = {
        "id": vid,
        "case": {"age": 50, "findings": findings},
        "expected": {"triage": triage, "causes": ["idiopathic_night_cramps"]},
    }
    if text is not None:
        row["text"] = text
    return json.dumps(row)


def run(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["eval", str(path), "--from-text", *extra])
    return result.exit_code, result.output


def test_tiny_file_with_known_precision_and_recall(tmp_path: Path) -> None:
    # Gold: 5 pairs. Read: site_calf, timing_night, side both (gold left: a miss) and
    # episodes_per_week 7 (gold 5: |7-5| = 2 > max(25% of 5, 1) = 1.25, a miss)
    # -> 2 of 4 read pairs right; 2 of 5 gold pairs found.
    path = tmp_path / "v.jsonl"
    path.write_text(
        line(
            "a",
            "Both calves cramp every night.",
            {
                "site_calf": True,
                "timing_night": True,
                "episodes_per_week": 5,
                "side": "left",
                "smoker": True,
            },
        )
        + "\n"
    )
    code, out = run(path, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert set(report) == KEYS
    assert report["findings_precision"] == pytest.approx(2 / 4)
    assert report["findings_recall"] == pytest.approx(2 / 5)


def test_numbers_within_the_tolerance_count(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(
        line(
            "a",
            "My calf cramps most nights.",
            {"site_calf": True, "timing_night": True, "episodes_per_week": 6},
        )
        + "\n"
        + line(
            "b",
            "I've had calf cramps for six months.",
            {"site_calf": True, "weeks_since_onset": 30},
        )
        + "\n"
    )
    report = json.loads(run(path, "--json")[1])
    assert report["findings_precision"] == 1.0
    assert report["findings_recall"] == 1.0


@pytest.mark.parametrize(
    ("gold", "read", "equal"),
    [
        (True, True, True),
        (True, False, False),
        (True, 1, False),
        ("left", "left", True),
        ("left", "both", False),
        (5, 6.2, True),
        (5, 6.3, False),
        (0, 1, True),
        (0.25, 1.2, True),
        (0.25, 1.3, False),
        (100, 126, False),
        (100, 124, True),
        (3, "3", False),
    ],
)
def test_value_rule(gold: Any, read: Any, equal: bool) -> None:
    assert values_match(gold, read) is equal


def test_pair_counts() -> None:
    assert pair_counts({"a": True, "b": 3}, {"a": True, "b": 9, "c": False}) == (1, 3, 2)
    assert pair_counts({}, {}) == (0, 0, 0)


def test_text_report_has_the_two_lines(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(line("a", "Calf cramps at night.", {"site_calf": True}) + "\n")
    code, out = run(path)
    assert code == 0
    assert "findings precision" in out and "findings recall" in out


def test_a_vignette_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(line("a", "Calf cramps.", {}) + "\n" + line("b", None, {}) + "\n")
    code, out = run(path)
    assert code == 2
    assert "line 2" in out and "text" in out
    path.write_text(
        json.dumps(
            {
                "id": "c",
                "text": 5,
                "case": {"age": 50},
                "expected": {"triage": "doctor", "causes": ["idiopathic_night_cramps"]},
            }
        )
        + "\n"
    )
    code, out = run(path)
    assert code == 2 and "text" in out


def test_without_from_text_the_keys_are_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(line("a", "Calf cramps.", {"site_calf": True}) + "\n")
    result = CliRunner().invoke(main, ["eval", str(path), "--json"])
    assert set(json.loads(result.output)) == KEYS - {"findings_precision", "findings_recall"}


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=lambda p: p.name)
def test_public_files_meet_the_targets(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    code, out = run(path, "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == KEYS
    assert report["findings_precision"] >= 0.90
    assert report["findings_recall"] >= 0.75
    assert report["appropriate"] >= 0.80
    assert report["by_level"]["emergency"]["under_triage"] == 0.0
    for value in (report["appropriate"], report["under_triage"], report["cause_at_3"]):
        assert 0.0 <= value <= 1.0


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=lambda p: p.name)
def test_public_files_keep_every_warning_sign_right(path: Path) -> None:
    """Never a denied warning sign read as present, never a present one read as denied."""
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    from crampwise.knowledge import load_knowledge
    from crampwise.text import read_text

    kb = load_knowledge()
    serious = {fid for fid, f in kb.findings.items() if f.group == "serious"}
    wrong = []
    for raw in path.read_text().splitlines():
        v = json.loads(raw)
        gold = v["case"]["findings"]
        read = read_text(v["text"], age=v["case"]["age"], sex=v["case"].get("sex"), kb=kb)
        for fid in serious & gold.keys() & read.case.findings.keys():
            if gold[fid] != read.case.findings[fid]:
                wrong.append((v["id"], fid, gold[fid], read.case.findings[fid]))
    assert wrong == []
