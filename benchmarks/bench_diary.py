"""Diary benchmarks (not a test): `crampwise log` cold start, and bulk import speed.

Run: .venv/bin/python benchmarks/bench_diary.py [--rows 100000]
Everything goes to temporary databases; PostgreSQL is used only at CRAMPWISE_TEST_POSTGRES_URL
(default 127.0.0.1:5432) and is skipped with the reason when unreachable.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from crampwise.diary.records import SITES, Episode
from crampwise.diary.store import open_store
from crampwise.diary.transfer import ImportPlan, read_import_file, write_json, write_plan

PG_ADMIN = os.environ.get(
    "CRAMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
RUNS = 5


def median_seconds(argv: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_log(tmp: Path) -> None:
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{tmp / 'log.sqlite3'}"}
    cli = [sys.executable, "-c", "from crampwise.cli import main; main()"]
    log = [*cli, "log", "--site", "toes", "--severity", "6", "--minutes", "2"]
    start = time.perf_counter()
    subprocess.run(log, env=env, check=True, stdout=subprocess.DEVNULL)  # creates + migrates
    first = time.perf_counter() - start
    bare = median_seconds([sys.executable, "-c", "pass"], env)
    warm = median_seconds(log, env)
    verdict = "OK" if warm < 0.5 else "SLOWER THAN TARGET"
    print(f"python -c pass            median of {RUNS}: {bare:.3f} s")
    print(f"crampwise log             median of {RUNS}: {warm:.3f} s  (target < 0.5 s: {verdict})")
    print(f"crampwise log, new diary  (creates the file, runs migrations): {first:.3f} s")


def episodes(n: int) -> list[Episode]:
    rng = random.Random(7)
    start = datetime(2020, 1, 1)
    return [
        Episode(
            started_at=start + timedelta(minutes=rng.randrange(3_000_000)),
            duration_minutes=round(rng.uniform(0.2, 10), 1),
            sites=(rng.choice(SITES),),
            severity=rng.randrange(11),
            helped=rng.choice((None, True, False)),
        )
        for _ in range(n)
    ]


def bench_import(label: str, url: str, export_file: Path, plan: ImportPlan) -> None:
    with open_store(url) as store:
        start = time.perf_counter()
        write_plan(store, plan, batch_size=1000)
        write_only = time.perf_counter() - start
    n = len(plan.episodes)
    print(f"{label:<10} write {n:,} episodes in batches of 1000: {n / write_only:>9,.0f} rows/s")
    with open_store(url) as store:
        start = time.perf_counter()
        write_plan(store, read_import_file(export_file), batch_size=1000)
        full = time.perf_counter() - start
    print(f"{label:<10} import file (read + validate + write):     {n / full:>9,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        bench_log(tmp)
        plan = ImportPlan(episodes=episodes(args.rows))
        with open_store(f"sqlite:///{tmp / 'source.sqlite3'}") as source:
            write_plan(source, plan, batch_size=10_000)
            export_file = tmp / "export.json"
            with export_file.open("w", encoding="utf-8") as out:
                write_json(source, out)
        bench_import("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", export_file, plan)
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"crampwise_bench_{uuid.uuid4().hex[:10]}"
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as exc:
            print(f"PostgreSQL skipped: unreachable at {PG_ADMIN} ({exc.orig})")
        else:
            try:
                url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
                bench_import("PostgreSQL", url, export_file, plan)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
