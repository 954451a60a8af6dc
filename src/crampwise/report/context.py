"""The report's typed context: built from plain records, with no I/O and no rendering.

``build_report`` takes what the store holds (cramps, days, saved checks), the knowledge base
and the period, and returns a ``ReportContext`` that the one template renders for the web
page, the HTML file and the PDF alike. ``load_report`` is the thin wrapper that reads the
store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from crampwise.diary.dates import DateRange
from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.engine.result import SourceRef
from crampwise.errors import InvalidInputError
from crampwise.report.check import CheckSection, check_section, latest_check
from crampwise.report.diary import DiarySection, diary_section

if TYPE_CHECKING:
    from crampwise.diary.factors import FactorDefinition
    from crampwise.diary.store import DiaryStore
    from crampwise.knowledge import KnowledgeBase

TITLE = "Cramp report for a clinician"
"""The document's title, also the PDF's only metadata besides its date: no health data."""


@dataclass(frozen=True, slots=True)
class ExperimentSummary:
    """One N-of-1 experiment as the report shows it (the experiments feature builds these)."""

    remedy_name: str
    verdict: str
    """The result in words, e.g. "probably helps" or "no clear difference"."""
    rate_ratio: float | None
    """Cramps with the remedy against without it; None when it could not be estimated."""
    interval: tuple[float, float] | None
    """The rate ratio's 95% interval."""
    adherence: float | None
    """Share of the planned days done as planned, 0 to 1."""
    days: int


@dataclass(frozen=True, slots=True)
class ReportContext:
    title: str
    made_on: date
    period: DateRange
    check: CheckSection | None
    check_problem: str | None
    """Why the latest saved check cannot be shown, when it cannot."""
    diary: DiarySection | None
    experiments: tuple[ExperimentSummary, ...]
    sources: tuple[SourceRef, ...]
    """The sources behind what the report shows of the check, each once, numbered from 1."""
    disclaimer: str

    @property
    def source_numbers(self) -> dict[str, int]:
        """Source id -> its number in the report's list."""
        return {s.id: i for i, s in enumerate(self.sources, start=1)}

    @property
    def period_text(self) -> str:
        start, end = self.period.start, self.period.end
        if start is None and end is None:
            return "the whole diary"
        if start is None:
            return f"up to {end}"
        if end is None:
            return f"from {start}"
        return f"{start} to {end}"


def build_report(
    episodes: Sequence[Episode],
    days: Sequence[DayFactors],
    assessments: Sequence[SavedAssessment],
    kb: KnowledgeBase,
    *,
    factors: Sequence[FactorDefinition],
    period: DateRange,
    made_on: date,
    experiments: Sequence[ExperimentSummary] = (),
) -> ReportContext:
    """The report for ``period``: the newest check saved in it and the diary entries in it."""
    episodes = [e for e in episodes if e.day in period]
    days = [d for d in days if d.day in period]
    saved = latest_check(assessments, period)
    check, problem = None, None
    if saved is not None:
        try:
            check = check_section(saved, kb)
        except InvalidInputError as exc:  # a broken import: the diary part is still worth having
            when = f"{saved.created_at:%Y-%m-%d}"
            problem = f"The latest saved check ({when}) cannot be read: {exc.render()}"
    diary = diary_section(episodes, days, factors=factors, end=period.end)
    return ReportContext(
        title=TITLE,
        made_on=made_on,
        period=period,
        check=check,
        check_problem=problem,
        diary=diary,
        experiments=tuple(experiments),
        sources=shown_sources(check) if check is not None else (),
        disclaimer=kb.disclaimer,
    )


def shown_sources(check: CheckSection) -> tuple[SourceRef, ...]:
    """The sources cited by the rules and the top causes the report shows, in that order.

    The full result also cites its advice; the report leaves the advice out, so its sources.
    """
    v = check.view
    groups = [r.sources for r in (*v.reasons, *v.other_reasons)]
    groups += [c.sources for c in v.top_causes]
    return tuple({s.id: s for group in groups for s in group}.values())


def load_report(
    store: DiaryStore,
    kb: KnowledgeBase,
    period: DateRange,
    *,
    made_on: date | None = None,
    experiments: Sequence[ExperimentSummary] | None = None,
) -> ReportContext:
    """``build_report`` on what the store holds for the period; ``experiments`` None means
    the store's experiments that overlap the period."""
    from crampwise.diary.factors import load_factors

    made_on = made_on or date.today()
    if experiments is None:
        experiments = stored_experiments(store, period, made_on)
    return build_report(
        store.list_episodes(period.start, period.end),
        store.list_days(period.start, period.end),
        store.list_assessments(),
        kb,
        factors=load_factors(),
        period=period,
        made_on=made_on,
        experiments=experiments,
    )


def stored_experiments(
    store: DiaryStore, period: DateRange, today: date
) -> list[ExperimentSummary]:
    """Each experiment of the diary that overlaps ``period``, with its result as of ``today``
    (the same analysis ``crampwise experiment result`` gives)."""
    from crampwise.experiments.running import cramp_dates, remedy, result
    from crampwise.experiments.store import ExperimentStore

    summaries = []
    for e in ExperimentStore(store).all():
        if (period.end is not None and e.start_date > period.end) or (
            period.start is not None and e.last_day < period.start
        ):
            continue
        if e.start_date > today:
            continue  # planned, not begun: nothing to report yet
        found = result(e, cramp_dates(store, e), today)
        summaries.append(
            ExperimentSummary(
                remedy_name=remedy(e.remedy).name,
                verdict=found.verdict,
                rate_ratio=found.rate_ratio,
                interval=found.interval,
                adherence=found.adherence,
                days=sum(found.days.values()),
            )
        )
    return summaries
