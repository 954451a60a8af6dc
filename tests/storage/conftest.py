"""Storage tests use the diary's fixtures: ``db_url`` on both backends, ``pg_url``."""

from __future__ import annotations

from tests.diary.conftest import _never_the_real_diary, db_url, pg_url, store

__all__ = ["_never_the_real_diary", "db_url", "pg_url", "store"]
