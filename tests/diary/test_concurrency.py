"""Several processes writing at once never lose an entry, even on a brand-new diary.

Each trial starts N `crampwise log` processes together on a database that does not exist
yet (SQLite) or has no tables yet (PostgreSQL), so they race to create and migrate it.
Every process must succeed and every cramp must be in the diary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crampwise.diary.store import open_store
from tests.diary.conftest import reset_postgres

WRITERS = 6
TRIALS = 3


def log_at_once(url: str, n: int) -> list[subprocess.CompletedProcess[bytes]]:
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": url}
    cli = [sys.executable, "-c", "from crampwise.cli import main; main()"]
    processes = [
        subprocess.Popen(
            [
                *cli,
                "log",
                "--site",
                "calf",
                "--severity",
                str(i),
                "--minutes",
                "1",
                "--at",
                f"2026-03-01 22:{i:02d}",
            ],  # fmt: skip
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(n)
    ]
    results = []
    for p in processes:
        out, err = p.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


@pytest.mark.slow  # ~15-60 s: many concurrent CLI processes
def test_concurrent_logs_on_a_new_diary_lose_nothing(db_url: str, tmp_path: Path) -> None:
    for trial in range(TRIALS):
        if db_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'new{trial}' / 'diary.sqlite3'}"
        else:
            reset_postgres(db_url)
            url = db_url
        results = log_at_once(url, WRITERS)
        failed = [r.stderr.decode(errors="replace") for r in results if r.returncode != 0]
        assert failed == [], f"trial {trial}: {len(failed)} of {WRITERS} failed: {failed[0]}"
        with open_store(url) as store:
            severities = sorted(e.severity for e in store.list_episodes())
        assert severities == list(range(WRITERS)), f"trial {trial}"
