"""An experiment as plain data: the one shape the CLI's ``--json``, the API and the pages use.

Nothing here touches the database: the caller passes the experiment, its remedy, the cramp
dates from the diary and today's date.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from crampwise.experiments.remedies import Remedy
from crampwise.experiments.running import as_of, result, today_plan
from crampwise.experiments.store import Experiment


def schedule_days(e: Experiment) -> list[dict[str, Any]]:
    """The schedule as the contract gives it: date, arm and whether the day is counted."""
    return [
        {"date": d.date.isoformat(), "arm": d.arm, "counted": d.counted} for d in e.schedule.days
    ]


def experiment_dict(e: Experiment, today: date) -> dict[str, Any]:
    """Everything stored about the experiment, and its state today."""
    return {
        "id": e.id,
        "remedy": e.remedy,
        "status": e.status(today),
        "start": e.start_date.isoformat(),
        "end": e.end_date.isoformat(),
        "stopped_on": e.stopped_on.isoformat() if e.stopped_on else None,
        "pairs": e.schedule.pairs,
        "block_days": e.schedule.block_days,
        "washout_days": e.schedule.washout_days,
        "seed": e.schedule.seed,
        "created_at": e.created_at.isoformat(),
        "schedule": schedule_days(e),
        "checkins": [
            {"date": c.day.isoformat(), "done": c.done, "recorded_at": c.recorded_at.isoformat()}
            for c in e.checkins
        ],
    }


def progress(e: Experiment, today: date) -> dict[str, int]:
    """How far along: days of the plan passed (today included), days left, check-ins missed."""
    total = len(e.schedule.days)
    last = as_of(e, today)
    passed = max(0, min(total, (last - e.start_date).days + 1))
    stopped = e.stopped_on is not None
    answered = {c.day for c in e.checkins}
    # Today's check-in is not missed yet; days after the stop are not asked for.
    cutoff = min(today - timedelta(days=1), last)
    missed = sum(1 for d in e.schedule.days if d.date <= cutoff and d.date not in answered)
    return {
        "days_total": total,
        "days_passed": passed,
        "days_left": 0 if stopped else total - passed,
        "checkins_missed": missed,
    }


def status_dict(e: Experiment, chosen: Remedy, cramps: list[date], today: date) -> dict[str, Any]:
    """What to do today, how far along, and adherence and cramps so far."""
    plan = today_plan(e, chosen, today)
    so_far = result(e, cramps, today)
    last = as_of(e, today)
    per_day = Counter(d for d in cramps if e.start_date <= d <= last)
    return {
        "id": e.id,
        "remedy": e.remedy,
        "remedy_name": chosen.name,
        "status": e.status(today),
        "start": e.start_date.isoformat(),
        "end": e.end_date.isoformat(),
        "stopped_on": e.stopped_on.isoformat() if e.stopped_on else None,
        "today": None
        if plan is None
        else {
            "date": plan.day.isoformat(),
            "day_number": plan.number,
            "arm": plan.arm,
            "counted": plan.counted,
            "instruction": plan.instruction,
            "checked_in": plan.checked_in,
        },
        "progress": progress(e, today),
        "adherence": None if so_far.adherence is None else round(so_far.adherence, 4),
        "cramps": dict(so_far.cramps),
        "days": dict(so_far.days),
        "cramps_all_days": sum(per_day.values()),
    }


__all__ = ["experiment_dict", "progress", "schedule_days", "status_dict"]
