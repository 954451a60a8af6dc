"""A diary that the check's interview can start from, written to a real store."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from crampwise.diary.records import Episode
from crampwise.diary.store import open_store

SENTENCE = (
    "From your diary: about 7 cramps a week over the last 4 weeks, getting worse; "
    "of the cramps recorded, 36 came on while walking."
)


def seed_worsening_walking_diary(db_url: str) -> None:
    """Once a week for 8 weeks, then daily for 4 weeks, all on walking, up to yesterday."""
    today = date.today()
    days = [today - timedelta(days=d) for d in range(83, 28, -7)]  # 8 weekly cramps
    days += [today - timedelta(days=d) for d in range(28, 0, -1)]  # 28 daily cramps
    episodes = [
        Episode(
            started_at=datetime.combine(d, time(10, 0)),
            duration_minutes=2.0,
            sites=("calf",),
            severity=5,
            activity="walking",
        )
        for d in days
    ]
    with open_store(db_url) as store:
        store.add_episodes(episodes)
