"""Keyset pages of history (newest first, true totals) and saved checks saved once."""

from __future__ import annotations

import random
import time as clock
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from crampwise.diary.pages import (
    DUPLICATE_WINDOW,
    Page,
    days_page,
    episodes_page,
    read_cursor,
    save_check_once,
    saved_check,
    saved_checks,
)
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore
from crampwise.errors import InvalidInputError, NotFoundError
from crampwise.storage.models import metadata

START = datetime(2025, 1, 1, 22, 0)


def _episodes(n: int, *, same_time_every: int = 1) -> list[Episode]:
    # ``same_time_every`` > 1 gives runs of cramps at one instant: the id breaks the tie.
    return [
        Episode(START + timedelta(hours=(i // same_time_every) * 7), 1.0, ("calf",), i % 11)
        for i in range(n)
    ]


def _walk(store: DiaryStore, limit: int, **kw: Any) -> list[Page[Episode]]:
    pages = [episodes_page(store, None, None, limit, **kw)]
    while pages[-1].older:
        key = read_cursor(pages[-1].older, "e", "cursor")
        pages.append(episodes_page(store, None, None, limit, cursor=key, **kw))
    return pages


@pytest.mark.parametrize("same_time_every", [1, 4])
def test_pages_are_newest_first_and_cover_everything_once(
    store: DiaryStore, same_time_every: int
) -> None:
    store.add_episodes(_episodes(23, same_time_every=same_time_every))
    pages = _walk(store, 5)
    assert [len(p.items) for p in pages] == [5, 5, 5, 5, 3]
    assert {p.total for p in pages} == {23}
    seen = [e for p in pages for e in p.items]
    assert len({e.id for e in seen}) == 23
    keys = [(e.started_at, e.id) for e in seen]
    assert keys == sorted(keys, reverse=True)
    assert pages[0].newer is None and pages[-1].older is None
    assert all(p.newer for p in pages[1:])


def test_newer_pages_walk_back_to_the_first(store: DiaryStore) -> None:
    store.add_episodes(_episodes(12, same_time_every=3))
    pages = _walk(store, 5)
    back = pages[-1]
    seen_back = [pages[-1].items]
    while back.newer:
        back = episodes_page(
            store, None, None, 5, cursor=read_cursor(back.newer, "e", "c"), direction="newer"
        )
        seen_back.append(back.items)
    assert [[e.id for e in items] for items in reversed(seen_back)] == [
        [e.id for e in p.items] for p in pages
    ]


def test_date_range_and_true_total(store: DiaryStore) -> None:
    store.add_episodes(_episodes(300))  # every 7 hours: about 3.4 a day
    first = episodes_page(store, date(2025, 1, 10), date(2025, 1, 19), 200)
    inside = [e for e in store.list_episodes() if date(2025, 1, 10) <= e.day <= date(2025, 1, 19)]
    assert first.total == len(inside) and first.items == list(reversed(inside))
    assert episodes_page(store, None, None, 200).total == 300  # not "200"


def test_offset_pages_match_keyset_pages(store: DiaryStore) -> None:
    store.add_episodes(_episodes(17))
    keyset = [e.id for p in _walk(store, 4) for e in p.items]
    by_offset = [
        e.id for k in range(5) for e in episodes_page(store, None, None, 4, offset=4 * k).items
    ]
    assert by_offset == keyset


def test_days_are_paged_with_their_values(store: DiaryStore) -> None:
    days = [
        DayFactors(date(2025, 3, 1) + timedelta(days=2 * i), {"water_litres": float(i)}, f"n{i}")
        for i in range(9)
    ]
    store.set_days(days)
    first = days_page(store, None, None, 4)
    assert [d.day for d in first.items] == [d.day for d in reversed(days)][:4]
    assert first.items[0] == days[-1] and first.total == 9
    assert first.older is not None
    second = days_page(store, None, None, 4, cursor=read_cursor(first.older, "d", "c"))
    assert second.items == list(reversed(days))[4:8]
    ranged = days_page(store, date(2025, 3, 5), date(2025, 3, 9), 10)
    assert [d.day.day for d in ranged.items] == [9, 7, 5] and ranged.total == 3


def test_an_empty_diary_has_an_empty_page(store: DiaryStore) -> None:
    page = episodes_page(store, None, None, 10)
    assert (page.items, page.total, page.older, page.newer) == ([], 0, None, None)


@pytest.mark.parametrize(
    ("cursor", "kind"),
    [("nonsense", "e"), ("", "e"), ("ZXw", "e"), ("ZXwyMDI1LTAxLTAxfHg", "e"), ("ZXx4", "d")],
)
def test_a_bad_cursor_names_its_field(cursor: str, kind: Any) -> None:
    with pytest.raises(InvalidInputError) as info:
        read_cursor(cursor, kind, "query.cursor")
    assert [p.field for p in info.value.problems] == ["query.cursor"]


@pytest.mark.parametrize("limit", [0, -1, 1001])
def test_a_bad_limit_is_refused(store: DiaryStore, limit: int) -> None:
    with pytest.raises(InvalidInputError) as info:
        episodes_page(store, None, None, limit)
    assert [p.field for p in info.value.problems] == ["limit"]


# ---------------------------------------------------------------- saved checks

CASE = {"format": "crampwise-case/1", "age": 60, "findings": {"site_calf": True}}
RESULT = {"triage": {"level": "self_care"}, "causes": []}


def test_the_same_check_is_saved_once(store: DiaryStore) -> None:
    now = datetime(2026, 5, 1, 10, 0)
    first, new = save_check_once(store, CASE, RESULT, "kb1", now)
    assert new
    for later in (now, now + timedelta(minutes=1), now + DUPLICATE_WINDOW):
        again, new = save_check_once(store, dict(CASE), dict(RESULT), "kb1", later)
        assert (again, new) == (first, False)
    assert len(store.list_assessments()) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"case": {**CASE, "age": 61}},
        {"result": {**RESULT, "causes": [{"id": "x"}]}},
        {"version": "kb2"},
        {"when": DUPLICATE_WINDOW + timedelta(seconds=1)},
    ],
)
def test_a_different_check_is_saved(store: DiaryStore, change: dict[str, Any]) -> None:
    now = datetime(2026, 5, 1, 10, 0)
    save_check_once(store, CASE, RESULT, "kb1", now)
    _, new = save_check_once(
        store,
        change.get("case", CASE),
        change.get("result", RESULT),
        change.get("version", "kb1"),
        now + change.get("when", timedelta(minutes=5)),
    )
    assert new
    listed = saved_checks(store)
    assert len(listed) == 2 and listed[0].created_at > listed[1].created_at  # newest first
    assert saved_check(store, listed[0].id or 0) == listed[0]


def test_a_missing_check_is_not_found(store: DiaryStore) -> None:
    with pytest.raises(NotFoundError):
        saved_check(store, 12345)


# ---------------------------------------------------------------- 100k rows

ROWS = 100_000
PAGE_BUDGET = 0.3  # seconds for one page (the bar)


@pytest.mark.slow
def test_paging_through_100k_cramps_is_fast_and_skips_nothing(store: DiaryStore) -> None:
    rng = random.Random(14)
    # Ten years of cramps, many sharing a minute (ties broken by id), written with one
    # Core executemany: building 100k records through the store would take minutes.
    base = datetime(2016, 1, 1)
    rows = [
        {
            "started_at": base + timedelta(minutes=rng.randrange(0, 10 * 365 * 24 * 60, 5)),
            "duration_minutes": 1.0,
            "sites": ["calf"],
            "severity": rng.randrange(11),
            "side": None,
            "activity": None,
            "actions": [],
            "helped": None,
            "note": None,
        }
        for _ in range(ROWS)
    ]
    with store.connection(write=True) as conn:
        conn.execute(insert(metadata.tables["episodes"]), rows)
    del rows
    seen: list[tuple[datetime, int]] = []
    took: list[float] = []
    cursor = None
    pages = 0
    while True:
        began = clock.perf_counter()
        page = episodes_page(store, None, None, 100, cursor=cursor)
        elapsed = clock.perf_counter() - began
        if elapsed >= PAGE_BUDGET:
            # A shared test machine stalls now and then; a page that is slow by design (a
            # scan, a sort) is slow every time, so a slow page is timed once more.
            began = clock.perf_counter()
            assert episodes_page(store, None, None, 100, cursor=cursor) == page
            elapsed = min(elapsed, clock.perf_counter() - began)
        took.append(elapsed)
        pages += 1
        seen += [(e.started_at, e.id or 0) for e in page.items]
        assert page.total == ROWS
        if page.older is None:
            break
        cursor = read_cursor(page.older, "e", "cursor")
    assert pages == ROWS // 100
    assert len(seen) == ROWS and len(set(seen)) == ROWS  # nothing repeated, nothing skipped
    assert seen == sorted(seen, reverse=True)
    slowest, median = max(took), sorted(took)[len(took) // 2]
    print(
        f"\n{pages} pages of 100 from {ROWS} cramps: median {median * 1000:.1f} ms, "
        f"slowest {slowest * 1000:.1f} ms (page {took.index(slowest) + 1}), "
        f"{sum(t > 0.1 for t in took)} over 100 ms"
    )
    assert slowest < PAGE_BUDGET, f"slowest page took {slowest:.3f} s"
