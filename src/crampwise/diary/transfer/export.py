"""Export the diary: one JSON document (everything), or CSV tables of episodes and days."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from crampwise.diary.records import EPISODE_FIELDS, DayFactors, Episode, SavedAssessment
from crampwise.diary.store import DiaryStore
from crampwise.diary.transfer.cells import cell
from crampwise.diary.transfer.plan import FORMAT, LIST_SEPARATOR, SECTIONS
from crampwise.diary.validate import day_to_dict, episode_to_dict

# CSV columns: the episode's fields in their defined order (the duration, not an end time).
EPISODE_COLUMNS: tuple[str, ...] = EPISODE_FIELDS


def export_document(store: DiaryStore) -> dict[str, Any]:
    from crampwise.experiments.store import ExperimentStore
    from crampwise.experiments.transfer import experiment_to_dict

    return {
        "format": FORMAT,
        "episodes": [episode_to_dict(e) for e in store.list_episodes()],
        "days": [day_to_dict(d) for d in store.list_days()],
        "assessments": [assessment_to_dict(a) for a in store.list_assessments()],
        "experiments": [experiment_to_dict(e) for e in ExperimentStore(store).all()],
    }


def write_json(store: DiaryStore, out: TextIO) -> None:
    doc = export_document(store)
    # One record per line: readable, diffable, and import errors point at a useful line.
    out.write(f'{{"format": {json.dumps(FORMAT)},\n')
    for i, key in enumerate(SECTIONS):
        records = doc[key]
        out.write(f' "{key}": [')
        for j, record in enumerate(records):
            out.write(("\n  " if j == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        out.write("\n ]" if records else "]")
        out.write(",\n" if i < len(SECTIONS) - 1 else "\n}\n")


def write_episodes_csv(episodes: Iterable[Episode], out: TextIO) -> int:
    writer = csv.writer(out)  # "\r\n": RFC 4180, and it makes csv quote a lone "\r"
    writer.writerow(EPISODE_COLUMNS)
    n = 0
    for ep in episodes:
        d = episode_to_dict(ep)
        d["sites"] = LIST_SEPARATOR.join(ep.sites)
        d["actions"] = LIST_SEPARATOR.join(ep.actions)
        d["duration_minutes"] = float(ep.duration_minutes)
        writer.writerow([cell(d[c]) for c in EPISODE_COLUMNS])
        n += 1
    return n


def write_days_csv(days: Sequence[DayFactors], out: TextIO) -> int:
    from crampwise.diary.factors import load_factors

    known = [f.id for f in load_factors()]
    extra = sorted({k for d in days for k in d.values} - set(known))
    columns = ["date", "note", *known, *extra]
    writer = csv.writer(out)  # "\r\n": RFC 4180, and it makes csv quote a lone "\r"
    writer.writerow(columns)
    for d in days:
        cells: dict[str, object] = {"date": d.day.isoformat(), "note": d.note, **d.values}
        writer.writerow([cell(cells.get(c)) for c in columns])
    return len(days)


def assessment_to_dict(a: SavedAssessment) -> dict[str, Any]:
    return {
        "id": a.id,
        "created_at": a.created_at.isoformat(),
        "knowledge_version": a.knowledge_version,
        "case": a.case,
        "result": a.result,
    }
