"""`crampwise understand "TEXT" --age N [--sex S] [--json]`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from crampwise.case import parse_case
from crampwise.cli import main
from crampwise.knowledge import KnowledgeBase

TEXT = "My left calf cramps most nights and wakes me up. No swelling. I smoke."


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["understand", *args])
    return result.exit_code, result.output


def test_json_is_exactly_case_and_evidence(kb: KnowledgeBase) -> None:
    code, out = run(TEXT, "--age", "58", "--sex", "female", "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert set(payload) == {"case", "evidence"}
    case = parse_case(payload["case"], kb)  # a valid crampwise-case/1 case
    assert payload["case"]["format"] == "crampwise-case/1"
    assert case.age == 58 and case.sex == "female"
    assert case.findings["site_calf"] is True
    assert case.findings["side"] == "left"
    assert case.findings["calf_swollen_one_side"] is False
    assert case.findings["episodes_per_week"] == 5
    assert set(payload["evidence"]) == set(case.findings)
    for fid, spans in payload["evidence"].items():
        assert spans and all(isinstance(s, str) and s in TEXT for s in spans), fid
    assert payload["evidence"]["calf_swollen_one_side"] == ["swelling"]


def test_readable_list_shows_the_words() -> None:
    code, out = run(TEXT, "--age", "58")
    assert code == 0
    assert "cramps in the calf: yes" in out
    assert 'from "swelling"' in out
    assert "unknown, not 'no'" in out


def test_nothing_understood_says_so() -> None:
    code, out = run("hello there", "--age", "30")
    assert code == 0
    assert "Nothing was understood" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["  ", "--age", "40"], "text: is empty: describe your cramps"),
        (["x" * 5001, "--age", "40"], "at most 5000 (a few sentences"),
        (["bell\x07", "--age", "40"], "no other control character"),
        (["calf cramps", "--age", "150"], "age"),
        (["calf cramps", "--age", "-1"], "age"),
    ],
)
def test_bad_input_is_a_clear_error(args: list[str], needle: str) -> None:
    result = CliRunner().invoke(main, ["understand", *args])
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_missing_age_and_bad_sex_are_usage_errors() -> None:
    assert run("calf cramps")[0] == 2
    assert run("calf cramps", "--age", "40", "--sex", "robot")[0] == 2


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["log", "--help"]])
def test_help_and_log_do_not_load_the_reader(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from crampwise.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('LOADED=' + ','.join(m for m in ('crampwise.text', 'rapidfuzz') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "LOADED="


@pytest.mark.slow
def test_reading_plain_words_does_not_import_rapidfuzz() -> None:
    code = (
        "import sys\n"
        "from crampwise.knowledge import load_knowledge\n"
        "from crampwise.text import read_text\n"
        "read_text('calf cramps at night', age=50, kb=load_knowledge())\n"
        "print('RF=' + str('rapidfuzz' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "RF=False"
