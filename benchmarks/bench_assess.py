"""Assessment-core benchmark: each figure next to a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_assess.py [--seconds 2] [--runs 7]

- assessments/s over the public vignettes (one core), next to a reference loop over the same
  cases that only looks up, in plain dicts, every finding each cause's evidence and each triage
  rule reads: the ratio is how many such lookup passes one assessment costs;
- interview steps/s (choosing the next question), next to assessments/s;
- `crampwise --help` as a process, next to `python -c pass` and `python -c "import click"`.
It reports; it never fails on a time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchlib import PYTHON, crampwise_command, median_wall, per_second, print_rate, print_times
from crampwise.case import parse_case
from crampwise.engine.assess import assess
from crampwise.engine.interview import InterviewState, dont_know, next_question
from crampwise.knowledge import KnowledgeBase, load_knowledge

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes" / "public.jsonl"


def reference_reads(kb: KnowledgeBase) -> list[str]:
    """Every finding id that cause evidence and triage rules read, once per reading."""
    reads = [fid for cause in kb.causes for ev in cause.evidence for fid in ev.when.findings()]
    return reads + [fid for rule in kb.rules for fid in rule.when.findings()]


def bench_assessments(kb: KnowledgeBase, raw: list[dict[str, object]], seconds: float) -> None:
    cases = [parse_case(c, kb) for c in raw]
    plain = [dict(c.findings) for c in cases]
    reads = reference_reads(kb)

    def assess_all() -> None:
        for case in cases:
            assess(case, kb)

    def reference_all() -> None:
        for findings in plain:
            for fid in reads:
                findings.get(fid)

    rate = per_second(assess_all, seconds) * len(cases)
    reference = per_second(reference_all, seconds) * len(cases)
    print(f"assessments, one core, {len(cases)} public vignettes ({len(reads)} reads per pass)")
    print_rate("assess()", rate, "reference: a dict lookup per read", reference, "cases/s")
    parsed = per_second(lambda: [assess(parse_case(c, kb), kb) for c in raw], seconds)
    print_rate("parse_case() + assess()", parsed * len(cases), "assess() alone", rate, "cases/s")

    states = []
    state = InterviewState(age=60, sex="female")
    while (q := next_question(state, kb)) is not None:
        states.append(state)
        state = state.answer(dont_know(q))
    steps = per_second(lambda: [next_question(s, kb) for s in states], seconds) * len(states)
    print(f'interview, {len(states)} steps answering "don\'t know"')
    print_rate("next_question()", steps, "assess()", rate, "steps/s", "cases/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each rate")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median)")
    args = parser.parse_args()
    if not VIGNETTES.exists():
        sys.exit(f"bench_assess: the public vignettes are missing at {VIGNETTES}")
    kb = load_knowledge()
    raw = [json.loads(line)["case"] for line in VIGNETTES.read_text().splitlines() if line]
    bench_assessments(kb, raw, args.seconds)
    commands = {
        "crampwise --help": [*crampwise_command(), "--help"],
        "python -c pass": [PYTHON, "-c", "pass"],
        'python -c "import click"': [PYTHON, "-c", "import click"],
    }
    medians = median_wall(commands, args.runs)
    print_times("start-up", medians, ["python -c pass", 'python -c "import click"'], args.runs)


if __name__ == "__main__":
    main()
