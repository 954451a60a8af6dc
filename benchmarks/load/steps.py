"""The measured part of the load test: every operation at once, one wrk process each.

A step gives the operations a number of connections in total, split evenly; each wrk runs
``--latency`` for the same seconds, so the figures of one step (ping included) share the
same moment of the same machine. wrk is a closed loop: each connection sends its next
request when the previous answer arrives, so throughput falls as latency rises.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchlib import wrk_report

LUA = Path(__file__).resolve().parent / "op.lua"
P99_LIMIT_MS = 250.0


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    bodies: Path | None = None
    """One JSON body a line, request k of an account sending line k (None: no body)."""
    authenticated: bool = True
    """Sends the accounts' tokens (the ping does not: it is the no-work baseline)."""


@dataclass(frozen=True)
class OpResult:
    op: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


@dataclass(frozen=True)
class Step:
    connections: int
    seconds: int
    results: list[OpResult]
    database: dict[str, float] = field(default_factory=dict)
    """What PostgreSQL counted during the step: new sessions (connections opened) and
    transactions per HTTP request (see run_load.database_counts)."""

    def worst_p99(self, *, include_ping: bool = False) -> float:
        return max((r.p99_ms for r in self.results if include_ping or r.op != "ping"), default=0.0)

    def to_dict(self) -> dict[str, object]:
        return {
            "connections": self.connections,
            "seconds": self.seconds,
            "results": [asdict(r) for r in self.results],
            "database": self.database,
        }


def split(total: int, parts: int) -> list[int]:
    """``total`` connections over ``parts`` operations, at least one each."""
    base, extra = divmod(max(total, parts), parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def run_step(base: str, ops: list[Operation], tokens: Path, connections: int, seconds: int) -> Step:
    shares = split(connections, len(ops))
    with tempfile.TemporaryDirectory() as tmp:
        procs: list[tuple[Operation, int, subprocess.Popen[str], Path]] = []
        for op, conns in zip(ops, shares, strict=True):
            out = Path(tmp) / f"{op.name.replace(' ', '_')}.txt"
            cmd = [
                "wrk",
                "-t1",
                f"-c{conns}",
                f"-d{seconds}s",
                "--timeout",
                "10s",  # a slow answer is a latency, not a "timeout" left out of the figures
                "--latency",
                "-s",
                str(LUA),
                base + op.path,
                "--",
                op.method,
                op.path,
                str(tokens) if op.authenticated else "",
                str(op.bodies or ""),
            ]
            with out.open("w") as sink:
                proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, text=True)
            procs.append((op, conns, proc, out))
        results = []
        for op, conns, proc, out in procs:
            try:
                proc.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            text = out.read_text()
            if proc.returncode != 0:
                raise RuntimeError(f"wrk for {op.name} failed ({proc.returncode}):\n{text}")
            results.append(parse_wrk(op.name, conns, text))
    return Step(sum(shares), seconds, results)


def parse_wrk(op: str, connections: int, text: str) -> OpResult:
    """The figures of one ``wrk --latency`` report."""
    found = wrk_report(text)
    missing = {"rps", "p50_ms", "p99_ms"} - found.keys()
    if missing:
        raise RuntimeError(f"wrk for {op} printed no {', '.join(sorted(missing))}:\n{text}")
    return OpResult(
        op=op,
        connections=connections,
        requests=int(found["requests"]),
        rps=found["rps"],
        p50_ms=found["p50_ms"],
        p99_ms=found["p99_ms"],
        non_2xx=int(found["non_2xx"]),
        socket_errors=int(found["socket_errors"]),
    )


def table(step: Step) -> str:
    head = (
        f"{'operation':<16}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'non-2xx':>9}{'sock err':>9}"
    )
    db = step.database
    counted = (
        f"; PostgreSQL: {db['sessions']:.0f} connections opened, "
        f"{db['transactions_per_request']:.2f} transactions a request"
        if db
        else ""
    )
    lines = [f"-- {step.connections} connections, {step.seconds} s{counted} --", head]
    for r in step.results:
        flag = "  > 250 ms" if r.p99_ms > P99_LIMIT_MS else ""
        lines.append(
            f"{r.op:<16}{r.connections:>6}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}"
            f"{r.non_2xx:>9}{r.socket_errors:>9}{flag}"
        )
    return "\n".join(lines)
