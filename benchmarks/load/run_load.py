"""Load test of the multi-user service: many accounts, a realistic mix, wrk, on loopback.

    .venv/bin/python benchmarks/load/run_load.py [--accounts 500] [--workers 4]
        [--steps 8,16,32,64,128] [--duration 10] [--json OUT]

1. creates a fresh PostgreSQL database (dropped at the end, with its app role);
2. starts ``crampwise serve --multi-user --workers N`` on a free loopback port, the app
   connecting as a role that is neither superuser nor table owner;
3. signs up ``--accounts`` people with a token each (argon2id at production cost) and
   writes each a diary of ``--seed-days`` days through the API;
4. then, for each step of total connections, runs one wrk per operation at once — log a
   cramp, history, insights, an assessment, an interview step, and the bare ping — each
   request as the next account's token, and prints requests/s, p50 and p99 per operation
   beside the same-run ping, and the first step where an operation's p99 passes 250 ms.

Loopback only, every phase bounded in time. Needs wrk (Debian package ``wrk``) and the
PostgreSQL server at CRAMPWISE_TEST_POSTGRES_URL (superuser; default postgres@127.0.0.1).
``--local`` measures the single-user local mode instead (one diary, no accounts): a
baseline, and a way to debug the harness.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

# benchmarks/ (benchlib: what every benchmark shares) beside this script's own folder.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from population import (  # noqa: E402
    assessment_body,
    cramp_bodies,
    create_accounts,
    interview_body,
    seed_diaries,
)
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from steps import P99_LIMIT_MS, Operation, Step, run_step, table  # noqa: E402

from benchlib import free_port  # noqa: E402

HOST = "127.0.0.1"
ADMIN_URL = os.environ.get(
    "CRAMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
START_TIMEOUT = 90.0  # workers migrate and provision the role at start
WARMUP_SECONDS = 3
WARMUP_CONNECTIONS_PER_OP = 4


@contextmanager
def fresh_database(admin_url: str) -> Iterator[tuple[str, str, str]]:
    """A new database and a role name for the app: (admin URL on it, app URL, its name)."""
    name = f"crampwise_load_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    on_db = make_url(admin_url).set(database=name)
    # The server creates this role at start (from CRAMPWISE_ADMIN_DATABASE_URL): a login
    # role that is neither superuser nor table owner, so row-level security binds it.
    app = on_db.set(username=f"{name}_app", password=secrets.token_hex(18))
    try:
        yield (
            on_db.render_as_string(hide_password=False),
            app.render_as_string(hide_password=False),
            name,
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}_app"'))
        admin.dispose()


def database_counts(admin_url: str, name: str) -> tuple[int, int]:
    """Sessions opened and transactions ended in database ``name`` so far (PostgreSQL's
    cumulative statistics): counts that a busy machine does not blur, unlike times."""
    time.sleep(2)  # a backend reports its counts within a second of going idle
    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT sessions, xact_commit + xact_rollback FROM pg_stat_database"
                    " WHERE datname = :name"
                ),
                {"name": name},
            ).one()
    finally:
        engine.dispose()
    return int(row[0]), int(row[1])


@contextmanager
def server(
    env: dict[str, str], args: list[str], port: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    cmd = [sys.executable, "-c", "from crampwise.cli import main; main()", "serve"]
    cmd += ["--host", HOST, "--port", str(port), *args]
    with log.open("wb") as sink:
        # Its own process group: stopping it stops its workers, and nothing else.
        proc = subprocess.Popen(
            cmd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_ready(proc, port, log)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}):\n{_tail(log)}")
        try:
            if httpx.get(f"http://{HOST}:{port}/api/v1/ping", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {START_TIMEOUT:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _write_lines(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return path


OPERATIONS = ("ping", "log cramp", "history", "insights", "assessment", "interview step")


def operations(folder: Path, accounts: int) -> list[Operation]:
    one = json.dumps  # one JSON document a line for op.lua
    return [
        Operation("ping", "GET", "/api/v1/ping", authenticated=False),
        Operation(
            "log cramp",
            "POST",
            "/api/v1/episodes",
            _write_lines(
                folder / "cramps.jsonl", [one(b) for b in cramp_bodies(accounts, datetime.now())]
            ),
        ),
        Operation("history", "GET", "/api/v1/episodes?limit=20"),
        Operation("insights", "GET", "/api/v1/insights"),
        Operation(
            "assessment",
            "POST",
            "/api/v1/assessments",
            _write_lines(folder / "case.jsonl", [one(assessment_body())]),
        ),
        Operation(
            "interview step",
            "POST",
            "/api/v1/interview/next",
            _write_lines(folder / "interview.jsonl", [one(interview_body())]),
        ),
    ]


def measure(
    base: str, ops: list[Operation], tokens: Path, opts: argparse.Namespace, name: str
) -> list[Step]:
    """Every step of ``--steps``, printed as it ends, with PostgreSQL's counts of it."""
    # Warm-up, not reported: each worker imports the analysis and fills its pool on its first
    # requests, which would otherwise land in the first step's p99.
    run_step(base, ops, tokens, WARMUP_CONNECTIONS_PER_OP * len(ops), WARMUP_SECONDS)
    steps: list[Step] = []
    for connections in [int(s) for s in opts.steps.split(",") if s.strip()]:
        before = database_counts(opts.admin_url, name)
        step = run_step(base, ops, tokens, connections, opts.duration)
        after = database_counts(opts.admin_url, name)
        requests = sum(r.requests for r in step.results if r.op != "ping")
        step.database.update(
            sessions=after[0] - before[0],
            transactions_per_request=(after[1] - before[1]) / max(requests, 1),
        )
        print(table(step), flush=True)
        steps.append(step)
    return steps


def summary(steps: list[Step]) -> dict[str, Any]:
    """The steps as JSON, and the first where an operation's p99 passed 250 ms (printed)."""
    first = next((s for s in steps if s.worst_p99() > P99_LIMIT_MS), None)
    if first is None:
        top = steps[-1].connections if steps else 0
        print(f"no operation's p99 passed {P99_LIMIT_MS:.0f} ms up to {top} connections")
    else:
        slow = [r.op for r in first.results if r.op != "ping" and r.p99_ms > P99_LIMIT_MS]
        where = f"{first.connections} connections: {', '.join(slow)}"
        print(f"p99 first passed {P99_LIMIT_MS:.0f} ms at {where}")
    return {
        "steps": [s.to_dict() for s in steps],
        "p99_over_250ms_at": first.connections if first else None,
    }


def server_env(opts: argparse.Namespace, admin_url: str, app_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    if opts.local:
        return env | {"CRAMPWISE_DATABASE_URL": admin_url}
    env |= {
        "CRAMPWISE_DATABASE_URL": app_url,
        "CRAMPWISE_ADMIN_DATABASE_URL": admin_url,
        "CRAMPWISE_SECRET_KEY": secrets.token_urlsafe(48),
        "CRAMPWISE_ALLOWED_HOSTS": f"{HOST},localhost",
    }
    if opts.redis_url:
        env["CRAMPWISE_REDIS_URL"] = opts.redis_url
    for key in TUNING:
        if key in os.environ:  # the settings under test pass through
            env[key] = os.environ[key]
    return env


TUNING = (
    "CRAMPWISE_DB_POOL_SIZE",
    "CRAMPWISE_DB_MAX_OVERFLOW",
    "CRAMPWISE_DB_PING_AFTER_IDLE",
    "CRAMPWISE_INSIGHTS_CACHE_SIZE",
)


def run(opts: argparse.Namespace) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make system-deps` (Debian package wrk).")
    report: dict[str, Any] = {"accounts": opts.accounts, "workers": opts.workers, "setup": {}}
    port = free_port(HOST)
    base = f"http://{HOST}:{port}"
    accounts = 1 if opts.local else opts.accounts
    args = [] if opts.local else ["--multi-user", "--workers", str(opts.workers)]
    with tempfile.TemporaryDirectory() as tmp, fresh_database(opts.admin_url) as db:
        folder = Path(tmp)
        admin_url, app_url, name = db
        env = server_env(opts, admin_url, app_url)
        print(f"database {name}; server on {base}", flush=True)
        with server(env, args, port, folder / "server.log"):
            tokens = ["local"]
            if not opts.local:
                tokens, timed = create_accounts(base, accounts, opts.setup_concurrency, name)
                print(timed.line(f"{accounts} accounts + tokens (argon2id)"), flush=True)
                report["setup"]["accounts"] = vars(timed)
            timed = seed_diaries(base, tokens, opts.seed_days, opts.setup_concurrency)
            print(timed.line(f"diaries of {opts.seed_days} days"), flush=True)
            report["setup"]["seeding"] = vars(timed)
        token_file = _write_lines(folder / "tokens.txt", tokens)
        ops = [op for op in operations(folder, accounts) if op.name in opts.ops]
        if opts.baseline_env:
            # The same people and diaries, a server restarted with the baseline settings.
            changed = dict(item.split("=", 1) for item in opts.baseline_env)
            print(f"== baseline: {' '.join(opts.baseline_env)}", flush=True)
            with server(env | changed, args, port, folder / "baseline.log"):
                steps = measure(base, ops, token_file, opts, name)
            report["baseline"] = {"env": changed, **summary(steps)}
            print("== as configured", flush=True)
        with server(env, args, port, folder / "measured.log"):
            steps = measure(base, ops, token_file, opts, name)
        report |= summary(steps)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500, help="simulated people")
    parser.add_argument("--workers", type=int, default=4, help="server worker processes")
    parser.add_argument("--steps", default="8,16,32,64,128", help="total connections per step")
    parser.add_argument("--duration", type=int, default=10, help="seconds per step")
    parser.add_argument("--seed-days", type=int, default=21, help="days of diary per person")
    parser.add_argument("--setup-concurrency", type=int, default=16, help="parallel setup requests")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--redis-url", help="CRAMPWISE_REDIS_URL for the server (default: none)")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="a PostgreSQL superuser URL")
    parser.add_argument("--local", action="store_true", help="the single-user local mode instead")
    parser.add_argument(
        "--baseline-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="measure first with these server settings (repeatable), then as configured, "
        "on the same accounts: before/after figures from one set-up",
    )
    parser.add_argument(
        "--ops",
        default=",".join(OPERATIONS),
        help=f"comma-separated operations to measure (default all: {', '.join(OPERATIONS)})",
    )
    opts = parser.parse_args()
    opts.ops = [name.strip() for name in opts.ops.split(",") if name.strip()]
    if any(not item.startswith("CRAMPWISE_") or "=" not in item for item in opts.baseline_env):
        parser.error("--baseline-env takes CRAMPWISE_NAME=VALUE")
    if not opts.ops or set(opts.ops) - set(OPERATIONS):
        parser.error(f"--ops takes names from: {', '.join(OPERATIONS)}")
    if opts.accounts < 1 or opts.duration < 1 or opts.seed_days < 1:
        parser.error("--accounts, --duration and --seed-days must be at least 1")
    report = run(opts)
    if opts.json:
        opts.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
