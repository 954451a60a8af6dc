from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.cli import main


def run(args: list[str], stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_interactive_emergency_shows_the_level_first() -> None:
    code, out = run(["check"], stdin="74\n2\n1\n")
    assert code == 0
    result_part = out[out.index("=====") :]
    assert result_part.splitlines()[1] == "EMERGENCY: Call your emergency number now"
    assert "Question 2" not in out  # nothing more is asked in an emergency


def test_interactive_self_care_path_with_back_and_dont_know() -> None:
    # age, sex, then: no to every checklist, '?' for other questions; one 'b' to go back.
    answers = ["30", "1", "0", "b", "0", "0", "0"] + ["?"] * 40
    code, out = run(["check"], stdin="\n".join(answers) + "\n")
    assert code == 0
    assert out.count("First, a safety check.") == 2  # asked again after going back
    assert "Your answer before: none of these." in out  # going back shows what is changed
    # A "don't know" left warning signs unanswered, so the level is not worded as an all-clear.
    assert "SELF-CARE: Likely fine to look after at home, once you have checked the warning" in out
    assert "Warning signs you did not answer" in out


def test_interactive_rejects_bad_input_and_asks_again() -> None:
    answers = ["old", "200", "45", "x", "2", "9", "1 9", "?1 2"]
    code, out = run(["check"], stdin="\n".join(answers) + "\n" + "0\n" * 30)
    assert "Please type your age as a number" in out
    assert "Please type an age from 0 to 120" in out
    assert "Please type 1, 2 or 3" in out
    assert "'9' is not one of the numbers 1 to 7" in out
    # "?1 2": unsure about item 1, item 2 (sudden numbness) ticked -> emergency.
    assert "EMERGENCY: Call your emergency number now" in out
    assert code == 0


def test_interactive_ticks_lead_to_emergency() -> None:
    code, out = run(["check"], stdin="45\n2\n?1 2\n")
    assert code == 0 and "EMERGENCY" in out


def test_does_not_apply_is_offered_where_the_question_data_says() -> None:
    # age, sex, three screening checklists "none", then the current-cramp question: "n" means
    # no cramp now. The typical-cramp-length question (sixth) offers no "does not apply".
    answers = ["40", "", "0", "0", "0", "n", "0", "n"] + ["?"] * 40
    code, out = run(["check"], stdin="\n".join(answers) + "\n")
    assert code == 0
    assert out.count("n if it does not apply") == 1
    assert "Sorry, type a number of at least 0." in out
    assert "SELF-CARE" in out


def test_interview_cancelled_by_end_of_input() -> None:
    code, out = run(["check"], stdin="45\n")
    assert code == 2
    assert "interview cancelled" in out
    assert "Traceback" not in out


def test_case_file_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": 67, "findings": {"timing_walking": True, "smoker": True}}))
    code, out = run(["check", "--case", str(path)])
    assert code == 0 and out.splitlines()[1].startswith("SEE A DOCTOR")
    code, out = run(["check", "--case", str(path), "--json"])
    data = json.loads(out)
    assert data["triage"]["level"] == "doctor"
    assert data["causes"][0]["id"] == "peripheral_arterial_disease"


def test_case_file_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("age: 30\nsex: female\nfindings:\n  pregnant: true\n  timing_night: true\n")
    code, out = run(["check", "--case", str(path), "--json"])
    assert code == 0 and json.loads(out)["causes"][0]["id"] == "pregnancy"


BAD_CASES = [
    ("{not json", ["not valid JSON at line 1"]),
    ('{"findings": {}}', ["age: is required"]),
    ('{"age": 130, "findings": {}}', ["age: 130 is not allowed", "0 to 120"]),
    ('{"age": "forty", "findings": {}}', ["age: 'forty' is not allowed"]),
    (
        '{"age": 40, "sex": "man", "findings": {}}',
        ["sex: 'man' is not allowed", "female, male, other"],
    ),
    ('{"age": 40, "findings": {"site_knee": true}}', ["findings.site_knee: unknown finding id"]),
    (
        '{"age": 40, "findings": {"severity": 11}}',
        ["findings.severity: 11 is not allowed", "0 to 10"],
    ),
    ('{"age": 40, "findings": {"severity": 6.5}}', ["findings.severity: 6.5", "whole number"]),
    (
        '{"age": 40, "findings": {"site_calf": 1}}',
        ["findings.site_calf: 1 is not allowed", "true or false"],
    ),
    ('{"age": 40, "findings": {"episodes_per_week": -1}}', ["findings.episodes_per_week: -1"]),
    ('{"age": 40, "findings": {"episodes_per_week": true}}', ["findings.episodes_per_week: true"]),
    (
        '{"age": 40, "findings": {"side": "middle"}}',
        ['findings.side: "middle"', "'left', 'right', 'both'"],
    ),
    (
        '{"age": 40, "findings": {}, "name": "x"}',
        ["name: unknown key", "format, age, sex, findings"],
    ),
    ('{"format": "crampwise-case/2", "age": 40}', ["format: must be 'crampwise-case/1'"]),
    ("[1, 2]", ["a case must be an object"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD_CASES)
def test_bad_case_files_get_one_clear_message(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(text)
    code, out = run(["check", "--case", str(path)])
    assert code == 2
    assert "Traceback" not in out
    for fragment in expected:
        assert fragment in out


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text('{"age": -1, "findings": {"severity": 12, "nope": true}}')
    code, out = run(["check", "--case", str(path)])
    assert code == 2
    assert "age:" in out and "findings.severity" in out and "findings.nope" in out


def test_missing_case_file(tmp_path: Path) -> None:
    code, out = run(["check", "--case", str(tmp_path / "absent.json")])
    assert code == 2 and "no such file" in out


def test_simulate_reports_questions_for_a_case_and_a_vignette_file(
    tmp_path: Path, public_vignettes: Path
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": 66, "sex": "male", "findings": {"timing_night": True}}))
    code, out = run(["check", "--simulate", str(path), "--json"])
    data = json.loads(out)
    assert code == 0
    case = data["cases"][0]
    assert case["asked"][0] == "emergency_signs" and case["questions"] == len(case["asked"])
    assert case["same_triage"] is True
    code, out = run(["check", "--simulate", str(public_vignettes), "--json"])
    summary = json.loads(out)["summary"]
    assert summary["n"] == 30 and summary["same_triage"] == 30
    assert summary["median_questions"] <= 12


def test_case_and_simulate_together_is_a_usage_error(tmp_path: Path) -> None:
    code, out = run(["check", "--case", "a.json", "--simulate", "b.json"])
    assert code == 2 and "either --case or --simulate" in out


def test_short_result_and_full(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": 50, "findings": {}}))  # every warning sign unanswered
    code, short = run(["check", "--case", str(path)])
    assert code == 0
    lines = short.splitlines()
    # Said first, plainly: right under the level banner, before the causes.
    assert lines[3].startswith("! This is not an all-clear: you did not answer about ")
    assert "not an all-clear" in short
    assert short.index("not an all-clear") < short.index("What may be contributing")
    assert "[sources:" not in short and "\nSources:" not in short
    assert short.rstrip().endswith("--full.")
    # The unanswered signs, compact: one paragraph per level, by its words, never its id.
    signs = short[short.index("Warning signs you did not answer") :]
    assert "  Emergency: " in signs and "  See a doctor in the next week or two: " in signs
    assert "(emergency)" not in short and "self_care" not in short
    code, full = run(["check", "--case", str(path), "--full"])
    assert code == 0
    assert "[sources:" in full and "\nSources:\n" in full
    assert len(full.splitlines()) > len(lines)


def test_short_result_lists_only_the_care_advice_above_the_level(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": 67, "findings": {"calf_swollen_one_side": True}}))
    code, short = run(["check", "--case", str(path)])
    assert code == 0 and short.splitlines()[1].startswith("URGENT")
    care = short[short.index("When to seek care:") :]
    assert "Call an ambulance" in care
    assert "Book a doctor's appointment" not in care  # below "urgent": nothing to change
    code, full = run(["check", "--case", str(path), "--full"])
    assert "Book a doctor's appointment" in full[full.index("When to seek care:") :]
