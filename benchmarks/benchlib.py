"""What every benchmark shares: timing, and a figure printed next to its same-run baseline.

A benchmark never passes or fails on an absolute time: machines differ and this one's speed
drifts. Each prints its figure beside a baseline measured in the same run on the same machine,
doing the same work by the plainest means, and their ratio.
"""

from __future__ import annotations

import os
import shutil
import socket
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


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now, for a server the benchmark starts."""
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def wrk_report(text: str) -> dict[str, float]:
    """The figures of one ``wrk --latency`` report: ``rps``, ``p50_ms``, ``p99_ms``,
    ``requests``, ``non_2xx`` and ``socket_errors`` (the last three 0 when not printed)."""
    found: dict[str, float] = {"non_2xx": 0, "socket_errors": 0, "requests": 0}
    for line in text.splitlines():
        parts = line.replace(",", "").split()
        if not parts:
            continue
        if parts[0] == "Requests/sec:":
            found["rps"] = float(parts[1])
        elif parts[0] in ("50%", "99%") and len(parts) == 2:
            found[f"p{parts[0][:-1]}_ms"] = wrk_ms(parts[1])
        elif parts[:3] == ["Non-2xx", "or", "3xx"]:
            found["non_2xx"] = float(parts[-1])
        elif parts[:2] == ["Socket", "errors:"]:
            # "Socket errors: connect 0, read 0, write 0, timeout 0"
            found["socket_errors"] = sum(float(p) for p in parts[2:] if p.isdigit())
        elif len(parts) > 3 and parts[1:3] == ["requests", "in"]:
            found["requests"] = float(parts[0])
    return found


def wrk_ms(text: str) -> float:
    """A wrk duration (``850.00us``, ``1.20ms``, ``1.01s``, ``2.00m``) in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("m", 60_000.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
