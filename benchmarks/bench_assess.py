"""Assessment-core benchmark: prints ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_assess.py

- assessments per second, in-process, over the public vignettes (one core);
- interview steps per second (choosing the next question);
- `crampwise --help` wall time next to a bare `python -c pass`.
Not a timed test: it reports, it does not fail.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.engine.interview import InterviewState, dont_know, next_question
from crampwise.knowledge import load_knowledge

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes" / "public.jsonl"


def _per_second(fn: object, seconds: float = 2.0) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()  # type: ignore[operator]
        count += 1
    return count / elapsed


def _wall(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    kb = load_knowledge()
    raw = [json.loads(line)["case"] for line in VIGNETTES.read_text().splitlines() if line]
    cases = [parse_case(c, kb) for c in raw]

    def assess_all() -> None:
        for case in cases:
            assess(case, kb)

    def parse_and_assess_all() -> None:
        for c in raw:
            assess(parse_case(c, kb), kb)

    rate = _per_second(assess_all) * len(cases)
    rate_parsed = _per_second(parse_and_assess_all) * len(cases)
    print(
        f"assessments/s (one core, {len(cases)} public vignettes): {rate:,.0f}  (target >= 5,000)"
    )
    print(f"assessments/s including case validation:               {rate_parsed:,.0f}")

    states = []
    state = InterviewState(age=60, sex="female")
    while (q := next_question(state, kb)) is not None:
        states.append(state)
        state = state.answer(dont_know(q))
    step_index = 0

    def one_step() -> None:
        nonlocal step_index
        next_question(states[step_index % len(states)], kb)
        step_index += 1

    print(f"interview steps/s (next-question choice):              {_per_second(one_step):,.0f}")

    exe = shutil.which("crampwise") or str(Path(sys.executable).parent / "crampwise")
    bare = _wall([sys.executable, "-c", "pass"])
    helped = _wall([exe, "--help"])
    print(
        f"`crampwise --help`: {helped * 1000:.0f} ms vs bare python {bare * 1000:.0f} ms: "
        f"+{(helped - bare) * 1000:.0f} ms, ratio {helped / bare:.2f}  (target: within +300 ms)"
    )


if __name__ == "__main__":
    main()
