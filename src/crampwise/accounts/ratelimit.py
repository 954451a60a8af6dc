"""Failed-login counters shared by every worker: in Redis when configured, else in the
database. Never in a worker's memory, where N workers would allow N times the limit.

Fixed windows of ``WINDOW``: a key that reached its limit in the current window is refused
until the window ends. Keys name an account (a digest of the email, registered or not, so
the limit says nothing about which emails exist) or a client address.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, insert, select, update

from crampwise.storage.account_tables import login_failures

if TYPE_CHECKING:
    from crampwise.diary.store import DiaryStore

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
"""Failed logins for one email per window."""
PER_ADDRESS = 20
"""Failed logins from one address per window (several people may share an address)."""


class FailureCounter(Protocol):
    def failures(self, key: str, now: datetime) -> int: ...
    def add_failure(self, key: str, now: datetime) -> None: ...
    def clear(self, key: str, now: datetime) -> None: ...


def window_start(now: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds)


def retry_after(now: datetime) -> int:
    """Seconds until the current window ends."""
    return max(1, int((window_start(now) + WINDOW - now).total_seconds()))


class DatabaseCounter:
    """Counters in the ``login_failures`` table of the shared database."""

    def __init__(self, store: DiaryStore) -> None:
        self._store = store

    def failures(self, key: str, now: datetime) -> int:
        t = login_failures
        query = select(t.c.count).where(t.c.key == key, t.c.window_start == window_start(now))
        with self._store.connection() as conn:
            return int(conn.scalar(query) or 0)

    def add_failure(self, key: str, now: datetime) -> None:
        t, start = login_failures, window_start(now)
        with self._store.connection(write=True) as conn:
            conn.execute(delete(t).where(t.c.key == key, t.c.window_start < start))
            bumped = conn.execute(
                update(t)
                .where(t.c.key == key, t.c.window_start == start)
                .values(count=t.c.count + 1)
            ).rowcount
            if not bumped:
                conn.execute(insert(t).values(key=key, window_start=start, count=1))

    def clear(self, key: str, now: datetime) -> None:
        with self._store.connection(write=True) as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == key))


class RedisCounter:
    """Counters in Redis: INCR with an expiry at the window's end."""

    def __init__(self, url: str) -> None:
        import redis  # the multiuser extra

        self._redis = redis.Redis.from_url(url)

    def _key(self, key: str, now: datetime) -> str:
        return f"crampwise:login-failures:{key}:{int(window_start(now).timestamp())}"

    def failures(self, key: str, now: datetime) -> int:
        value = self._redis.get(self._key(key, now))
        return int(value) if value is not None else 0

    def add_failure(self, key: str, now: datetime) -> None:
        name = self._key(key, now)
        with self._redis.pipeline() as pipe:
            pipe.incr(name)
            pipe.expire(name, int(WINDOW.total_seconds()) + 60)
            pipe.execute()

    def clear(self, key: str, now: datetime) -> None:
        self._redis.delete(self._key(key, now))
