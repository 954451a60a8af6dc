"""Undo a delete: a deleted cramp or day travels as plain data and is put back from it.

No table keeps deleted entries: the web page that confirms a delete carries the entry
(signed, see ``crampwise.web.views.history``), and the page after it offers it back. Putting
it back twice adds it once: a cramp equal in every field but its id to one in the diary (the
importer's ``episode_key``) is already back, and a day is merged under what the date holds
now (its newer values win).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from crampwise.checks import trusted
from crampwise.diary.importer import episode_key
from crampwise.diary.records import DayFactors, Episode, day_to_dict, episode_to_dict
from crampwise.diary.store import DiaryStore
from crampwise.diary.validate import day_from_dict
from crampwise.errors import InvalidInputError

Kind = Literal["episode", "day"]


def as_data(record: Episode | DayFactors) -> dict[str, Any]:
    """What a deleted entry is carried as: ``{"kind": ..., "record": <its JSON>}``."""
    if isinstance(record, Episode):
        return {"kind": "episode", "record": episode_to_dict(record)}
    return {"kind": "day", "record": day_to_dict(record)}


def from_data(data: object) -> Episode | DayFactors:
    """The entry :func:`as_data` carried (data this diary wrote and signed: not re-checked,
    so an entry from before a newer rule can still come back)."""
    try:
        assert isinstance(data, dict)
        record = data["record"]
        if data["kind"] == "episode":
            values = dict(record)
            values["started_at"] = datetime.fromisoformat(values["started_at"])
            values["sites"], values["actions"] = tuple(values["sites"]), tuple(values["actions"])
            return trusted(Episode, **values)
        if data["kind"] == "day":
            return day_from_dict(record)
    except (AssertionError, KeyError, TypeError, ValueError):
        pass
    raise InvalidInputError("this entry cannot be put back: the form was not made by this diary")


def restore(store: DiaryStore, record: Episode | DayFactors) -> bool:
    """Put a deleted entry back; False when it is back already (nothing was added)."""
    if isinstance(record, Episode):
        same = episode_key(record)
        day = record.started_at.date()
        if any(episode_key(e) == same for e in store.list_episodes(day, day)):
            return False
        store.add_episode(record)
        return True
    now = store.get_day(record.day)
    if now is None:
        store.update_day(record, mode="replace")
        return True
    merged = {**record.values, **now.values}
    note = now.note if now.note is not None else record.note
    if merged == now.values and note == now.note:
        return False
    store.update_day(DayFactors(record.day, merged, note), mode="replace")
    return True


__all__ = ["Kind", "as_data", "from_data", "restore"]
