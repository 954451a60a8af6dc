from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.cli import main

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
}


def run_eval(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["eval", str(path), *extra])
    return result.exit_code, result.output


def test_public_vignettes_meet_the_thresholds(public_vignettes: Path) -> None:
    code, out = run_eval(public_vignettes, "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == KEYS
    assert report["appropriate"] >= 0.90
    assert report["cause_at_3"] >= 0.90
    for level in ("emergency", "urgent"):
        assert report["by_level"][level]["under_triage"] == 0.0
    for miss in report["misses"]:
        assert set(miss) == {"id", "gold", "given", "expected_causes", "top_causes"}


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_metrics_are_computed_exactly(tmp_path: Path) -> None:
    pale = {"age": 70, "findings": {"foot_pale_or_cold": True}}
    night = {"age": 70, "findings": {"timing_night": True}}
    path = _write(
        tmp_path,
        [
            {
                "id": "a",
                "case": pale,
                "expected": {"triage": "emergency", "causes": ["acute_limb_ischaemia"]},
            },
            {"id": "b", "case": night, "expected": {"triage": "urgent", "causes": ["tetanus"]}},
            {
                "id": "c",
                "case": pale,
                "expected": {"triage": "doctor", "causes": ["idiopathic_night_cramps"]},
            },
            {
                "id": "d",
                "case": night,
                "expected": {"triage": "self_care", "causes": ["idiopathic_night_cramps"]},
            },
        ],
    )
    code, out = run_eval(path, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["n"] == 4
    assert report["appropriate"] == 0.5
    assert report["under_triage"] == 0.25 and report["over_triage"] == 0.25
    # c: a 70-year-old, so ordinary night cramps still rank in the top three.
    assert report["cause_at_1"] == 0.5 and report["cause_at_3"] == 0.75
    assert report["by_level"]["urgent"] == {
        "n": 1,
        "appropriate": 0.0,
        "under_triage": 1.0,
        "over_triage": 0.0,
    }
    assert report["confusion"]["doctor"]["emergency"] == 1
    assert [m["id"] for m in report["misses"]] == ["b", "c"]
    code, text = run_eval(path)
    assert "under-triage        25.0%" in text and "b: gold urgent → given self_care" in text


def _line(case: dict[str, object], expected: dict[str, object]) -> str:
    return json.dumps({"id": "a", "case": case, "expected": expected}) + "\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"id": "a"\n', "line 1 is not valid JSON"),
        ('{"id": "a", "case": {"age": 5, "findings": {}}}\n', "line 1: expected"),
        (_line({"age": 5}, {"triage": "soon", "causes": ["alcohol"]}), "expected.triage"),
        (
            _line({"age": 5}, {"triage": "doctor", "causes": ["gout"]}),
            "'gout' is not a case-format cause id",
        ),
        (
            _line({"age": 5, "findings": {"x": 1}}, {"triage": "doctor", "causes": ["alcohol"]}),
            "line 1: case.findings.x",
        ),
        ("\n\n", "contains no vignettes"),
    ],
)
def test_malformed_vignette_files_exit_2_naming_the_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    code, out = run_eval(path)
    assert code == 2
    assert expected in out
    assert "Traceback" not in out


SHARED_VIGNETTES = Path(__file__).resolve().parents[2].parent / "shared" / "vignettes"


@pytest.mark.parametrize("name", ["public.jsonl", "public-more.jsonl"])
def test_both_public_files_meet_the_issue_9_targets(name: str) -> None:
    path = SHARED_VIGNETTES / name
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    code, out = run_eval(path, "--json")
    report = json.loads(out)
    assert code == 0 and set(report) == KEYS
    assert report["appropriate"] >= 0.95
    assert report["by_level"]["self_care"]["appropriate"] >= 0.90
    for level in ("emergency", "urgent"):
        assert report["by_level"][level]["under_triage"] == 0.0
    assert report["cause_at_1"] >= 0.90 and report["cause_at_3"] >= 0.97


def test_simulate_adds_interview_lengths_by_gold_level(tmp_path: Path) -> None:
    pale = {"age": 70, "findings": {"foot_pale_or_cold": True}}
    night = {"age": 70, "findings": {"timing_night": True, "relieved_by_stretching": True}}
    path = _write(
        tmp_path,
        [
            {
                "id": "a",
                "case": pale,
                "expected": {"triage": "emergency", "causes": ["acute_limb_ischaemia"]},
            },
            {
                "id": "b",
                "case": night,
                "expected": {"triage": "self_care", "causes": ["idiopathic_night_cramps"]},
            },
        ],
    )
    code, plain = run_eval(path, "--json")
    code_sim, out = run_eval(path, "--json", "--simulate")
    assert code == code_sim == 0
    report = json.loads(out)
    interview = report.pop("interview")
    assert report == json.loads(plain)  # the eval contract is untouched
    assert interview["n"] == 2 and interview["different_triage"] == 0
    assert interview["by_level"]["emergency"] == {
        "n": 1,
        "median_questions": 1,
        "max_questions": 1,
        "different_triage": 0,
    }
    self_care = interview["by_level"]["self_care"]
    assert self_care["n"] == 1 and self_care["max_questions"] > 1
    assert interview["max_questions"] == self_care["max_questions"]
    assert interview["different"] == []
    code, text = run_eval(path, "--simulate")
    assert code == 0
    assert "interview (--simulate" in text
    assert "  emergency              1       1    1  0" in text


@pytest.mark.parametrize("name", ["public.jsonl", "public-more.jsonl"])
def test_the_interview_is_short_and_ends_at_the_full_case_triage(name: str) -> None:
    path = SHARED_VIGNETTES / name
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    code, out = run_eval(path, "--json", "--simulate")
    interview = json.loads(out)["interview"]
    assert code == 0
    assert interview["different_triage"] == 0 and interview["different"] == []
    assert interview["median_questions"] <= 10
    assert interview["by_level"]["self_care"]["median_questions"] <= 12
