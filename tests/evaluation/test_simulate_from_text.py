"""`crampwise check --simulate FILE --from-text`: the interview pre-filled from each text."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.case import parse_case
from crampwise.cli import main
from crampwise.evaluation.simulation import simulate_from, simulation_rows, text_simulation_rows
from crampwise.knowledge import KnowledgeBase
from tests.web.understand_fake import fake_reader  # noqa: F401  (a fixture)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "vignettes"
PUBLIC_FILES = [SHARED / "public.jsonl", SHARED / "public-more.jsonl"]


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def vignette(vid: str, text: str, findings: dict[str, Any], age: int = 50) -> dict[str, Any]:
    return {
        "id": vid,
        "text": text,
        "case": {"format": "crampwise-case/1", "age": age, "findings": findings},
        "expected": {"triage": "self_care", "causes": ["idiopathic_night_cramps"]},
    }


NIGHT = vignette(
    "n1",
    "Cramps in my calf at night, no swelling, twice a week, for a month.",
    {
        "site_calf": True,
        "timing_night": True,
        "calf_swollen_one_side": False,
        "episodes_per_week": 2,
        "weeks_since_onset": 4,
        "relieved_by_stretching": True,
    },
)


def write(tmp_path: Path, *vignettes: dict[str, Any]) -> Path:
    path = tmp_path / "v.jsonl"
    path.write_text("".join(json.dumps(v) + "\n" for v in vignettes))
    return path


def simulate_json(path: Path, *extra: str) -> dict[str, Any]:
    code, out = run(["check", "--simulate", str(path), "--json", *extra])
    assert code == 0, out
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.mark.usefixtures("fake_reader")
def test_the_text_shortens_the_interview_in_the_same_shape(tmp_path: Path) -> None:
    path = write(tmp_path, NIGHT)
    plain, text = simulate_json(path), simulate_json(path, "--from-text")
    assert set(text) == set(plain) == {"summary", "cases"}
    assert set(text["summary"]) == set(plain["summary"])
    assert set(text["cases"][0]) == set(plain["cases"][0])
    (row,) = text["cases"]
    assert row["asked"][0] == "warning_signs_open"  # the open warning signs first, as one
    assert not {"how_often", "since_when"} & set(row["asked"])
    assert row["questions"] == len(row["asked"]) < plain["cases"][0]["questions"]
    assert row["same_triage"] is True


def test_a_finding_read_from_the_text_is_kept_as_read(kb: KnowledgeBase) -> None:
    # The text said "no night cramps" but the case says yes: the simulated person leaves the
    # reading as shown, so a misreading shows in the triage rather than being hidden.
    case = parse_case(NIGHT["case"], kb)
    asked, state = simulate_from(case, {"timing_night": False}, kb)
    assert state.findings()["timing_night"] is False
    assert state.findings()["site_calf"] is True  # the rest answered from the case
    assert "warning_signs_open" in asked


def test_with_nothing_read_it_is_the_plain_interview(kb: KnowledgeBase) -> None:
    case = parse_case(NIGHT["case"], kb)
    asked, state = simulate_from(case, {}, kb)
    plain = simulation_rows([("n1", case)], kb)[0]
    assert asked == plain["asked"]


@pytest.mark.usefixtures("fake_reader")
def test_text_output_names_each_case(tmp_path: Path) -> None:
    code, out = run(["check", "--simulate", str(write(tmp_path, NIGHT)), "--from-text"])
    assert code == 0, out
    assert out.startswith("n1: ") and "same triage as the full case in 1/1" in out


def test_a_vignette_without_text_is_named(tmp_path: Path) -> None:
    no_text = {k: v for k, v in NIGHT.items() if k != "text"}
    blank = {**NIGHT, "id": "n2", "text": "  "}
    code, out = run(["check", "--simulate", str(write(tmp_path, no_text, blank)), "--from-text"])
    assert code == 2
    assert "line 1" in out and "line 2" in out and "text" in out


@pytest.mark.parametrize("name", ["case.json", "case.yaml"])
def test_from_text_needs_a_vignette_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(NIGHT["case"]))
    code, out = run(["check", "--simulate", str(path), "--from-text"])
    assert code == 2 and ".jsonl" in out


def test_a_malformed_file_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n")
    code, out = run(["check", "--simulate", str(path), "--from-text"])
    assert code == 2 and "line 1" in out


@pytest.mark.slow
def test_any_reader_keeps_the_contract_on_the_public_file(
    kb: KnowledgeBase, public_vignettes: Path
) -> None:
    result = simulate_json(public_vignettes, "--from-text")
    plain = simulate_json(public_vignettes)
    assert [r["id"] for r in result["cases"]] == [r["id"] for r in plain["cases"]]
    assert result["summary"]["n"] == 30
    for row, base in zip(result["cases"], plain["cases"], strict=True):
        assert row["triage_full_case"] == base["triage_full_case"]
        assert len(set(row["asked"])) == len(row["asked"])  # no question asked twice


def _rows(kb: KnowledgeBase, path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The interview with and without text on every vignette of ``path``."""
    if not path.exists():
        pytest.skip(f"{path} is missing")
    from crampwise.evaluation.simulation import vignette_texts
    from crampwise.evaluation.vignettes import load_vignettes

    cases = vignette_texts(path, load_vignettes(path, kb))
    plain = simulation_rows([(vid, case) for vid, case, _ in cases], kb)
    return text_simulation_rows(cases, kb), plain


@pytest.mark.slow
@pytest.mark.parametrize("path", PUBLIC_FILES, ids=lambda p: p.name)
def test_target_text_then_interview_keeps_every_triage(kb: KnowledgeBase, path: Path) -> None:
    rows, _ = _rows(kb, path)
    different = [r["id"] for r in rows if not r["same_triage"]]
    assert different == [], f"text then interview changed the triage of {different}"


@pytest.mark.slow
@pytest.mark.parametrize("path", PUBLIC_FILES, ids=lambda p: p.name)
def test_target_40_percent_fewer_questions(kb: KnowledgeBase, path: Path) -> None:
    rows, plain = _rows(kb, path)
    with_text = statistics.median(r["questions"] for r in rows)
    without = statistics.median(r["questions"] for r in plain)
    assert with_text <= 0.6 * without, (with_text, without)
