"""Diary benchmarks: each figure next to a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_diary.py [--rows 50000] [--runs 5]

- `crampwise log` as a process, next to `python -c pass` and `python -c "import sqlalchemy"`;
- bulk import rows/s, on SQLite and on PostgreSQL, next to a plain driver `executemany` of the
  same rows, in batches of the same size and one transaction, into the same kind of database.
Every measured run writes into a fresh, empty database, so none measures an import whose rows
are all skipped as already there. PostgreSQL is used at CRAMPWISE_TEST_POSTGRES_URL (default
127.0.0.1:5432), and left out, with the reason, when unreachable. It never fails on a time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from benchlib import (
    PYTHON,
    crampwise_command,
    median_wall,
    print_rate,
    print_times,
    wall_seconds,
)
from crampwise.diary.records import SITES, Episode
from crampwise.diary.store import open_store
from crampwise.diary.transfer import ImportPlan, read_import_file, write_json, write_plan

PG_ADMIN = os.environ.get(
    "CRAMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BATCH = 1000
NewDatabase = Callable[[], Any]  # a context manager yielding a fresh database URL


def bench_log(tmp: Path, runs: int) -> None:
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{tmp / 'log.sqlite3'}"}
    log = [*crampwise_command(), "log", "--site", "toes", "--severity", "6", "--minutes", "2"]
    first = wall_seconds(log, env)  # the first log creates the diary and migrates it
    commands = {
        "crampwise log": log,
        "python -c pass": [PYTHON, "-c", "pass"],
        'python -c "import sqlalchemy"': [PYTHON, "-c", "import sqlalchemy"],
    }
    medians = median_wall(commands, runs, env)
    print_times("start-up", medians, ["python -c pass", 'python -c "import sqlalchemy"'], runs)
    print(f"  (the first `crampwise log`, which creates and migrates the diary: {first:.2f} s)")


def episodes(n: int) -> list[Episode]:
    rng = random.Random(7)
    start = datetime(2021, 1, 1)
    return [
        Episode(
            started_at=start + timedelta(minutes=rng.randrange(1_500_000)),  # about 3 years
            duration_minutes=round(rng.uniform(0.2, 10), 1),
            sites=(rng.choice(SITES),),
            severity=rng.randrange(11),
            helped=rng.choice((None, True, False)),
        )
        for _ in range(n)
    ]


@contextmanager
def sqlite_database(tmp: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp / f'{uuid.uuid4().hex}.sqlite3'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"crampwise_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed_write(new_db: NewDatabase, plan: Callable[[], ImportPlan]) -> float:
    """Seconds to write ``plan()`` (reading included) into a fresh, migrated diary."""
    with new_db() as url, open_store(url) as store:
        start = time.perf_counter()
        write_plan(store, plan(), batch_size=BATCH)
        return time.perf_counter() - start


PLAIN_COLUMNS = (
    "started_at, duration_minutes, sites, severity, side, activity, actions, helped, note"
)


def plain_rows(eps: list[Episode], as_text: bool) -> list[tuple[object, ...]]:
    return [
        (
            e.started_at.isoformat(sep=" ") if as_text else e.started_at,
            e.duration_minutes,
            json.dumps(list(e.sites)),
            e.severity,
            e.side,
            e.activity,
            json.dumps(list(e.actions)),
            e.helped,
            e.note,
        )
        for e in eps
    ]


def timed_plain_sqlite(url: str, eps: list[Episode]) -> float:
    rows = plain_rows(eps, as_text=True)
    with sqlite3.connect(make_url(url).database or "") as conn:
        conn.execute(
            "CREATE TABLE episodes (id INTEGER PRIMARY KEY, started_at TEXT, "
            "duration_minutes REAL, sites TEXT, severity INTEGER, side TEXT, activity TEXT, "
            "actions TEXT, helped INTEGER, note TEXT)"
        )
        start = time.perf_counter()
        insert = f"INSERT INTO episodes ({PLAIN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        for i in range(0, len(rows), BATCH):
            conn.executemany(insert, rows[i : i + BATCH])
        conn.commit()
        return time.perf_counter() - start


def timed_plain_postgres(url: str, eps: list[Episode]) -> float:
    import psycopg

    rows = plain_rows(eps, as_text=False)
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE episodes (id SERIAL PRIMARY KEY, started_at TIMESTAMP, "
            "duration_minutes DOUBLE PRECISION, sites JSON, severity INTEGER, "
            "side VARCHAR(16), activity VARCHAR(32), actions JSON, helped BOOLEAN, note TEXT)"
        )
        conn.commit()
        start = time.perf_counter()
        insert = (
            f"INSERT INTO episodes ({PLAIN_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        for i in range(0, len(rows), BATCH):
            cur.executemany(insert, rows[i : i + BATCH])
        conn.commit()
        return time.perf_counter() - start


def bench_import(
    label: str,
    new_db: NewDatabase,
    plain: Callable[[str, list[Episode]], float],
    plan: ImportPlan,
    export_file: Path,
) -> None:
    n = len(plan.episodes)
    with new_db() as url:
        baseline = n / plain(url, list(plan.episodes))
    write = n / timed_write(new_db, lambda: plan)
    full = n / timed_write(new_db, lambda: read_import_file(export_file))
    print(f"{label}: {n:,} episodes into an empty database, batches of {BATCH}, one transaction")
    plain_name = "plain executemany (baseline)"
    print_rate("write checked records (write_plan)", write, plain_name, baseline, "rows/s")
    print_rate("import the file (read + check + write)", full, plain_name, baseline, "rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="episodes to import")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        bench_log(tmp, args.runs)
        plan = ImportPlan(episodes=episodes(args.rows))
        export_file = tmp / "export.json"
        with open_store(f"sqlite:///{tmp / 'source.sqlite3'}") as source:
            write_plan(source, plan, batch_size=10_000)
            with export_file.open("w", encoding="utf-8") as out:
                write_json(source, out)
        bench_import("SQLite", lambda: sqlite_database(tmp), timed_plain_sqlite, plan, export_file)
        try:
            with postgres_database():
                pass
        except OperationalError as exc:
            print(f"PostgreSQL left out: unreachable at {PG_ADMIN} ({exc.orig})")
            return
        bench_import("PostgreSQL", postgres_database, timed_plain_postgres, plan, export_file)


if __name__ == "__main__":
    main()
