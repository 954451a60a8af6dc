"""Time `crampwise insights` as a cold process on a 10-year synthetic diary.

Run: .venv/bin/python benchmarks/bench_insights.py [--runs 5] [--days 3650]

Builds the diary in a temporary SQLite store, then runs the command in fresh
subprocesses next to a bare `python -c pass`, and prints the medians and their ratio.
The target is under 2 s for the command, imports included. Not a timed test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TARGET_SECONDS = 2.0
_MAIN = "from crampwise.cli import main; main()"


def _time(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--days", type=int, default=3650, help="days in the synthetic diary")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the synthetic diary")
    args = parser.parse_args()

    from crampwise.analysis.synthetic import generate_diary
    from crampwise.diary.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="crampwise-bench-"))
    try:
        url = f"sqlite:///{tmp / 'diary.sqlite3'}"
        days, episodes = generate_diary(args.seed, args.days, end=date.today() - timedelta(days=1))
        with open_store(url) as store:
            store.set_days(days)
            store.add_episodes(episodes)
        print(f"diary: {len(days)} days with factors, {len(episodes)} episodes ({args.days} days)")

        env = dict(os.environ, CRAMPWISE_DATABASE_URL=url)
        exe = str(Path(sys.executable))
        # The installed console script, as a user runs it; `python -c` if it is missing.
        script = shutil.which("crampwise", path=str(Path(exe).parent))
        insights = [script, "insights"] if script else [exe, "-c", _MAIN, "insights"]
        _time(insights, env)  # warm the OS file cache and .pyc files once, untimed
        bare = [_time([exe, "-c", "pass"], env) for _ in range(args.runs)]
        runs = [_time(insights, env) for _ in range(args.runs)]
        bare_s, insights_s = statistics.median(bare), statistics.median(runs)
        print(f"python -c pass      median {bare_s:.3f} s  ({', '.join(f'{t:.3f}' for t in bare)})")
        print(
            f"crampwise insights  median {insights_s:.3f} s  "
            f"({', '.join(f'{t:.3f}' for t in runs)})"
        )
        print(f"ratio insights / bare python: {insights_s / bare_s:.1f}x")
        verdict = "OK" if insights_s < TARGET_SECONDS else "TOO SLOW"
        print(f"target < {TARGET_SECONDS:.1f} s: {verdict}")
        return 0 if insights_s < TARGET_SECONDS else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
