"""The terminal, the web page and the JSON API show the same result for the same case.

Each front end is driven as a person or a program would use it — `crampwise check --case`
(JSON and plain text), the HTML interview answered from the case, `POST /api/v1/assessments`
— and what each shows is read back into one shape and compared: the level, the reasons (the
rules that set the level and the other rules that fired), the causes in order and every plan
item. The short result (the terminal without `--full`, the web page outside its folded parts)
shows the top causes and only the "seek care" advice above the level given; `--full` and the
JSON show everything, and both are checked.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.engine.view import TOP_CAUSES
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import LEVEL_RANK
from tests.web.helpers import Interview, TestClient
from tests.web.test_interview_html import answer_from_case

PLAN_KINDS = ("relief_now", "prevention", "avoid", "seek_care")

CASES: dict[str, dict[str, Any]] = {
    # Urgent for the swollen calf, and walking pain fired too at a lower level.
    "urgent_calf_swelling": {
        "age": 67,
        "sex": "male",
        "findings": {
            "calf_swollen_one_side": True,
            "timing_walking": True,
            "walking_same_distance": True,
            "smoker": True,
        },
    },
    # Public vignette p09: urgent, with two more rules fired below it.
    "urgent_statin_weakness": {
        "age": 66,
        "sex": "male",
        "findings": {
            "med_statin": True,
            "new_medicine_recently": True,
            "site_thigh": True,
            "site_calf": True,
            "side": "both",
            "muscle_weakness": True,
            "dark_or_little_urine": False,
        },
    },
    # Public vignette p20: self-care after a marathon.
    "self_care_marathon": {
        "age": 28,
        "sex": "female",
        "findings": {
            "site_calf": True,
            "timing_during_exercise": True,
            "heavy_sweating_or_heat": True,
            "extreme_exertion": True,
            "relieved_by_stretching": True,
            "episode_minutes": 2,
            "dark_or_little_urine": False,
            "weeks_since_onset": 0.1,
        },
    },
}


@dataclass(frozen=True)
class Shown:
    """What a front end showed, in one shape."""

    level: str
    reasons: tuple[str, ...]
    other_reasons: tuple[str, ...]
    causes: tuple[str, ...]
    """Cause names, in the order shown."""
    plan: dict[str, tuple[str, ...]]


def _words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def from_json(data: dict[str, Any]) -> Shown:
    triage = data["triage"]
    return Shown(
        level=triage["level"],
        reasons=tuple(r["reason"] for r in triage["rules"]),
        other_reasons=tuple(r["reason"] for r in triage["other_rules"]),
        causes=tuple(c["name"] for c in data["causes"]),
        plan={kind: tuple(item["text"] for item in data["plan"][kind]) for kind in PLAN_KINDS},
    )


def short_of(data: dict[str, Any]) -> Shown:
    """What the short result shows of a JSON result: the top causes, the advice above its level."""
    full = from_json(data)
    rank = LEVEL_RANK[full.level]
    sooner = tuple(
        item["text"]
        for item in data["plan"]["seek_care"]
        if item["seek_level"] and LEVEL_RANK[item["seek_level"]] > rank
    )
    return Shown(
        level=full.level,
        reasons=full.reasons,
        other_reasons=full.other_reasons,
        causes=full.causes[:TOP_CAUSES],
        plan={**full.plan, "seek_care": sooner},
    )


def _text_blocks(out: str) -> dict[str, list[str]]:
    """Blocks of the terminal result by title; each item's wrapped lines joined again."""
    blocks: dict[str, list[str]] = {}
    for block in out.split("\n\n"):
        title, *lines = block.splitlines()
        items: list[str] = []
        for line in lines:
            if line.startswith("  - ") or re.match(r"  \d+\. ", line):
                items.append(line)
            elif line.startswith("    ") and not line.strip().startswith("[sources:") and items:
                items[-1] += " " + line
        blocks[title] = [" ".join(item.split()) for item in items]
    return blocks


def from_terminal_text(out: str, kb: KnowledgeBase) -> Shown:
    banner = out.splitlines()[1]  # "URGENT: See a doctor today"
    by_name = {info.name.upper(): level for level, info in kb.levels.items()}
    blocks = _text_blocks(out)

    def items(title: str) -> tuple[str, ...]:
        return tuple(item.removeprefix("- ") for item in blocks.get(title, []))

    causes = blocks["What may be contributing (guidance, not a diagnosis):"]
    return Shown(
        level=by_name[banner.split(": ", 1)[0]],
        reasons=items("Why:"),
        other_reasons=items("Also worth mentioning to a doctor:"),
        causes=tuple(re.sub(r"^\d+\. (.*) — .*$", r"\1", c) for c in causes),
        plan={
            "relief_now": items("Relief now:"),
            "prevention": items("Prevention:"),
            "avoid": items("Best avoided:"),
            "seek_care": items("When to seek care:"),
        },
    )


def _list_items(page: str, start: str, stop: str) -> tuple[str, ...]:
    """The <li> texts of the first list opened by `start`, each cut at `stop`."""
    if start not in page:
        return ()
    block = page[page.index(start) :]
    block = block[: block.index("</ul>")]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    return tuple(_words(item.split(stop)[0]) for item in items)


def _plan_section(page: str, section_id: str) -> tuple[str, ...]:
    return _list_items(page, f'<h3 id="{section_id}">', '<span class="cite">')


def from_web_page(page: str, kb: KnowledgeBase) -> Shown:
    level = re.search(r'class="triage triage--(\w+)[ "]', page)
    assert level
    causes = re.findall(r'<li class="card cause">\s*<h3>(.*?) <span', page, re.S)
    safety = page[page.index('id="safety-heading"') :] if 'id="safety-heading"' in page else ""
    return Shown(
        level=level.group(1),
        reasons=_list_items(page, '<ul class="reasons">', '<span class="cite">'),
        other_reasons=_list_items(
            page, '<ul class="reasons reasons--other">', '<span class="cite">'
        ),
        causes=tuple(_words(c) for c in causes),
        plan={
            "relief_now": _plan_section(page, "plan-relief"),
            "prevention": _plan_section(page, "plan-prevention"),
            "avoid": _plan_section(page, "plan-avoid"),
            "seek_care": _list_items(safety, '<ul class="plan">', "</li>"),
        },
    )


def _cli(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", sorted(CASES))
def test_terminal_web_page_and_api_show_the_same_result(
    name: str, tmp_path: Path, client: TestClient, kb: KnowledgeBase
) -> None:
    case = CASES[name]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))

    data = json.loads(_cli(["check", "--case", str(path), "--json"]))
    terminal_json = from_json(data)
    terminal_full = from_terminal_text(_cli(["check", "--case", str(path), "--full"]), kb)
    terminal_short = from_terminal_text(_cli(["check", "--case", str(path)]), kb)
    response = client.post("/api/v1/assessments", json=case)
    assert response.status_code == 200
    api = from_json(response.json())
    iv = Interview(client).start(age=str(case["age"]), sex=case["sex"])
    answer_from_case(iv, case["findings"], kb)
    web = from_web_page(iv.html, kb)

    # Something to compare: causes and a plan always, reasons unless it is self-care.
    assert terminal_json.causes and all(terminal_json.plan[k] for k in ("prevention", "seek_care"))
    assert bool(terminal_json.reasons) == (terminal_json.level != "self_care")
    assert terminal_full == terminal_json
    assert api == terminal_json
    assert terminal_short == short_of(data)
    # The web page folds the less likely causes away, but they are on the page.
    assert web == Shown(**{**vars(short_of(data)), "causes": terminal_json.causes})


def test_the_urgent_calf_case_shows_its_second_reason_everywhere(
    tmp_path: Path, client: TestClient, kb: KnowledgeBase
) -> None:
    case = CASES["urgent_calf_swelling"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    walking = next(r.reason for r in kb.rules if r.id == "pain_on_walking")
    swelling = next(r.reason for r in kb.rules if r.id == "one_sided_calf_swelling")

    text = from_terminal_text(_cli(["check", "--case", str(path), "--full"]), kb)
    iv = Interview(client).start(age=str(case["age"]), sex=case["sex"])
    answer_from_case(iv, case["findings"], kb)
    web = from_web_page(iv.html, kb)
    for shown in (text, web):
        assert shown.level == "urgent"
        assert shown.reasons == (swelling,)
        assert shown.other_reasons == (walking,)
    assert "Also worth mentioning to a doctor" in iv.html
    assert kb.levels["urgent"].label in iv.html
