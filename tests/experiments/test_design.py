"""The randomised block design: reproducible, balanced per pair, washout not counted, checked."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from crampwise.errors import InvalidInputError
from crampwise.experiments import design, design_for, load_remedies, schedule_from_dict

START = date(2026, 3, 2)


def test_same_seed_same_schedule_and_seeds_differ() -> None:
    one = design("calf_stretch_bedtime", start=START, seed=7, pairs=4)
    assert one == design("calf_stretch_bedtime", start=START, seed=7, pairs=4)
    orders = {design("x", start=START, seed=s, pairs=4).order for s in range(40)}
    assert len(orders) > 8  # 16 possible orders: the seed really drives the draw


def test_known_draw_is_stable_across_versions() -> None:
    # random.Random(seed) is stable across Python versions: a recorded seed must keep
    # re-drawing the same schedule, so this pins the drawing procedure.
    assert design("x", start=START, seed=42, pairs=3).order == (
        ("usual", "remedy"),
        ("remedy", "usual"),
        ("remedy", "usual"),
    )


def test_each_pair_has_one_block_of_each_arm_and_days_are_consecutive() -> None:
    s = design("x", start=START, seed=3, pairs=4, block_days=7, washout_days=2)
    assert len(s.days) == 4 * 2 * 7
    assert [d.date for d in s.days] == [START + timedelta(days=i) for i in range(56)]
    for pair in range(4):
        arms = Counter(d.arm for d in s.days if d.pair == pair)
        assert arms == {"remedy": 7, "usual": 7}
        blocks = {d.block: d.arm for d in s.days if d.pair == pair}
        assert sorted(blocks) == [2 * pair, 2 * pair + 1]
        assert set(blocks.values()) == {"remedy", "usual"}
    assert s.end == START + timedelta(days=55)


def test_order_is_random_within_pairs_not_fixed() -> None:
    firsts = Counter(
        design("x", start=START, seed=seed, pairs=1).order[0][0] for seed in range(400)
    )
    assert 160 < firsts["remedy"] < 240  # about half, as a fair coin gives


def test_washout_days_are_not_counted() -> None:
    s = design("x", start=START, seed=1, pairs=2, block_days=7, washout_days=3)
    for block in range(4):
        days = [d for d in s.days if d.block == block]
        assert [d.counted for d in days] == [False] * 3 + [True] * 4
    assert sum(d.counted for d in s.days) == 16


def test_design_for_takes_the_remedys_block_and_washout() -> None:
    magnesium = load_remedies()["magnesium_supplement"]
    s = design_for(magnesium, start=START, seed=5)
    assert (s.block_days, s.washout_days, s.pairs) == (14, 4, 3)
    assert design_for(magnesium, start=START, seed=5, pairs=4, block_days=10).block_days == 10


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"pairs": 0}, ["pairs"]),
        ({"pairs": 13}, ["pairs"]),
        ({"pairs": True}, ["pairs"]),
        ({"block_days": 3, "washout_days": 2}, ["block_days"]),
        ({"block_days": 29}, ["block_days"]),
        ({"washout_days": -1}, ["washout_days"]),
        ({"seed": -5}, ["seed"]),
        ({"pairs": 0, "seed": 2**31}, ["pairs", "seed"]),
    ],
)
def test_invalid_designs_name_every_bad_field(kwargs: dict[str, object], fields: list[str]) -> None:
    args: dict[str, object] = {"start": START, "seed": 1, **kwargs}
    with pytest.raises(InvalidInputError) as info:
        design("x", **args)  # type: ignore[arg-type]
    assert [p.field for p in info.value.problems] == fields
    assert info.value.http_status == 422


def test_round_trip_through_json_and_tampering_is_refused() -> None:
    s = design("x", start=START, seed=11, pairs=3)
    data = s.to_dict()
    assert schedule_from_dict(data) == s
    assert schedule_from_dict({k: v for k, v in data.items() if k != "schedule"}) == s
    contract = dict(
        data, schedule=[{k: d[k] for k in ("date", "arm", "counted")} for d in data["schedule"]]
    )
    assert schedule_from_dict(contract) == s
    flipped = [dict(d) for d in data["schedule"]]
    flipped[0]["arm"] = "usual" if flipped[0]["arm"] == "remedy" else "remedy"
    with pytest.raises(InvalidInputError, match="does not match its seed"):
        schedule_from_dict(dict(data, schedule=flipped))
    with pytest.raises(InvalidInputError):
        schedule_from_dict({"remedy": "x"})
