"""`crampwise insights` on a temporary SQLite diary."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.analysis.synthetic import Effects, generate_diary
from crampwise.cli import main

from .conftest import FACTORS

END = date.today() - timedelta(days=1)


@pytest.fixture
def diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/d.sqlite3"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    return url


def _fill(url: str, days: int, effects: Effects | None = None) -> None:
    from crampwise.diary.store import open_store

    records, episodes = generate_diary(21, days, END, effects, factors=FACTORS)
    with open_store(url) as store:
        store.set_days(records)
        store.add_episodes(episodes)


def test_text_report_with_retriage(diary: str) -> None:
    _fill(diary, 150, Effects(worsening=True))
    result = CliRunner().invoke(main, ["insights", "--age", "60", "--sex", "male"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Factors and your cramps" in out and "95% interval" in out
    assert "not proof" in out
    assert "Your cramps have" in out and "last four weeks" in out
    assert "What your diary suggests: See a doctor" in out
    assert "Cramps that keep getting worse should be checked by a doctor." in out


def test_json_and_charts(diary: str, tmp_path: Path) -> None:
    _fill(diary, 90)
    out_dir = tmp_path / "charts"
    result = CliRunner().invoke(main, ["insights", "--json", "--out", str(out_dir), "--age", "45"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["days_covered"] == 90
    assert data["retriage"]["level"] in ("self_care", "doctor", "urgent", "emergency")
    for name in ("cramps_over_time.svg", "factor_effects.svg"):
        ET.parse(out_dir / name)


def test_from_and_to_filter_the_diary(diary: str) -> None:
    _fill(diary, 120)
    start, end = END - timedelta(days=59), END - timedelta(days=10)
    result = CliRunner().invoke(
        main, ["insights", "--json", "--from", start.isoformat(), "--to", end.isoformat()]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["start"] == start.isoformat() and summary["end"] == end.isoformat()


def test_empty_diary_gives_a_friendly_message(diary: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["insights", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0
    assert "Your diary is empty" in result.output
    assert not (tmp_path / "x").exists()
    as_json = CliRunner().invoke(main, ["insights", "--json"])
    assert json.loads(as_json.stdout)["empty"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "2024-02-01", "--to", "2024-01-01"],
            "--from: 2024-02-01 is after --to (2024-01-01)",
        ),
        (["--from", "01/02/2024"], "'01/02/2024' does not match the format"),
        (["--age", "-3"], "-3"),
        (["--sex", "unknown"], "'unknown' is not one of"),
    ],
)
def test_bad_options_exit_2(diary: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["insights", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\nfrom crampwise.cli import main\n"
        "try:\n    main(['insights', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY=' + ','.join(m for m in ('numpy', 'matplotlib', 'scipy', "
        "'statsmodels', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_long_diary_shows_a_progress_bar(diary: str) -> None:
    _fill(diary, 400)
    result = CliRunner().invoke(main, ["insights"])
    assert result.exit_code == 0, result.output
    assert "Analysing your diary" in result.output
