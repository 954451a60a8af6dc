"""What an import file holds once read and checked, and how its problems are gathered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.errors import FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.experiments.store import Experiment

FORMAT = "crampwise-diary/1"
DOCUMENT_KEYS = ("format", "episodes", "days", "assessments", "experiments")
SECTIONS = ("episodes", "days", "assessments", "experiments")
LIST_SEPARATOR = ";"  # inside one CSV cell: "toes;calf"
DEFAULT_BATCH = 1000
MAX_REPORTED = 50  # a broken 100k-line file should not print 100k lines

# (section, index) -> (the prefix of the record's field paths, its line in the file)
Locator = Callable[[str, int], tuple[str, int | None]]


def _in_document(section: str, index: int) -> tuple[str, int | None]:
    return f"{section}[{index}].", None


@dataclass
class ImportPlan:
    """Everything an import file holds, already validated.

    ``source`` names the file in messages; ``locate`` says where a record came from, for
    problems found only when the plan is written (a date far before the diary).
    """

    episodes: list[Episode] = field(default_factory=list)
    days: list[DayFactors] = field(default_factory=list)
    assessments: list[SavedAssessment] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    """N-of-1 experiments with their check-ins (``crampwise.experiments.transfer``)."""
    source: str = "file"
    locate: Locator = _in_document

    @property
    def total(self) -> int:
        return len(self.episodes) + len(self.days) + len(self.assessments) + len(self.experiments)


class Collector:
    """Gathers the problems of many records so one error reports them all (up to a cap)."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []
        self.records = 0

    def add(self, problems: list[FieldProblem]) -> None:
        self.items.extend(problems)

    def collect(self) -> _Catch:
        """``with collector.collect(): ...`` keeps an InvalidInputError's problems."""
        return _Catch(self)

    def raise_if_any(self, prefix: str = "") -> None:
        if not self.items:
            return
        shown = self.items[:MAX_REPORTED]
        more = len(self.items) - len(shown)
        tail = f" (first {MAX_REPORTED} of {len(self.items)} problems shown)" if more else ""
        raise InvalidInputError(
            f"{prefix}nothing imported: {self.records} record(s) are invalid{tail}", shown
        )


class _Catch:
    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if isinstance(exc, InvalidInputError):
            self.collector.add(exc.problems)
            self.collector.records += 1
            return True
        return False
