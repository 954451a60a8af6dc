"""Terminal prose and tables fit the terminal's width."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.cli.text import MAX_WIDTH, MIN_CELL, MIN_WIDTH, table, width, wrap


def test_wrap_follows_columns_with_a_hanging_indent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = wrap("word " * 30, "    ", "  - ").splitlines()
    assert lines[0].startswith("  - word") and all(x.startswith("    word") for x in lines[1:])
    assert max(map(len, lines)) <= 40


def test_table_wraps_one_column_and_keeps_short_tables_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    long = ", ".join(f"factor_{i}=1" for i in range(12))
    lines = table(("date", "factors", "note"), [("2026-03-01", long, "hot")], wrap=1).splitlines()
    assert max(map(len, lines)) <= 50
    assert lines[1].startswith("2026-03-01  factor_0=1,") and lines[1].endswith("hot")
    assert all(line.startswith(" " * 12 + "factor_") for line in lines[2:])
    words = " ".join(" ".join(line.split()) for line in lines[1:]).replace(" hot", "")
    assert words == f"2026-03-01 {long}"
    short = table(("date", "factors", "note"), [("2026-03-01", "a=1", "")], wrap=1)
    assert short == "date        factors  note\n2026-03-01  a=1"
    assert MIN_CELL < 50


def test_history_days_fit_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "60")
    runner = CliRunner()
    factors = [
        "water_litres=1.2", "exercise_minutes=45", "exercise_intensity=moderate",
        "hours_on_feet=9", "footwear=high_heels", "stretching_done=true",
    ]  # fmt: skip
    args = ["day", "--date", "2026-03-01"]
    for factor in factors:
        args += ["--factor", factor]
    assert runner.invoke(main, args).exit_code == 0
    out = runner.invoke(main, ["history"]).output
    days = out[out.index("Days (1)") :].splitlines()
    assert max(map(len, days)) <= 60 and len(days) > 3
    assert all(f in " ".join(days) for f in factors)


@pytest.mark.parametrize(
    ("columns", "expected"), [("10", MIN_WIDTH), ("72", 72), ("300", MAX_WIDTH)]
)
def test_width_is_the_terminal_within_readable_bounds(
    monkeypatch: pytest.MonkeyPatch, columns: str, expected: int
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert width() == expected
