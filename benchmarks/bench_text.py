"""Text-reader benchmark: each figure next to a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_text.py [--seconds 2] [--runs 7]

- texts read/s over the texts of both public vignette files (one core), next to a baseline
  that only lower-cases and tokenises the same texts (a regex word split): the ratio is how
  many such passes one reading costs;
- CPU milliseconds to read a three-sentence text (target: under 5 ms);
- the added start-up: a process that imports the reader and reads one text, next to one that
  only loads the knowledge base (the lexicon and context rules are compiled on first use).
It reports; it never fails on a time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from benchlib import PYTHON, median_wall, per_second, print_rate, print_times
from crampwise.knowledge import load_knowledge
from crampwise.text import read_text

SHARED = Path(__file__).resolve().parents[2] / "shared" / "vignettes"
FILES = (SHARED / "public.jsonl", SHARED / "public-more.jsonl")
THREE_SENTENCES = (
    "My left calf cramps most nights and wakes me up, maybe four times a week. "
    "There's no swelling or redness and stretching helps within a minute. "
    "I've smoked for thirty years and take a water tablet for my blood pressure."
)
_WORD = re.compile(r"[\w']+")


def cpu_ms_per_read(text: str, seconds: float) -> float:
    """CPU time per reading: less disturbed than wall time on a busy machine."""
    kb = load_knowledge()
    read_text(text, age=60, kb=kb)
    count, start, wall = 0, time.process_time(), time.perf_counter()
    while time.perf_counter() - wall < seconds:
        read_text(text, age=60, kb=kb)
        count += 1
    return (time.process_time() - start) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each rate")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median)")
    args = parser.parse_args()
    missing = [f for f in FILES if not f.exists()]
    if missing:
        sys.exit(f"bench_text: the public vignettes are missing at {missing[0]}")
    kb = load_knowledge()
    rows = [json.loads(line) for f in FILES for line in f.read_text().splitlines() if line]
    texts = [(r["text"], r["case"]["age"], r["case"].get("sex")) for r in rows]

    def read_all() -> None:
        for text, age, sex in texts:
            read_text(text, age=age, sex=sex, kb=kb)

    def tokenise_all() -> None:
        for text, _, _ in texts:
            _WORD.findall(text.lower())

    read_all()  # compile the lexicon outside the timing
    rate = per_second(read_all, args.seconds) * len(texts)
    base = per_second(tokenise_all, args.seconds) * len(texts)
    print(f"text reader, one core, {len(texts)} public vignette texts")
    print_rate("read_text()", rate, "baseline: lower-case + tokenise", base, "texts/s")
    cpu = cpu_ms_per_read(THREE_SENTENCES, args.seconds)
    print(f"  {'a three-sentence text (CPU time)':<40} {cpu:>11.2f} ms (target < 5 ms)")

    reading = (
        "from crampwise.knowledge import load_knowledge; from crampwise.text import read_text; "
        f"read_text({THREE_SENTENCES!r}, age=60, kb=load_knowledge())"
    )
    commands = {
        "load the knowledge and read one text": [PYTHON, "-c", reading],
        "load the knowledge only": [
            PYTHON, "-c", "from crampwise.knowledge import load_knowledge; load_knowledge()"
        ],
    }  # fmt: skip
    medians = median_wall(commands, args.runs)
    print_times("start-up", medians, ["load the knowledge only"], args.runs)
    added = medians["load the knowledge and read one text"] - medians["load the knowledge only"]
    print(f"  {'added by the reader':<38} {added * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
