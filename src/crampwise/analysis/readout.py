"""The factor results as people read them, built once for the terminal and the web page.

Each clear association gets its own sentence with its numbers; the factors with no clear
association share one sentence; the caveats (many links tested at once, association is not
cause) are said once, not after every factor. The JSON keeps every result in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from crampwise.analysis.triggers import (
    MIN_DAYS,
    MIN_EXPOSED,
    MIN_UNEXPOSED,
    TriggerReport,
    TriggerResult,
    estimate_text,
    need_more,
)

METHOD = "Rate ratios from one model that allows for every factor at once."
NOT_CAUSE = "These are associations in your diary, not proof that a factor causes cramps."


@dataclass(frozen=True, slots=True)
class FactorReadout:
    method: str
    clear: tuple[str, ...]
    """One sentence, with its numbers, per clear association."""
    unclear: str | None
    """One sentence naming every factor link with no clear association."""
    waiting: tuple[str, ...]
    """The factors still short of days, in one sentence; a sentence per other reason."""
    caveat: str
    """The multiple-testing caveat and "association, not cause", said once."""

    def paragraphs(self) -> tuple[str, ...]:
        """Everything in reading order, for plain text."""
        return (self.method, *self.clear, *filter(None, [self.unclear]), *self.waiting, self.caveat)


def factor_readout(report: TriggerReport) -> FactorReadout:
    """The report's results in words; see the module doc."""
    clear = [r for r in report.results if r.status == "clear_association"]
    unclear = [r for r in report.results if r.status == "no_clear_association"]
    tested = len(clear) + len(unclear)
    return FactorReadout(
        method=METHOD,
        clear=tuple(_estimate(r) for r in clear),
        unclear=_unclear_sentence(unclear, tested) if unclear else None,
        waiting=_waiting([r for r in report.results if r.status == "not_enough_data"]),
        caveat=_caveat(tested),
    )


def _estimate(r: TriggerResult) -> str:
    assert r.rate_ratio is not None and r.ci_low is not None and r.ci_high is not None
    return estimate_text(r.label, r.lag, r.rate_ratio, r.ci_low, r.ci_high)


def _unclear_sentence(unclear: list[TriggerResult], tested: int) -> str:
    """'No clear link for 4 of the 6 factor links tested: a; b; and, for the day before
    only, c.' A factor unclear on the same day and on the day before is named once."""
    lags: dict[str, set[int]] = {}
    labels: dict[str, str] = {}
    for r in unclear:
        lags.setdefault(r.name, set()).add(r.lag)
        labels[r.name] = r.label
    both = [labels[n] for n, found in lags.items() if found == {0, 1}]
    same_day = [labels[n] for n, found in lags.items() if found == {0}]
    day_before = [labels[n] for n, found in lags.items() if found == {1}]
    # Labels may hold commas ("tight, new or high-heeled shoes"): items are kept apart by ';'.
    groups = [
        "; ".join(both),
        _only("the same day", same_day, first=not both),
        _only("the day before", day_before, first=not (both or same_day)),
    ]
    links = "link" if tested == 1 else "links"
    listed = "; ".join(g for g in groups if g)
    return f"No clear link for {len(unclear)} of the {tested} factor {links} tested: {listed}."


def _only(when: str, labels: list[str], *, first: bool) -> str:
    if not labels:
        return ""
    return f"{'' if first else 'and, '}for {when} only, {'; '.join(labels)}"


def _waiting(results: list[TriggerResult]) -> tuple[str, ...]:
    """Factors short of days share one sentence, each named once with the most it needs;
    a link that cannot be estimated for another reason keeps its own sentence."""
    short: dict[str, tuple[str, tuple[int, int, int]]] = {}
    for r in results:
        if r.need_more_days is None:
            continue
        need = need_more(r.days_recorded, r.days_exposed)
        if r.name not in short or need > short[r.name][1]:
            short[r.name] = (r.label, need)
    other = tuple(r.message for r in results if r.need_more_days is None)
    if not short:
        return other
    by_need: dict[tuple[int, int, int], list[str]] = {}
    for label, need in short.values():
        by_need.setdefault(need, []).append(label)
    factors = "factor" if len(short) == 1 else "factors"
    sentences = [
        f"Not enough data yet for {len(short)} {factors}: each needs {MIN_DAYS} recorded days, "
        f"at least {MIN_EXPOSED} with the factor and {MIN_UNEXPOSED} without."
    ]
    sentences += [
        f"Still to record, {_need_words(*need)}: {'; '.join(labels)}."
        for need, labels in by_need.items()
    ]
    return (" ".join(sentences), *other)


def _need_words(days: int, exposed: int, unexposed: int) -> str:
    parts = [f"{exposed} with the factor"] if exposed else []
    parts += [f"{unexposed} without"] if unexposed else []
    more = f"{days} more day" if days == 1 else f"{days} more days"
    return f"{more} ({' and '.join(parts)})" if parts else more


def _caveat(tested: int) -> str:
    if tested < 2:
        return NOT_CAUSE
    return (
        f"Testing {tested} factor links at once makes some differences appear by chance, so a "
        "link counts as clear only if it holds after allowing for that (Holm's correction). "
        + NOT_CAUSE
    )
