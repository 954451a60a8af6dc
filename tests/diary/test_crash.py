"""SIGKILL at random points of a bulk import: the diary holds all of the file or none of it.

A real subprocess runs `crampwise import` on a large file and is killed with SIGKILL (no
cleanup code runs) at several random moments: while the file is read and checked, and
while it is written. After each kill the diary holds either nothing from the file or
everything, and still works.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from crampwise.diary.records import Episode
from crampwise.diary.store import open_store
from tests.diary.conftest import reset_postgres

TOTAL = 60_000
BATCH = 500
START = datetime(2015, 1, 1)
WRITING = b"Importing"  # the progress label: printed once the file is checked, as writing starts


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


class Import:
    """One `crampwise import` subprocess, with the moment its writing began."""

    def __init__(self, export: Path, db_url: str) -> None:
        self.started = time.monotonic()
        self.writing_at: float | None = None
        self.process = subprocess.Popen(
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
        self.stderr = b""

    def poll_stderr(self, timeout: float) -> None:
        assert self.process.stderr is not None
        ready, _, _ = select.select([self.process.stderr], [], [], max(timeout, 0))
        if ready:
            chunk = os.read(self.process.stderr.fileno(), 65536)
            self.stderr += chunk
            if self.writing_at is None and WRITING in self.stderr:
                self.writing_at = time.monotonic()

    def run_until(self, done: Callable[[], bool], limit: float = 120) -> None:
        while not done():
            assert time.monotonic() - self.started < limit, "the import took too long"
            self.poll_stderr(0.005)
            if self.process.poll() is not None:
                self.poll_stderr(0)
                return

    def finish(self) -> int:
        self.run_until(lambda: False)
        code = self.process.wait(timeout=60)
        assert self.process.stderr is not None
        self.process.stderr.close()
        return code

    def kill(self) -> bool:
        """SIGKILL now; True if the process was still running."""
        alive = self.process.poll() is None
        if alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        assert self.process.stderr is not None
        self.process.stderr.close()
        return alive


def fresh_url(db_url: str, tmp_path: Path, n: int) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / f'crash{n}.sqlite3'}"
    reset_postgres(db_url)
    return db_url


def check_all_or_nothing(url: str) -> int:
    if url.startswith("sqlite"):
        database = make_url(url).database
        assert database is not None
        raw = sqlite3.connect(database)
        try:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            raw.close()
    with open_store(url) as store:
        stored = store.list_episodes()
        n = len(stored)
        assert n in (0, TOTAL), f"{n} of {TOTAL} rows: the import was kept in part"
        if n:
            got = [(e.started_at, e.duration_minutes, e.sites, e.severity) for e in stored]
            assert got == [
                (e.started_at, e.duration_minutes, e.sites, e.severity)
                for e in map(expected, range(n))
            ]
        # And the diary still works.
        store.add_episode(Episode(datetime(2026, 1, 1), 1.0, ("calf",), 4))
        assert store.counts()["episodes"] == n + 1
    return n


@pytest.mark.slow  # ~45 s: many killed child processes
def test_sigkill_at_random_points_keeps_all_or_nothing(db_url: str, tmp_path: Path) -> None:
    export = tmp_path / "big.json"
    write_big_export(export)

    # A full run first: it must import everything, and it times the two phases.
    url = fresh_url(db_url, tmp_path, 0)
    open_store(url).close()
    full = Import(export, url)
    assert full.finish() == 0, full.stderr.decode(errors="replace")
    assert full.writing_at is not None, "no progress label on stderr"
    read_time = full.writing_at - full.started
    write_time = time.monotonic() - full.writing_at
    assert check_all_or_nothing(url) == TOTAL

    rng = random.Random(int.from_bytes(os.urandom(4)))
    # One kill while the file is read and checked, three while it is written.
    plan = [("reading", rng.uniform(0.1, 0.9) * read_time)] + [
        ("writing", rng.uniform(0.05, 0.9) * write_time) for _ in range(3)
    ]
    mid_write_kills = 0
    for n, (phase, delay) in enumerate(plan, start=1):
        url = fresh_url(db_url, tmp_path, n)
        open_store(url).close()  # schema ready, so only the import itself is interrupted
        job = Import(export, url)
        if phase == "reading":
            job.run_until(lambda j=job, d=delay: time.monotonic() - j.started >= d)
        else:
            job.run_until(lambda j=job: j.writing_at is not None)
            job.run_until(lambda j=job, d=delay: time.monotonic() - (j.writing_at or 0) >= d)
        was_running = job.kill()
        kept = check_all_or_nothing(url)
        if phase == "writing" and was_running and kept == 0:
            mid_write_kills += 1
    if mid_write_kills == 0:
        pytest.fail(f"no kill landed mid-write (plan {plan}, write time {write_time:.2f} s)")
