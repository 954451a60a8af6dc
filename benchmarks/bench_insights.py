"""`crampwise insights` as a cold process on a 10-year synthetic diary, next to baselines.

    .venv/bin/python benchmarks/bench_insights.py [--runs 5] [--days 3650]

Builds the diary in a temporary SQLite store, then runs the command in fresh processes,
alternating with `python -c pass`, `python -c "import sqlalchemy"` and
`python -c "import numpy, sqlalchemy"` (the libraries the command cannot do without), and
prints the medians and the ratios. It reports; it never fails on a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchlib import PYTHON, crampwise_command, median_wall, print_times

BASELINES = {
    "python -c pass": [PYTHON, "-c", "pass"],
    'python -c "import sqlalchemy"': [PYTHON, "-c", "import sqlalchemy"],
    'python -c "import numpy, sqlalchemy"': [PYTHON, "-c", "import numpy, sqlalchemy"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--days", type=int, default=3650, help="days in the synthetic diary")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the synthetic diary")
    args = parser.parse_args()

    from crampwise.analysis.synthetic import generate_diary
    from crampwise.diary.factors import load_factors
    from crampwise.diary.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="crampwise-bench-"))
    try:
        url = f"sqlite:///{tmp / 'diary.sqlite3'}"
        days, episodes = generate_diary(
            args.seed, args.days, end=date.today() - timedelta(days=1), factors=load_factors()
        )
        with open_store(url) as store:
            store.set_days(days)
            store.add_episodes(episodes)
        print(f"diary: {len(days)} days with factors, {len(episodes)} episodes ({args.days} days)")
        env = dict(os.environ, CRAMPWISE_DATABASE_URL=url)
        commands = {"crampwise insights": [*crampwise_command(), "insights"], **BASELINES}
        medians = median_wall(commands, args.runs, env)
        print_times("cold process", medians, list(BASELINES), args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
