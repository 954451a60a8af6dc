"""Benchmark the JSON API on loopback: POST /api/v1/assessments against a bare endpoint.

    .venv/bin/python benchmarks/bench_api.py [--seconds 10] [--concurrency 16]

Starts uvicorn in a subprocess on 127.0.0.1 (a temp diary), then runs the load client in a
second process (asyncio + httpx), each measurement bounded in time:

1. GET /api/v1/ping (no work, the baseline) and POST /api/v1/assessments with a public
   vignette case, each at full speed: requests/s, p50, p99, and the throughput ratio;
2. the same two at a fixed 200 requests/s: the ratio of their p99 latencies;
3. with Debian's wrk installed, alternating wrk runs of the two, for the server's own limit.
It reports ratios to the bare endpoint measured in the same run; it never fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import free_port, wrk_report

HOST = "127.0.0.1"
VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes" / "public.jsonl"
FALLBACK_CASE = {
    "age": 67,
    "sex": "male",
    "findings": {"site_calf": True, "timing_walking": True, "walking_same_distance": True},
}


def _case() -> dict[str, Any]:
    if VIGNETTES.exists():
        first = json.loads(VIGNETTES.read_text(encoding="utf-8").splitlines()[9])
        case: dict[str, Any] = first["case"]  # p10: a "doctor" case with several causes
        return case
    return FALLBACK_CASE


async def _load(
    url: str, method: str, body: bytes | None, seconds: float, concurrency: int, rate: float | None
) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    headers = {"content-type": "application/json"}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=5.0) as client:

        async def one() -> None:
            nonlocal errors
            t0 = time.perf_counter()
            response = await client.request(method, url, content=body, headers=headers)
            latencies.append(time.perf_counter() - t0)
            if response.status_code != 200:
                errors += 1

        async def worker() -> None:
            while time.perf_counter() < deadline:
                await one()

        start = time.perf_counter()
        if rate is None:
            await asyncio.gather(*(worker() for _ in range(concurrency)))
        else:
            # Open-loop: send on a fixed schedule, whatever the latency.
            tasks = []
            n = 0
            while (now := time.perf_counter()) < deadline:
                due = start + n / rate
                if due > now:
                    await asyncio.sleep(due - now)
                tasks.append(asyncio.create_task(one()))
                n += 1
            await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def _client(args: tuple[Any, ...], out: Any) -> None:
    out.put(asyncio.run(_load(*args)))


def measure(*args: Any) -> dict[str, float]:
    """Run the load client in its own process, so it does not share a CPU with the server."""
    queue: multiprocessing.Queue[dict[str, float]] = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_client, args=(args, queue))
    proc.start()
    result = queue.get(timeout=float(args[3]) + 60)
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measurement")
    parser.add_argument("--concurrency", type=int, default=16, help="connections at full speed")
    opts = parser.parse_args()
    port = free_port(HOST)
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{Path(tmp) / 'd.sqlite3'}"}
        server = subprocess.Popen(
            [sys.executable, "-c", "from crampwise.cli import main; main()", "serve"]
            + ["--host", HOST, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, server)
            body = json.dumps(_case()).encode()
            ping = measure(f"{base}/api/v1/ping", "GET", None, opts.seconds, opts.concurrency, None)
            assess = measure(
                f"{base}/api/v1/assessments", "POST", body, opts.seconds, opts.concurrency, None
            )
            paced = measure(f"{base}/api/v1/assessments", "POST", body, opts.seconds, 64, 200.0)
            paced_ping = measure(f"{base}/api/v1/ping", "GET", None, opts.seconds, 64, 200.0)
            wrk = None
            if shutil.which("wrk"):
                # wrk is a much faster client than httpx: it shows the server's own limit. This
                # machine's speed drifts from second to second, so short runs of the two
                # endpoints alternate and each is summarised by its median.
                runs: list[tuple[dict[str, float], dict[str, float]]] = []
                for _ in range(WRK_ROUNDS):
                    bare = _wrk(f"{base}/api/v1/ping", None, WRK_SECONDS, opts.concurrency, tmp)
                    work = _wrk(
                        f"{base}/api/v1/assessments", body, WRK_SECONDS, opts.concurrency, tmp
                    )
                    runs.append((bare, work))
                wrk = (_median_run([r[0] for r in runs]), _median_run([r[1] for r in runs]))
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name, r in (("GET /api/v1/ping", ping), ("POST /api/v1/assessments", assess)):
        print(
            f"{name:<26} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   "
            f"p99 {r['p99_ms']:6.2f} ms   ({r['requests']:.0f} requests, {r['errors']:.0f} errors)"
        )
    for name, r in (("ping @ 200 req/s", paced_ping), ("assessments @ 200 req/s", paced)):
        print(
            f"{name:<26} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   "
            f"p99 {r['p99_ms']:6.2f} ms   ({r['errors']:.0f} errors)"
        )
    print(f"ratio assessments/ping throughput: {assess['rps'] / ping['rps']:.2f}")
    print(f"ratio assessments/ping p99 at 200 req/s: {paced['p99_ms'] / paced_ping['p99_ms']:.2f}")
    if wrk is None:
        print("wrk: not installed (Debian package 'wrk'); the httpx client above may be the limit")
        return
    for name, r in zip(("GET /api/v1/ping", "POST /api/v1/assessments"), wrk, strict=True):
        print(
            f"wrk {name:<22} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   "
            f"p99 {r['p99_ms']:6.2f} ms"
        )
    print(
        f"wrk ratio assessments/ping throughput: {wrk[1]['rps'] / wrk[0]['rps']:.2f} "
        f"(median of {WRK_ROUNDS} alternating {WRK_SECONDS} s runs each)"
    )


WRK_ROUNDS = 5
WRK_SECONDS = 3


def _median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


WRK_POST = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("{body}"):read("*a")
"""


def _wrk(
    url: str, body: bytes | None, seconds: float, connections: int, tmp: str
) -> dict[str, float]:
    """One bounded wrk run on loopback; requests/s and p50/p99 latency in ms."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, int(seconds))}s", "--latency"]
    if body is not None:
        body_file = Path(tmp) / "body.json"
        body_file.write_bytes(body)
        script = Path(tmp) / "post.lua"
        script.write_text(WRK_POST.format(body=body_file))
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    report = wrk_report(out)
    return {key: report[key] for key in ("rps", "p50_ms", "p99_ms") if key in report}


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited before it was ready")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start within 20 s")


if __name__ == "__main__":
    main()
