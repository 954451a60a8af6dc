"""Insights computed once per diary revision: a bounded LRU per app, keyed per owner.

The insights (``GET /api/v1/insights``, the insights page) read the whole period's cramps and
days and run the trigger and trend analysis: the most expensive read of the app, asked for
again and again while the diary has not changed. A result is kept under

    (database URL, owner, ``DiaryStore.revision()``, today, what was asked, the period)

and the revision comes from the database, raised in the same transaction as every write of
that owner's rows. So a write anywhere (any worker, the CLI, an import) makes the old entry
unreachable, which is why one cache per worker process is correct with several workers, and
two owners can never share an entry (the owner is part of the key).

Why in process rather than in Redis (even when ``CRAMPWISE_REDIS_URL`` is set): an entry
is health data derived from the diary. In Redis it would live in a second service that would
need the database's isolation and deletion guarantees (an account's deletion would have to
purge it; Redis persistence would copy it to disk), for a saving of a few milliseconds of
analysis. In process it is bounded, dies with the worker, and a miss costs one recomputation
per worker. ``CRAMPWISE_INSIGHTS_CACHE_SIZE`` entries per worker (default 512; 0 turns the
cache off).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, TypeVar, cast

from crampwise.errors import ServeError

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from crampwise.diary.store import DiaryStore

T = TypeVar("T")

SIZE_VAR = "CRAMPWISE_INSIGHTS_CACHE_SIZE"
DEFAULT_SIZE = 512
"""Entries per worker: the API's entry is ~30 kB for a year of diary, the page's ~90 kB."""
MAX_SIZE = 100_000

_app_lock = threading.Lock()


class InsightsCache:
    """A thread-safe LRU of derived results keyed by owner and diary revision."""

    def __init__(self, max_entries: int = DEFAULT_SIZE) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(
        self,
        store: DiaryStore,
        kind: str,
        params: tuple[Hashable, ...],
        compute: Callable[[], T],
    ) -> T:
        """The result of ``compute()`` for ``store``'s owner at its current revision;
        computed (reading the diary) only when no entry for that revision is kept.

        ``kind`` names what is kept (results of different shapes never meet) and ``params``
        are what the result depends on besides the diary (the period asked for)."""
        if self.max_entries <= 0:
            return compute()
        # The revision first, then the diary: a write landing in between leaves a result
        # at least as new as its key, never an older one under a newer key.
        # Today's date too: an open-ended period ends today, and the trend is read to it.
        key = (store.url, store.owner_id, store.revision(), date.today(), kind, params)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return cast(T, self._entries[key])
            self.misses += 1
        value = compute()  # outside the lock: other owners' requests do not wait for it
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def size_from_env() -> int:
    raw = os.environ.get(SIZE_VAR, "").strip()
    if not raw:
        return DEFAULT_SIZE
    if not raw.isdigit() or int(raw) > MAX_SIZE:
        raise ServeError(
            f"{SIZE_VAR} must be a whole number from 0 (no cache) to {MAX_SIZE}, not {raw!r}."
        )
    return int(raw)


def app_cache(app: Starlette) -> InsightsCache:
    """The app's cache, made on first use (one per app: tests with their own databases
    never share entries)."""
    state = app.state
    cache = getattr(state, "insights_cache", None)
    if cache is None:
        with _app_lock:
            cache = getattr(state, "insights_cache", None)
            if cache is None:
                cache = InsightsCache(size_from_env())
                state.insights_cache = cache
    assert isinstance(cache, InsightsCache)
    return cache


__all__ = ["DEFAULT_SIZE", "SIZE_VAR", "InsightsCache", "app_cache", "size_from_env"]
