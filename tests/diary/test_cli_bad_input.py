"""Bad input through the command line: exit code 2, the field (and line) named, nothing written.

Each case is (command line, text that must appear in the output).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.diary.conftest import Cli

TOMORROW = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
LOG = ["log", "--site", "toes", "--severity", "6", "--minutes", "2"]


def log_with(*changes: str) -> list[str]:
    """LOG with options replaced (`--severity 11`) or added."""
    args = list(LOG)
    pairs = list(zip(changes[::2], changes[1::2], strict=True))
    for option, value in pairs:
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    return args


LOG_CASES = [
    pytest.param(
        log_with("--at", "2026-02-30 10:00"), "--at: is not a real date", id="impossible-date"
    ),
    pytest.param(log_with("--at", "yesterday-ish"), "--at: is not a real date", id="garbled-date"),
    pytest.param(log_with("--at", TOMORROW), "--at: is in the future", id="future"),
    pytest.param(
        log_with("--minutes", "-3"), "--minutes: cannot be negative", id="negative-minutes"
    ),
    pytest.param(log_with("--minutes", "2000"), "--minutes: must be at most 1440", id="too-long"),
    pytest.param(log_with("--minutes", "nan"), "--minutes: must be a number", id="nan-minutes"),
    pytest.param(
        log_with("--severity", "11"), "--severity: must be a whole number from 0", id="sev-11"
    ),
    pytest.param(
        log_with("--severity", "-1"), "--severity: must be a whole number from 0", id="sev-neg"
    ),
    pytest.param(log_with("--severity", "bad"), "'--severity'", id="sev-type"),
    pytest.param(
        log_with("--site", "elbow"), "--site: unknown site 'elbow'; allowed: toes", id="site"
    ),
    pytest.param(
        log_with("--side", "middle"), "--side: unknown side 'middle'; allowed: left", id="side"
    ),
    pytest.param(
        log_with("--activity", "flying"), "--activity: unknown activity 'flying'", id="activity"
    ),
    pytest.param(
        log_with("--did", "prayed"),
        "--did: unknown action 'prayed'; allowed: stretched",
        id="action",
    ),
    pytest.param(["log", "--site", "toes"], "--severity: is required", id="missing-severity"),
    pytest.param(
        ["log", "--severity", "3", "--minutes", "1"], "--site: is required", id="missing-site"
    ),
]

DAY_CASES = [
    pytest.param(
        ["day", "--factor", "moon_phase=3"],
        "--factor moon_phase: unknown factor; allowed: alcohol_units",
        id="unknown-factor",
    ),
    pytest.param(
        ["day", "--factor", "water_litres=lots"],
        "--factor water_litres: must be a number from 0 to 15",
        id="factor-type",
    ),
    pytest.param(
        ["day", "--factor", "water_litres=-1"],
        "--factor water_litres: must be a number from 0 to 15",
        id="factor-range",
    ),
    pytest.param(
        ["day", "--factor", "stretching_done=maybe"],
        "--factor stretching_done: must be true or false",
        id="factor-bool",
    ),
    pytest.param(
        ["day", "--factor", "footwear=clogs"],
        "--factor footwear: must be one of supportive",
        id="factor-choice",
    ),
    pytest.param(
        ["day", "--factor", "water_litres"], "--factor: expected ID=VALUE", id="factor-syntax"
    ),
    pytest.param(
        ["day"], "--factor: give at least one; known factors: water_litres (number)", id="nothing"
    ),
    pytest.param(
        ["day", "--date", "2026-02-30", "--factor", "water_litres=1"],
        "'--date'",
        id="impossible-day",
    ),
    pytest.param(
        [
            "day",
            "--date",
            (date.today() + timedelta(days=2)).isoformat(),
            "--factor",
            "water_litres=1",
        ],
        "--date: is in the future",
        id="future-day",
    ),
]


@pytest.mark.parametrize(("args", "expected"), LOG_CASES + DAY_CASES)
def test_bad_command_line(cli: Cli, args: list[str], expected: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert cli.counts() == {"episodes": 0, "days": 0, "assessments": 0}


GOOD = {
    "started_at": "2026-03-01T23:10:00",
    "duration_minutes": 2.0,
    "sites": ["toes"],
    "severity": 5,
}


def document(*episodes: dict[str, object], days: list[object] | None = None) -> str:
    records = [GOOD, GOOD, *episodes]  # the bad one is never first: earlier ones are not written
    lines = ",\n  ".join(json.dumps(r) for r in records)
    return (
        '{"format": "crampwise-diary/1",\n "episodes": [\n  ' + lines + "\n ],\n"
        f' "days": {json.dumps(days or [])}\n}}\n'
    )


IMPORT_JSON_CASES = [
    pytest.param(
        {**GOOD, "started_at": "2026-13-01T10:00"},
        "line 5: episodes[2].started_at: is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        {**GOOD, "started_at": TOMORROW},
        "line 5: episodes[2].started_at: is in the future",
        id="future",
    ),
    pytest.param(
        {
            k: v
            for k, v in {**GOOD, "ended_at": "2026-03-01T23:00:00"}.items()
            if k != "duration_minutes"
        },
        "line 5: episodes[2].ended_at: is before started_at",
        id="end-before-start",
    ),
    pytest.param(
        {**GOOD, "duration_minutes": -0.5},
        "line 5: episodes[2].duration_minutes: cannot be negative",
        id="negative",
    ),
    pytest.param(
        {**GOOD, "severity": 12},
        "line 5: episodes[2].severity: must be a whole number",
        id="severity",
    ),
    pytest.param(
        {**GOOD, "severity": "high"},
        "line 5: episodes[2].severity: must be a whole number",
        id="severity-type",
    ),
    pytest.param(
        {**GOOD, "sites": "toes"}, "line 5: episodes[2].sites: must be a list", id="sites-type"
    ),
    pytest.param(
        {**GOOD, "sites": ["toes", "wing"]},
        "line 5: episodes[2].sites: unknown site 'wing'",
        id="site",
    ),
    pytest.param({**GOOD, "side": "up"}, "line 5: episodes[2].side: unknown side", id="side"),
    pytest.param(
        {**GOOD, "activity": "skydiving"},
        "line 5: episodes[2].activity: unknown activity",
        id="activity",
    ),
    pytest.param(
        {**GOOD, "actions": ["yelled"]},
        "line 5: episodes[2].actions: unknown action 'yelled'",
        id="action",
    ),
    pytest.param(
        {**GOOD, "helped": "sort of"},
        "line 5: episodes[2].helped: must be true, false",
        id="helped-type",
    ),
    pytest.param(
        {**GOOD, "mood": "grumpy"},
        "line 5: episodes[2].mood: unknown field; allowed: id, started_at",
        id="unknown-key",
    ),
]


@pytest.mark.parametrize(("bad", "expected"), IMPORT_JSON_CASES)
def test_bad_json_import(cli: Cli, tmp_path: Path, bad: dict[str, object], expected: str) -> None:
    path = tmp_path / "diary.json"
    path.write_text(document(bad))
    result = cli("import", str(path))
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "nothing imported" in result.stderr
    assert cli.counts() == {"episodes": 0, "days": 0, "assessments": 0}


def test_bad_day_in_json_import_names_line_and_factor(cli: Cli, tmp_path: Path) -> None:
    days = [
        {"date": "2026-03-01", "values": {"water_litres": 2}},
        {"date": "2026-03-02", "values": {"sleep_hours": 7}},
    ]
    path = tmp_path / "diary.json"
    path.write_text(
        document(days=days).replace('"days": [', '"days": [\n  ').replace("}, {", "},\n  {")
    )
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert (
        "line 8: days[1].values.sleep_hours: unknown factor; allowed: alcohol_units"
        in result.stderr
    )
    assert cli.counts()["days"] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '{"format": "crampwise-diary/1",\n "episodes": [,]}',
            "line 2: file: Expecting value",
            id="syntax",
        ),
        pytest.param(
            '{"format": "other/9", "episodes": []}',
            "format: must be 'crampwise-diary/1'",
            id="format",
        ),
        pytest.param(
            '{"format": "crampwise-diary/1", "episodes": {}}',
            "episodes: must be a list",
            id="section-type",
        ),
    ],
)
def test_malformed_json_file(cli: Cli, tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "diary.json"
    path.write_text(text)
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert cli.counts()["episodes"] == 0


HEADER = "started_at,duration_minutes,sites,severity,side,actions,helped,note\n"
ROW = "2026-03-01 23:10,2,toes;calf,5,left,stretched,true,fine\n"


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        pytest.param(
            "2026-02-30 10:00,2,toes,5,,,,\n", "line 4: started_at: is not a real date", id="date"
        ),
        pytest.param(
            "2026-03-01 10:00,-2,toes,5,,,,\n",
            "line 4: duration_minutes: cannot be negative",
            id="negative",
        ),
        pytest.param(
            "2026-03-01 10:00,two,toes,5,,,,\n",
            "line 4: duration_minutes: must be a number",
            id="minutes-type",
        ),
        pytest.param(
            "2026-03-01 10:00,2,toes,11,,,,\n",
            "line 4: severity: must be a whole number",
            id="severity",
        ),
        pytest.param(
            "2026-03-01 10:00,2,toes;nose,5,,,,\n", "line 4: sites: unknown site 'nose'", id="site"
        ),
        pytest.param("2026-03-01 10:00,2,,5,,,,\n", "line 4: sites: is required", id="no-site"),
        pytest.param(
            "2026-03-01 10:00,2,toes,5,both,danced,,\n",
            "line 4: actions: unknown action 'danced'",
            id="action",
        ),
        pytest.param(
            "2026-03-01 10:00,2,toes,5,,,,,extra\n",
            "line 4: row: has more cells than the header",
            id="extra-cell",
        ),
        pytest.param(
            f"{TOMORROW},2,toes,5,,,,\n", "line 4: started_at: is in the future", id="future"
        ),
    ],
)
def test_bad_csv_import(cli: Cli, tmp_path: Path, bad_row: str, expected: str) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(HEADER + ROW + ROW + bad_row + ROW)
    result = cli("import", str(path))
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert cli.counts()["episodes"] == 0


def test_csv_with_unknown_columns_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text("when,how_bad\n2026-03-01,5\n")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "line 1: header: columns must be among id, started_at" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"date": "0001-01-01", "values": {}}, "date: is before 1900"),
        ({"date": "2026-03-01", "values": False}, "values: must be an object"),
        ({"date": "2026-03-01", "values": 0}, "values: must be an object"),
        ({"date": "2026-03-01", "values": ""}, "values: must be an object"),
    ],
)
def test_day_validator_rejects_ancient_dates_and_falsy_values(
    raw: dict[str, object], expected: str
) -> None:
    from crampwise.diary.validate import day_from_dict
    from crampwise.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as info:
        day_from_dict(raw, line=3)
    assert f"line 3: {expected}" in info.value.render()


def test_day_validator_treats_missing_values_as_nothing_recorded() -> None:
    from crampwise.diary.validate import day_from_dict

    assert day_from_dict({"date": "2026-03-01"}).values == {}
    assert day_from_dict({"date": "2026-03-01", "values": None}).values == {}
