"""The insights are computed once per diary revision and owner (web/insights_cache.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

import crampwise.analysis.insights as insights_module
from crampwise.diary.store import DiaryStore, open_store
from crampwise.errors import ServeError
from crampwise.web.insights_cache import SIZE_VAR, InsightsCache, app_cache, size_from_env
from tests.web.helpers import TestClient


def _cramp(day: str, severity: int = 5) -> dict[str, Any]:
    return {
        "started_at": f"{day}T03:00",
        "duration_minutes": 2,
        "sites": ["calf"],
        "severity": severity,
    }


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the analyses run (the endpoints import build_insights when they compute)."""
    calls: list[int] = []
    real = insights_module.build_insights

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(insights_module, "build_insights", counting)
    return calls


def test_a_second_request_does_not_recompute(client: TestClient, builds: list[int]) -> None:
    assert client.post("/api/v1/episodes", json=_cramp("2024-03-01")).status_code == 201
    first = client.get("/api/v1/insights")
    second = client.get("/api/v1/insights")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.json()["summary"]["cramps"] == 1
    assert len(builds) == 1


def test_a_write_invalidates(client: TestClient, builds: list[int]) -> None:
    client.post("/api/v1/episodes", json=_cramp("2024-03-01"))
    assert client.get("/api/v1/insights").json()["summary"]["cramps"] == 1
    created = client.post("/api/v1/episodes", json=_cramp("2024-03-02")).json()
    assert client.get("/api/v1/insights").json()["summary"]["cramps"] == 2
    day = {"date": "2024-03-02", "values": {"water_litres": 1.0}}
    assert client.post("/api/v1/days", json=day).status_code == 201
    after_day = client.get("/api/v1/insights").json()["summary"]
    assert after_day["days_with_factors"] == 1
    assert client.delete(f"/api/v1/episodes/{created['id']}").status_code == 204
    assert client.get("/api/v1/insights").json()["summary"]["cramps"] == 1
    assert len(builds) == 4


def test_the_period_is_part_of_the_key(client: TestClient, builds: list[int]) -> None:
    for day in ("2024-03-01", "2024-03-10"):
        client.post("/api/v1/episodes", json=_cramp(day))
    whole = client.get("/api/v1/insights").json()["summary"]
    part = client.get("/api/v1/insights", params={"from": "2024-03-05"}).json()["summary"]
    assert (whole["cramps"], part["cramps"]) == (2, 1)
    assert len(builds) == 2


def test_the_page_uses_the_cache_too(client: TestClient, builds: list[int]) -> None:
    client.post("/api/v1/episodes", json=_cramp("2024-03-01"))
    assert client.get("/diary/insights").status_code == 200
    assert client.get("/diary/insights").status_code == 200
    assert len(builds) == 1
    client.post("/api/v1/episodes", json=_cramp("2024-03-02"))
    assert "2 cramps" in client.get("/diary/insights").text
    assert len(builds) == 2


def test_a_write_from_outside_the_app_invalidates(
    client: TestClient, db_url: str, builds: list[int]
) -> None:
    # Another worker, or the CLI, writes the same database: the revision is in the database.
    client.post("/api/v1/episodes", json=_cramp("2024-03-01"))
    client.get("/api/v1/insights")
    with open_store(db_url) as other:
        other.add_episode(_episode("2024-03-04"))
    assert client.get("/api/v1/insights").json()["summary"]["cramps"] == 2


def _episode(day: str) -> Any:
    from crampwise.diary.validate import episode_from_dict

    return episode_from_dict(_cramp(day))


@pytest.fixture
def two_owners(tmp_path: Path) -> Iterator[tuple[DiaryStore, DiaryStore]]:
    with open_store(f"sqlite:///{tmp_path / 'shared.sqlite3'}") as base:
        yield base.for_owner(1), base.for_owner(2)


def test_two_owners_never_share_an_entry(
    two_owners: tuple[DiaryStore, DiaryStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = two_owners
    alice.add_episode(_episode("2024-03-01"))
    bob.add_episode(_episode("2024-03-01"))
    # Same database, same period, even the same revision: only the owner tells them apart.
    monkeypatch.setattr(DiaryStore, "revision", lambda _self: 7)
    cache = InsightsCache(10)
    seen = [
        cache.get(store, "api", (None, None), lambda s=store: s.owner_id)  # type: ignore[misc]
        for store in (alice, bob, alice, bob)
    ]
    assert seen == [1, 2, 1, 2]
    assert (cache.misses, cache.hits) == (2, 2)


def test_the_oldest_entry_goes_first(two_owners: tuple[DiaryStore, DiaryStore]) -> None:
    alice, _bob = two_owners
    cache = InsightsCache(2)
    for period in ("a", "b", "a", "c", "b"):
        cache.get(alice, "api", (period,), lambda p=period: p)  # type: ignore[misc]
    # "a" was used again before "c" came, so "b" was the least recent and went.
    assert len(cache) == 2 and cache.misses == 4 and cache.hits == 1


def test_size_zero_turns_it_off(
    app: FastAPI, client: TestClient, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIZE_VAR, "0")
    client.post("/api/v1/episodes", json=_cramp("2024-03-01"))
    client.get("/api/v1/insights")
    client.get("/api/v1/insights")
    assert len(builds) == 2 and len(app_cache(app)) == 0


@pytest.mark.parametrize("raw", ["-1", "many", "1e3", "100001"])
def test_a_bad_size_is_refused_with_the_setting_named(
    raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIZE_VAR, raw)
    with pytest.raises(ServeError, match=SIZE_VAR):
        size_from_env()


def test_each_app_has_its_own_cache(app: FastAPI) -> None:
    other = FastAPI()
    assert app_cache(app) is app_cache(app)
    assert app_cache(other) is not app_cache(app)


def test_a_new_day_recomputes_without_any_write(
    client: TestClient, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An open-ended period ends today: tomorrow's answer is computed afresh."""
    import datetime as real_datetime

    import crampwise.web.insights_cache as cache_module

    client.post("/api/v1/episodes", json=_cramp("2024-03-01"))
    client.get("/api/v1/insights")
    client.get("/api/v1/insights")
    assert len(builds) == 1

    class Tomorrow(real_datetime.date):
        @classmethod
        def today(cls) -> real_datetime.date:
            return real_datetime.date.today() + real_datetime.timedelta(days=1)

    monkeypatch.setattr(cache_module, "date", Tomorrow)
    client.get("/api/v1/insights")
    assert len(builds) == 2
