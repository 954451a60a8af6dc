"""The simulated people of the load test: accounts, one API token each, and a diary each.

Everything goes through the public API, as a real client would: ``POST /api/v1/accounts``
and ``POST /api/v1/tokens`` (argon2id at its production cost, so this is the slow part),
then each diary day and cramp by ``POST /api/v1/days`` and ``POST /api/v1/episodes``.
Requests run concurrently (asyncio + httpx), each with a timeout, so the setup is bounded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx

PASSWORD = "load-test password, not a secret"  # loopback only; the database is dropped after
TIMEOUT = httpx.Timeout(60.0)


@dataclass(frozen=True)
class Timed:
    """How many requests a phase sent and how long it took."""

    requests: int
    seconds: float

    def line(self, what: str) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return f"{what}: {self.requests} requests in {self.seconds:.1f} s ({rate:.0f}/s)"


class SetupError(RuntimeError):
    """A setup request was refused: the load test cannot measure anything meaningful."""


async def _gather_bounded(jobs: list[Callable[[], Awaitable[None]]], concurrency: int) -> None:
    queue: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            await queue.get_nowait()()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def _check(response: httpx.Response, expected: int, what: str) -> None:
    if response.status_code != expected:
        raise SetupError(
            f"{what}: HTTP {response.status_code} (expected {expected}): {response.text[:300]}"
        )


async def _accounts(base: str, count: int, concurrency: int, run_id: str) -> list[str]:
    tokens: list[str] = [""] * count
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as client:

        def job(k: int) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                email = f"load-{run_id}-{k}@example.org"
                credentials = {"email": email, "password": PASSWORD}
                _check(await client.post("/api/v1/accounts", json=credentials), 201, "sign-up")
                response = await client.post(
                    "/api/v1/tokens", json={**credentials, "name": "load test"}
                )
                _check(response, 201, "token")
                tokens[k] = str(response.json()["token"])

            return run

        await _gather_bounded([job(k) for k in range(count)], concurrency)
    return tokens


def create_accounts(
    base: str, count: int, concurrency: int, run_id: str
) -> tuple[list[str], Timed]:
    """``count`` accounts and a bearer token for each; two argon2id hashes per account."""
    start = time.perf_counter()
    tokens = asyncio.run(_accounts(base, count, concurrency, run_id))
    return tokens, Timed(2 * count, time.perf_counter() - start)


def diary_requests(seed: int, days: int) -> list[tuple[str, dict[str, Any]]]:
    """One person's diary as API calls, oldest first: ``days`` days of daily factors and the
    cramps of those days (crampwise's own synthetic diary: a few cramps a week, with
    effects planted, so the insights have something to find)."""
    from crampwise.analysis.synthetic import Effects, generate_diary
    from crampwise.diary.factors import load_factors
    from crampwise.diary.validate import day_to_dict, episode_to_dict

    records, episodes = generate_diary(
        seed, days, effects=Effects(baseline_per_day=0.5), factors=load_factors()
    )
    calls: list[tuple[datetime | date, str, dict[str, Any]]] = []
    for record in records:
        calls.append((record.day, "/api/v1/days", day_to_dict(record)))
    for ep in episodes:
        body = {k: v for k, v in episode_to_dict(ep).items() if k != "id" and v is not None}
        calls.append((ep.started_at, "/api/v1/episodes", body))
    calls.sort(key=lambda c: c[0] if isinstance(c[0], datetime) else _midnight(c[0]))
    return [(path, body) for _when, path, body in calls]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


async def _seed(base: str, tokens: list[str], days: int, concurrency: int) -> int:
    sent = 0
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as client:

        def job(k: int, token: str) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                nonlocal sent
                headers = {"Authorization": f"Bearer {token}"}
                # One person's entries in order: each is checked against the diary so far.
                for path, body in diary_requests(k, days):
                    response = await client.post(path, json=body, headers=headers)
                    _check(response, 201, f"seeding {path}")
                    sent += 1

            return run

        await _gather_bounded([job(k, t) for k, t in enumerate(tokens)], concurrency)
    return sent


def seed_diaries(base: str, tokens: list[str], days: int, concurrency: int) -> Timed:
    """A diary of ``days`` days for every token's account, through the API."""
    start = time.perf_counter()
    sent = asyncio.run(_seed(base, tokens, days, concurrency))
    return Timed(sent, time.perf_counter() - start)


def cramp_bodies(count: int, now: datetime) -> list[dict[str, Any]]:
    """One cramp to log per account: in the last two days (never in the future), varied."""
    sites = (("calf",), ("foot",), ("toes",), ("calf", "foot"))
    return [
        {
            "started_at": (now - timedelta(minutes=5 + (k * 37) % 2880)).isoformat(
                timespec="minutes"
            ),
            "duration_minutes": 1 + k % 5,
            "sites": list(sites[k % len(sites)]),
            "severity": 3 + k % 6,
        }
        for k in range(count)
    ]


def assessment_body() -> dict[str, Any]:
    """A common case: night calf cramps for some weeks, nothing alarming."""
    return {
        "format": "crampwise-case/1",
        "age": 58,
        "sex": "female",
        "findings": {
            "site_calf": True,
            "timing_night": True,
            "weeks_since_onset": 6,
            "severity": 6,
        },
    }


def interview_body() -> dict[str, Any]:
    """An interview three steps in: the warning-sign checklists answered "none of these"."""
    from crampwise.knowledge import load_knowledge

    kb = load_knowledge()
    answers = [
        {"question_id": qid, "values": dict.fromkeys(kb.question_by_id[qid].finding_ids(), False)}
        for qid in ("emergency_signs", "leg_warning_signs", "body_warning_signs")
    ]
    return {"age": 58, "sex": "female", "answers": answers}
