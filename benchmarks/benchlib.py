"""What every benchmark shares: timing, and a figure printed next to its same-run baseline.

A benchmark never passes or fails on an absolute time: machines differ and this one's speed
drifts. Each prints its figure beside a baseline measured in the same run on the same machine,
doing the same work by the plainest means, and their ratio.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PYTHON = sys.executable
CRAMPWISE_MAIN = "from crampwise.cli import main; main()"


def crampwise_command() -> list[str]:
    """The installed console script, as a user runs it; `python -c` when it is missing."""
    script = shutil.which("crampwise", path=str(Path(PYTHON).parent))
    return [script] if script else [PYTHON, "-c", CRAMPWISE_MAIN]


def wall_seconds(argv: list[str], env: dict[str, str] | None = None) -> float:
    """One run of a command, start to exit, with its output discarded."""
    start = time.perf_counter()
    subprocess.run(
        argv,
        env=env if env is not None else dict(os.environ),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def median_wall(
    commands: dict[str, list[str]], runs: int, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Median wall time of each command; runs alternate, so a drift hits every command alike."""
    for argv in commands.values():
        wall_seconds(argv, env)  # warm the OS file cache and .pyc files, untimed
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(wall_seconds(argv, env))
    return {name: statistics.median(t) for name, t in times.items()}


def per_second(fn: Callable[[], object], seconds: float = 2.0) -> float:
    """Calls of ``fn`` per second over about ``seconds``."""
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        count += 1
    return count / elapsed


def print_times(title: str, medians: dict[str, float], baselines: list[str], runs: int) -> None:
    """Each command's median; the measured ones also as a ratio to each baseline command."""
    print(f"{title} (median of {runs} alternating runs)")
    for name, seconds in medians.items():
        ratios = (
            ""
            if name in baselines
            else "  ".join(f"{seconds / medians[b]:5.2f}x {b}" for b in baselines)
        )
        print(f"  {name:<38} {seconds * 1000:6.0f} ms  {ratios}".rstrip())


def print_rate(
    name: str, rate: float, baseline: str, base_rate: float, unit: str, base_unit: str = ""
) -> None:
    """A throughput next to its baseline's, and their ratio."""
    print(f"  {name:<40} {rate:>11,.0f} {unit}")
    print(f"  {baseline:<40} {base_rate:>11,.0f} {base_unit or unit}")
    print(f"  {'ratio':<40} {rate / base_rate:>11.3f}")
