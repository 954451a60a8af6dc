"""SIGKILL in the middle of a bulk import: finished batches survive whole, nothing partial.

A real subprocess runs `crampwise import` on a large file; once a few batches are
committed it is killed with SIGKILL (no cleanup code runs), then the diary is checked.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from crampwise.diary.records import Episode
from crampwise.diary.store import open_store

TOTAL = 120_000
BATCH = 500
START = datetime(2015, 1, 1)


def expected(i: int) -> Episode:
    # Strictly increasing start times, so time order is file order is id order.
    return Episode(START + timedelta(minutes=10 * i), float(i % 7), ("toes",), i % 11)


def write_big_export(path: Path) -> None:
    records = (
        json.dumps(
            {
                "started_at": e.started_at.isoformat(),
                "duration_minutes": e.duration_minutes,
                "sites": list(e.sites),
                "severity": e.severity,
            }
        )
        for e in map(expected, range(TOTAL))
    )
    path.write_text(
        '{"format": "crampwise-diary/1", "episodes": [\n' + ",\n".join(records) + "\n]}\n"
    )


def count_rows(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM episodes")).scalar_one())
    finally:
        engine.dispose()


def test_sigkill_mid_import_keeps_only_whole_batches(db_url: str, tmp_path: Path) -> None:
    export = tmp_path / "big.json"
    write_big_export(export)
    open_store(db_url).close()  # schema ready, so the poller never creates the file itself
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from crampwise.cli import main; main()",
            "import",
            str(export),
            "--batch-size",
            str(BATCH),
        ],  # fmt: skip
        env={**os.environ, "CRAMPWISE_DATABASE_URL": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        seen = 0
        while seen < 2 * BATCH:
            if process.poll() is not None:
                problem = process.stderr.read() if process.stderr else b""
                raise AssertionError(f"import ended early: {problem!r}")
            assert time.monotonic() < deadline, "no batch committed within 60 s"
            try:
                seen = count_rows(db_url)
            except SQLAlchemyError:
                seen = 0  # a busy moment on SQLite; look again
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stderr is not None
        process.stderr.close()

    if db_url.startswith("sqlite"):
        database = make_url(db_url).database
        assert database is not None
        raw = sqlite3.connect(database)
        try:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            raw.close()
    with open_store(db_url) as store:
        stored = store.list_episodes()
        n = len(stored)
        assert 2 * BATCH <= n < TOTAL, "the kill must land mid-import"
        assert n % BATCH == 0, f"{n} rows: a batch was written in part"
        assert [(e.started_at, e.duration_minutes, e.sites, e.severity) for e in stored] == [
            (e.started_at, e.duration_minutes, e.sites, e.severity) for e in map(expected, range(n))
        ]
        # And the diary still works.
        store.add_episode(Episode(datetime(2026, 1, 1), 1.0, ("calf",), 4))
        assert store.counts()["episodes"] == n + 1
