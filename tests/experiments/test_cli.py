"""``crampwise experiment``: start, check in, status, result, stop and list in the terminal."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crampwise.diary.records import Episode
from crampwise.diary.store import open_store
from crampwise.experiments.design import design
from crampwise.experiments.store import CheckIn, Experiment, ExperimentStore

TODAY = date.today()


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    return url


def run(*args: str) -> Result:
    from crampwise.cli import main

    return CliRunner().invoke(main, ["experiment", *args], catch_exceptions=False)


def test_remedies_lists_each_with_how_and_who_should_not(url: str) -> None:
    text = run("remedies").output
    assert "calf_stretch_bedtime: Calf and hamstring stretches before bed" in text
    assert "Who should not try it:" in text and "Never tested here: Quinine" in text
    doc = json.loads(run("remedies", "--json").output)
    ids = [r["id"] for r in doc["remedies"]]
    assert "magnesium_supplement" in ids and [x["id"] for x in doc["excluded"]] == ["quinine"]


def test_start_json_follows_the_contract(url: str) -> None:
    result = run(
        "start", "--remedy", "calf_stretch_bedtime", "--pairs", "2", "--seed", "42", "--json"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["remedy"] == "calf_stretch_bedtime" and isinstance(doc["id"], int)
    assert doc["seed"] == 42
    schedule = doc["schedule"]
    assert len(schedule) == 2 * 2 * 7
    assert all(set(d) == {"date", "arm", "counted"} for d in schedule)
    assert schedule[0]["date"] == TODAY.isoformat()
    assert [d["counted"] for d in schedule[:7]] == [False, False] + [True] * 5
    # The recorded seed re-draws the same schedule.
    again = design("calf_stretch_bedtime", start=TODAY, seed=42, pairs=2, washout_days=2)
    assert [d["arm"] for d in schedule] == [d.arm for d in again.days]


def test_a_missing_seed_is_drawn_and_recorded(url: str) -> None:
    doc = json.loads(run("start", "--remedy", "warm_bath_bedtime", "--json").output)
    with open_store(url) as store:
        (saved,) = ExperimentStore(store).all()
    assert saved.schedule.seed == doc["seed"] and 0 <= doc["seed"] <= 2**31 - 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--remedy", "bananas"], "--remedy: unknown remedy; one of: calf_stretch_bedtime"),
        (["--remedy", "quinine"], "cannot be tested as a self-experiment"),
        (
            [
                "--remedy",
                "calf_stretch_bedtime",
                "--start",
                (TODAY - timedelta(days=1)).isoformat(),
            ],
            "--start: ",
        ),
        (
            [
                "--remedy",
                "calf_stretch_bedtime",
                "--start",
                (TODAY + timedelta(days=61)).isoformat(),
            ],
            "within 60 days",
        ),
        (["--remedy", "calf_stretch_bedtime", "--start", "2026-02-30"], "--start"),
        (["--remedy", "calf_stretch_bedtime", "--pairs", "0"], "--pairs: 0 is not allowed"),
        (["--remedy", "calf_stretch_bedtime", "--block-days", "2"], "--block-days: 2"),
        (["--remedy", "calf_stretch_bedtime", "--seed", "-1"], "--seed: -1 is not allowed"),
    ],
)
def test_start_refuses_bad_input(url: str, args: list[str], expected: str) -> None:
    result = run("start", *args)
    assert result.exit_code == 2
    assert expected in result.output
    assert json.loads(run("list", "--json").output) == []


def test_a_remedy_the_latest_check_rules_out_is_refused(url: str) -> None:
    with open_store(url) as store:
        store.save_assessment({"age": 70, "findings": {"kidney_disease": True}}, {}, "kb")
    result = run("start", "--remedy", "magnesium_supplement")
    assert result.exit_code == 2
    assert "not for you to test right now" in result.output
    assert "magnesium can build up in the blood" in result.output
    assert run("start", "--remedy", "calf_stretch_bedtime").exit_code == 0


def test_one_experiment_at_a_time(url: str) -> None:
    assert run("start", "--remedy", "calf_stretch_bedtime").exit_code == 0
    second = run("start", "--remedy", "warm_bath_bedtime")
    assert second.exit_code == 2 and "stop it first" in second.output
    assert run("stop").exit_code == 0
    assert run("start", "--remedy", "warm_bath_bedtime").exit_code == 0


def test_checkin_status_result_and_stop(url: str) -> None:
    doc = json.loads(
        run("start", "--remedy", "calf_stretch_bedtime", "--seed", "1", "--json").output
    )
    with open_store(url) as store:  # a cramp that started today, just after midnight
        store.add_episode(Episode(datetime.combine(TODAY, time(0, 1)), 1.0, ("calf",), 5))
    checked = run("checkin", "--done", "yes")
    assert checked.exit_code == 0
    assert f"Checked in for {TODAY.isoformat()} (day 1 of 42" in checked.output
    status = run("status")
    assert "day 1 of 42" in status.output and "Checked in today: yes" in status.output
    assert "41 left" in status.output
    as_json = json.loads(run("status", "--json").output)
    assert as_json["today"]["checked_in"] is True and as_json["progress"]["days_left"] == 41
    # The latest answer for a day wins.
    run("checkin", "--done", "no")
    assert json.loads(run("status", "--json").output)["today"]["checked_in"] is False

    result = json.loads(run("result", "--json").output)
    for key in (
        "rate_ratio",
        "interval",
        "p_benefit",
        "p_benefit_20",
        "cramps",
        "days",
        "adherence",
        "verdict",
    ):
        assert key in result
    assert result["id"] == doc["id"] and result["verdict"].startswith("can't tell yet")
    assert "Result: Can't tell yet" in run("result").output

    stopped = run("stop", "--json")
    assert json.loads(stopped.output)["stopped_on"] == TODAY.isoformat()
    assert json.loads(run("result", "--json").output)["status"] == "stopped"
    assert "stopped" in run("list").output


def test_result_counts_cramps_on_the_day_they_started(url: str, tmp_path: Path) -> None:
    """A finished experiment: cramps by start date, washout days left out, adherence."""
    start = TODAY - timedelta(days=40)
    schedule = design(
        "warm_bath_bedtime", start=start, seed=3, pairs=2, block_days=7, washout_days=1
    )
    checkins = tuple(
        CheckIn(d.date, d.arm == "remedy", datetime.combine(d.date, time(21)))
        for d in schedule.days
    )
    with open_store(url) as store:
        ExperimentStore(store).add(Experiment(schedule, datetime.combine(start, time(8))))
        eps = []
        for d in schedule.days:
            n = 1 if d.arm == "remedy" else 2
            # 23:50 plus 20 minutes: still counted on the day the cramp started.
            eps += [Episode(datetime.combine(d.date, time(23, 50)), 20.0, ("calf",), 4)] * n
        store.add_episodes(eps)
        e = ExperimentStore(store).all()[0]
        assert e.id is not None
        for c in checkins:
            ExperimentStore(store).check_in(e.id, c)
    chart = tmp_path / "chart.svg"
    doc = json.loads(run("result", "--json", "--chart", str(chart)).output)
    assert doc["status"] == "finished"
    assert doc["days"] == {"remedy": 12, "usual": 12}
    assert doc["cramps"] == {"remedy": 12, "usual": 24}
    assert doc["adherence"] == 1.0
    assert doc["rate_ratio"] < 1 and doc["interval"][0] < doc["rate_ratio"] < doc["interval"][1]
    assert chart.read_text().startswith("<svg")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--done", "yes", "--date", (TODAY + timedelta(days=1)).isoformat()], "in the future"),
        (
            ["--done", "yes", "--date", (TODAY - timedelta(days=1)).isoformat()],
            "no experiment runs on",
        ),
        (["--done", "maybe"], "'maybe' is not one of"),
        (["--done", "yes", "--id", "9"], "no experiment with id 9"),
    ],
)
def test_checkin_errors(url: str, args: list[str], expected: str) -> None:
    assert run("start", "--remedy", "calf_stretch_bedtime").exit_code == 0
    result = run("checkin", *args)
    assert result.exit_code == 2
    assert expected in result.output


def test_nothing_running(url: str) -> None:
    for args, expected in [
        (["checkin", "--done", "yes"], "no experiment runs on"),
        (["status"], "no experiment yet"),
        (["result"], "no experiment yet"),
        (["stop"], "no experiment is running"),
    ]:
        result = run(*args)
        assert result.exit_code == 2, args
        assert expected in result.output
    assert "No experiments yet" in run("list").output


def test_help_lists_every_subcommand(url: str) -> None:
    text = run("--help").output
    for name in ("remedies", "start", "checkin", "status", "result", "stop", "list"):
        assert name in text


def test_every_subcommand_and_option_has_help() -> None:
    from crampwise.cli.experiment import experiment

    for name, command in experiment.commands.items():
        assert command.help, name
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{name} {param.name} has no help"


def test_help_loads_no_database_or_web_code() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom crampwise.cli import main\n"
        "try:\n    main(['experiment', 'start', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY=' + ','.join(m for m in ('sqlalchemy', 'fastapi', 'numpy', 'pydantic')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="
