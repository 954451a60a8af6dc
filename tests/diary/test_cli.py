"""The diary commands with real output: log, day, history, export, import, demo."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import click
import pytest

from crampwise.cli import COMMANDS, main
from crampwise.diary.store import open_store
from tests.diary.conftest import Cli

DIARY_COMMANDS = ("log", "day", "history", "export", "import", "demo")


def test_log_one_line(cli: Cli) -> None:
    before = datetime.now().replace(microsecond=0)
    result = cli("log", "--site", "toes", "--severity", "6", "--minutes", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Logged cramp #1: toes, severity 6/10, 2 min, ")
    with open_store(cli.url) as s:
        (ep,) = s.list_episodes()
    assert ep.sites == ("toes",) and ep.severity == 6 and ep.duration_minutes == 2.0
    assert before <= ep.started_at <= datetime.now()


def test_log_every_option(cli: Cli) -> None:
    result = cli(
        "log", "--site", "calf", "--site", "foot", "--severity", "8", "--minutes", "0.5",
        "--side", "right", "--activity", "in_bed", "--did", "stretched", "--did", "walked",
        "--no-helped", "--note", "3 am again", "--at", "2026-03-01 03:05",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Logged cramp #1: calf + foot (right), severity 8/10, 0.5 min, 2026-03-01 03:05.\n"
    )
    with open_store(cli.url) as s:
        (ep,) = s.list_episodes()
    assert (ep.activity, ep.actions, ep.helped, ep.note) == (
        "in_bed",
        ("stretched", "walked"),
        False,
        "3 am again",
    )


def test_log_prompts_for_missing_values_at_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("crampwise.cli.diary.interactive", lambda: True)
    result = cli("log", "--minutes", "1", input="toes, calf\n7\n")
    assert result.exit_code == 0, result.output
    assert "Where was the cramp" in result.stdout and "How bad" in result.stdout
    assert "How many minutes" not in result.stdout  # given on the command line
    assert "toes + calf, severity 7/10, 1 min" in result.stdout


def test_day_adds_to_the_day_and_replace_replaces(cli: Cli) -> None:
    today = date.today().isoformat()
    first = cli("day", "--factor", "water_litres=1.2", "--factor", "stretching_done=yes")
    assert first.stdout == f"Saved {today}: water_litres=1.2, stretching_done=true.\n"
    second = cli("day", "--factor", "footwear=barefoot", "--note", "beach")
    assert second.exit_code == 0
    with open_store(cli.url) as s:
        got = s.get_day(date.today())
    assert got is not None
    assert got.values == {"water_litres": 1.2, "stretching_done": True, "footwear": "barefoot"}
    assert got.note == "beach"
    cli("day", "--date", "2026-03-01", "--factor", "alcohol_units=4")
    third = cli("day", "--date", "2026-03-01", "--factor", "exercise_minutes=45", "--replace")
    assert third.stdout == "Saved 2026-03-01: exercise_minutes=45.\n"
    with open_store(cli.url) as s:
        replaced = s.get_day(date(2026, 3, 1))
    assert replaced is not None and replaced.values == {"exercise_minutes": 45.0}


def test_history_table_json_and_range(cli: Cli) -> None:
    assert "No entries" in cli("history").stdout
    cli("log", "--site", "toes", "--severity", "3", "--minutes", "1", "--at", "2026-03-01 22:00")
    cli("log", "--site", "calf", "--severity", "9", "--minutes", "4", "--at", "2026-03-05 02:30",
        "--did", "massaged", "--helped", "--note", "a very long note " * 5)  # fmt: skip
    cli("day", "--date", "2026-03-01", "--factor", "water_litres=0.8", "--note", "travel")
    table = cli("history").stdout.splitlines()
    assert table[0] == "Cramps (2)"
    assert table[1].split() == [
        "id", "started", "min", "severity", "sites", "side", "activity", "did", "helped", "note",
    ]  # fmt: skip
    assert table[2].split() == ["1", "2026-03-01", "22:00", "1", "3", "toes"]
    assert table[3].split()[:8] == ["2", "2026-03-05", "02:30", "4", "9", "calf", "massaged", "yes"]
    assert table[3].endswith("…")  # long notes are shortened in the table
    assert table[5:] == ["Days (1)", "date        factors           note",
                         "2026-03-01  water_litres=0.8  travel"]  # fmt: skip
    ranged = json.loads(cli("history", "--from", "2026-03-02", "--json").stdout)
    assert [e["id"] for e in ranged["episodes"]] == [2] and ranged["days"] == []
    early = json.loads(cli("history", "--to", "2026-03-01", "--json").stdout)
    assert [e["started_at"] for e in early["episodes"]] == ["2026-03-01T22:00:00"]
    assert early["days"] == [
        {"date": "2026-03-01", "values": {"water_litres": 0.8}, "note": "travel"}
    ]
    backwards = cli("history", "--from", "2026-03-05", "--to", "2026-03-01")
    assert (
        backwards.exit_code == 2
        and "--from: 2026-03-05 is after --to (2026-03-01)" in backwards.stderr
    )


def _fill(cli: Cli) -> None:
    cli("log", "--site", "toes", "--severity", "3", "--minutes", "1.5", "--at", "2026-03-01 22:00",
        "--note", 'said "ouch", then, slept')  # fmt: skip
    cli("log", "--site", "calf", "--site", "foot", "--severity", "9", "--minutes", "4",
        "--at", "2026-03-02 02:30", "--did", "stretched", "--no-helped")  # fmt: skip
    cli(
        "day",
        "--date",
        "2026-03-01",
        "--factor",
        "water_litres=0.8",
        "--factor",
        "footwear=high_heels",
    )
    with open_store(cli.url) as s:
        s.save_assessment({"age": 50}, {"urgency": "routine"}, "kb-1")


def test_export_json_then_import_into_another_diary(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(cli)
    out = tmp_path / "export.json"
    result = cli("export", "--format", "json", "--out", str(out))
    assert result.exit_code == 0
    assert result.stderr == f"Exported 2 episodes, 1 day to {out}.\n"
    doc = json.loads(out.read_text())
    assert doc["format"] == "crampwise-diary/1"
    assert [len(doc[k]) for k in ("episodes", "days", "assessments")] == [2, 1, 1]
    assert json.loads(cli("export").stdout) == doc  # default: JSON on stdout

    other = Cli(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", other.url)
    imported = other("import", str(out))
    assert imported.exit_code == 0, imported.stdout
    # The progress line, then the result: one stream, so they read in order.
    assert imported.stderr == (
        "Importing export.json\nImported 2 episodes, 1 day and 1 assessment from export.json.\n"
    )
    assert imported.stdout == ""
    assert json.loads(other("export").stdout) == doc


def test_export_csv_to_stdout_directory_and_days_file(cli: Cli, tmp_path: Path) -> None:
    _fill(cli)
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert [r["sites"] for r in rows] == ["toes", "calf;foot"]
    assert rows[0]["note"] == 'said "ouch", then, slept'
    assert (rows[1]["actions"], rows[1]["helped"], rows[1]["severity"]) == (
        "stretched",
        "false",
        "9",
    )

    folder = tmp_path / "out"
    folder.mkdir()
    assert cli("export", "--format", "csv", "--out", str(folder)).exit_code == 0
    days = list(csv.DictReader(io.StringIO((folder / "days.csv").read_text())))
    assert days[0]["date"] == "2026-03-01" and days[0]["footwear"] == "high_heels"
    assert days[0]["water_litres"] == "0.8" and days[0]["stretching_done"] == ""
    assert (folder / "episodes.csv").read_text().count("\n") == 3

    days_file = tmp_path / "d.csv"
    cli("export", "--format", "csv", "--out", str(tmp_path / "e.csv"), "--days", str(days_file))
    assert days_file.read_text() == (folder / "days.csv").read_text()
    refused = cli("export", "--format", "json", "--days", str(days_file))
    assert refused.exit_code == 2 and "--days" in refused.stderr


def test_import_csv_files_of_episodes_and_days(cli: Cli, tmp_path: Path) -> None:
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "started_at,duration_minutes,sites,severity,helped,note\n"
        "2026-03-01 22:00,1.5,toes,3,yes,\n"
        '2026-03-02T02:30,4,calf;foot,9,,"two\nlines"\n'
    )
    days = tmp_path / "days.csv"
    days.write_text("date,water_litres,stretching_done,note\n2026-03-01,2.5,no,\n")
    assert "\nImported 2 episodes, 0 days" in cli("import", str(episodes)).stderr
    assert "\nImported 0 episodes, 1 day and" in cli("import", str(days)).stderr
    with open_store(cli.url) as s:
        eps, (day,) = s.list_episodes(), s.list_days()
    assert [(e.sites, e.helped, e.note) for e in eps] == [
        (("toes",), True, None),
        (("calf", "foot"), None, "two\nlines"),
    ]
    assert day.values == {"water_litres": 2.5, "stretching_done": False}


def test_demo_fills_a_fresh_diary_and_refuses_a_used_one(cli: Cli) -> None:
    result = cli("demo", "--days", "60", "--seed", "3")
    assert result.exit_code == 0, result.output
    counts = cli.counts()
    assert 40 <= counts["days"] <= 60 and counts["episodes"] > 0  # some days go unrecorded
    assert result.stderr == (
        "Making a demo diary\n"
        f"Demo diary ready: {counts['episodes']} cramps and {counts['days']} recorded days, "
        "with 1 finished experiment (see `crampwise experiment list`).\n"
    )
    again = cli("demo", "--days", "60")
    assert again.exit_code == 2
    assert (
        f"the diary already has {counts['episodes']} episodes and {counts['days']} days"
        in again.stderr
    )
    assert "--force" in again.stderr
    assert cli.counts() == counts
    forced = cli("demo", "--days", "10", "--seed", "3", "--force")
    assert forced.exit_code == 0 and cli.counts()["episodes"] > counts["episodes"]


def test_every_diary_command_and_option_has_help() -> None:
    ctx = click.Context(main)
    for name in DIARY_COMMANDS:
        assert name in COMMANDS and COMMANDS[name][1]
        command = main.get_command(ctx, name)
        assert command is not None and command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_log_refuses_a_control_character_in_the_note(cli: Cli) -> None:
    result = cli("log", "--site", "toes", "--severity", "3", "--minutes", "1", "--note", "ding\x07")
    assert result.exit_code == 2
    assert "--note: contains a control character (U+0007, bell)" in result.stderr
    with open_store(cli.url) as s:
        assert s.list_episodes() == []


def test_history_never_writes_control_characters_to_the_terminal(cli: Cli) -> None:
    # Rows written before notes were checked may hold anything: write them behind the models.
    from sqlalchemy import create_engine, text

    with open_store(cli.url):
        pass  # creates the schema
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO episodes (started_at, duration_minutes, sites, severity, actions,"
                " note) VALUES ('2026-03-01 22:00:00', 1.0, '[\"toes\"]', 3, '[]', :note)"
            ),
            {"note": "ring\x07 \x1b[31mred \x9b2J\u202egone"},
        )
        conn.execute(
            text("INSERT INTO days (day, note) VALUES ('2026-03-01', :note)"), {"note": "x\x08y"}
        )
    engine.dispose()
    table = cli("history")
    assert table.exit_code == 0, table.output
    assert "ring\\x07 \\x1b[31mred \\x9b2J\\u202egone" in table.stdout  # shown, escaped
    assert "x\\x08y" in table.stdout
    as_json = cli("history", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["episodes"][0]["note"].startswith("ring\x07 \x1b[31m")
    for shown in (table.stdout, as_json.stdout):
        unsafe = [c for c in shown if c not in "\n" and (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F)]
        assert unsafe == [] and "\u202e" not in shown
