"""The load test runs end to end at its smallest: a real multi-user server, 3 accounts with
a diary each, one 2-second step of every operation, and a table with no errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "benchmarks" / "load" / "run_load.py"
ADMIN_URL = os.environ.get(
    "CRAMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
OPERATIONS = {"ping", "log cramp", "history", "insights", "assessment", "interview step"}


def _need(ok: bool, reason: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
        pytest.skip(reason)


def _postgres_reachable() -> bool:
    engine = create_engine(ADMIN_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_the_load_test_runs_at_minimum_scale(tmp_path: Path) -> None:
    _need(shutil.which("wrk") is not None, "wrk is not installed (make system-deps)")
    _need(_postgres_reachable(), f"PostgreSQL unreachable at {ADMIN_URL}")
    out = tmp_path / "load.json"
    args = ["--accounts", "3", "--seed-days", "7", "--steps", "6", "--duration", "2"]
    done = subprocess.run(
        [sys.executable, str(RUNNER), *args, "--workers", "2", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    assert report["accounts"] == 3 and report["setup"]["accounts"]["requests"] == 6
    assert report["setup"]["seeding"]["requests"] >= 7  # a week of days at least
    (step,) = report["steps"]
    assert step["connections"] == 6
    rows = {r["op"]: r for r in step["results"]}
    assert set(rows) == OPERATIONS
    for op, row in rows.items():
        assert row["requests"] > 0 and row["rps"] > 0, op
        assert row["non_2xx"] == 0 and row["socket_errors"] == 0, op
        assert 0 < row["p50_ms"] <= row["p99_ms"], op
    # The printed table names every operation, as the JSON does.
    assert all(op in done.stdout for op in OPERATIONS)
    # The database it made, and its app role, are gone.
    name = re.search(r"database (crampwise_load_[0-9a-f]+)", done.stdout)
    assert name is not None, done.stdout
    engine = create_engine(ADMIN_URL)
    with engine.connect() as conn:
        left = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM pg_database WHERE datname = :db)"
                " + (SELECT count(*) FROM pg_roles WHERE rolname = :db || '_app')"
            ),
            {"db": name.group(1)},
        ).scalar_one()
    engine.dispose()
    assert left == 0
