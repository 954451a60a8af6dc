"""The diary's wall-clock times survive a FHIR round trip in any time zone, including the hour
that does not exist and the hour that happens twice when the clocks change."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from crampwise.diary.records import Episode
from crampwise.fhir import build_bundle, plan_from_bundle


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is POSIX only")
@pytest.mark.parametrize(
    "wall",
    [
        datetime(2025, 3, 30, 2, 30),  # skipped: clocks go from 02:00 to 03:00
        datetime(2025, 10, 26, 2, 30),  # happens twice
        datetime(2025, 7, 1, 23, 59, 59, 999999),
        datetime(1990, 1, 1, 0, 0),
    ],
)
def test_wall_clock_digits_come_back(berlin: None, wall: datetime) -> None:
    episode = Episode(wall, 12.25, ("calf",), 5)
    bundle = json.loads(json.dumps(build_bundle([episode], [], [])))
    start = next(e["resource"] for e in bundle["entry"] if "effectivePeriod" in e["resource"])[
        "effectivePeriod"
    ]["start"]
    assert start.startswith(wall.isoformat())  # the digits as written, then an offset
    assert start[-6:] in ("+01:00", "+02:00")
    assert plan_from_bundle(bundle).episodes == [episode]
