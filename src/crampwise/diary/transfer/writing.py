"""Write a checked import plan: all of it in one transaction, or nothing.

Before writing, the dates are checked against the rest of the diary: a date far before
everything else is most likely a mistyped year (``crampwise.diary.plausible``), and is
refused unless the person confirms it.
"""

from __future__ import annotations

from collections.abc import Callable

from crampwise.diary.importer import ImportCounts
from crampwise.diary.plausible import far_before_in
from crampwise.diary.store import DiaryStore
from crampwise.diary.transfer.plan import DEFAULT_BATCH, MAX_REPORTED, ImportPlan
from crampwise.errors import FieldProblem, InvalidInputError


def write_plan(
    store: DiaryStore,
    plan: ImportPlan,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[int], None] | None = None,
    *,
    allow_far_before: bool = False,
    confirm: str = "confirm them",
) -> ImportCounts:
    """Write ``plan`` in one transaction, ``batch_size`` rows per statement.

    Entries the diary already has are skipped and counted; days merge by date. Dates far
    before the rest of the diary are refused unless ``allow_far_before``; ``confirm`` says
    how to allow them, in the message (e.g. "add --yes").
    """
    if not allow_far_before:
        check_dates(store, plan, confirm)
    return store.import_entries(
        plan.episodes,
        plan.days,
        plan.assessments,
        batch_size=batch_size,
        on_progress=on_progress,
        experiments=plan.experiments,
    )


def check_dates(store: DiaryStore, plan: ImportPlan, confirm: str = "confirm them") -> None:
    """InvalidInputError naming each date of ``plan`` far before the rest of the diary."""
    where = [("episodes", i, "started_at") for i in range(len(plan.episodes))]
    where += [("days", i, "date") for i in range(len(plan.days))]
    where += [("experiments", i, "start") for i in range(len(plan.experiments))]
    dates = [e.started_at.date() for e in plan.episodes] + [d.day for d in plan.days]
    dates += [e.start_date for e in plan.experiments]
    found = far_before_in(store, dates)
    if not found:
        return
    problems = []
    for f in found[:MAX_REPORTED]:
        section, index, name = where[f.index]
        prefix, line = plan.locate(section, index)
        problems.append(FieldProblem(prefix + name, f.message(), line))
    raise InvalidInputError(
        f"{plan.source}: nothing imported: {len(found)} date(s) far before the rest of the "
        f"diary; {confirm} if they are right",
        problems,
    )
