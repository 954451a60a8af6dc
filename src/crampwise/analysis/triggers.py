"""Which daily factors go with more (or fewer) cramps: rate ratios from one Poisson model.

Method, in order:

1. Every factor's exposure enters twice, for the same day and for the day before.
2. Minimum data (per column, on the days it is recorded): at least ``MIN_DAYS`` = 28 days,
   with at least ``MIN_EXPOSED`` = 7 exposed and ``MIN_UNEXPOSED`` = 7 unexposed days.
   Below that a factor is "not enough data" and we say how many more days are needed.
3. Complete-case analysis: a day is modelled only when every modelled column is recorded
   for it (days without a factor record are left out, not counted as unexposed). If that
   leaves a column short of the minimum, the sparsest such column is dropped and we repeat.
4. One model holds all exposures together, plus a slow piecewise-linear time trend, so each
   rate ratio is adjusted for the other factors and for drift over the months.
5. Columns that cannot be estimated are reported as "not enough data", never as a crash:
   exposures that move in lockstep with others (collinear), and exposures with no cramps
   on every exposed (or unexposed) day, whose rate ratio would be 0 or infinite.
6. Quasi-Poisson Wald 95% intervals and p-values (see poisson.py); Holm's correction across
   every column tested. "Clear association" needs a Holm-adjusted p below 0.05.

These are associations in one person's diary, never proof that a factor causes cramps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

from crampwise.analysis.design import DayTable, ExposureColumn
from crampwise.analysis.poisson import MAX_ABS_COEF, FitError, PoissonFit, fit_poisson, holm

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MIN_DAYS = 28
MIN_EXPOSED = 7
MIN_UNEXPOSED = 7
ALPHA = 0.05

Status = Literal["clear_association", "no_clear_association", "not_enough_data"]
CAVEAT = "This is an association, not proof of cause."


@dataclass(frozen=True, slots=True)
class TriggerResult:
    key: str
    name: str
    label: str
    lag: int
    status: Status
    days_recorded: int
    days_exposed: int
    rate_ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    need_more_days: int | None = None
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TriggerReport:
    results: tuple[TriggerResult, ...]
    days_modelled: int
    dispersion: float | None
    method: str = "Poisson regression, quasi-Poisson Wald 95% intervals, Holm correction"

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "days_modelled": self.days_modelled,
            "dispersion": self.dispersion,
            "results": [r.to_dict() for r in self.results],
        }

    def by_key(self) -> dict[str, TriggerResult]:
        return {r.key: r for r in self.results}


def need_more(recorded: int, exposed: int) -> tuple[int, int, int]:
    """(more days, more exposed days, more unexposed days) still needed; all 0 when enough.

    The day count is the fewest further recorded days that could meet every threshold.
    """
    unexposed = recorded - exposed
    more_exposed = max(MIN_EXPOSED - exposed, 0)
    more_unexposed = max(MIN_UNEXPOSED - unexposed, 0)
    more_days = max(MIN_DAYS - recorded, more_exposed + more_unexposed, 0)
    return more_days, more_exposed, more_unexposed


def _subject(col: ExposureColumn) -> str:
    return subject(col.label, col.lag)


def subject(label: str, lag: int) -> str:
    """A factor exposure as the start of a sentence: "Stretching done, the day before"."""
    label = label[0].upper() + label[1:]
    return label if lag == 0 else f"{label}, the day before"


def fmt_ratio(x: float) -> str:
    """Two significant figures, keeping a trailing zero (2.0, 0.60, 12)."""
    if x >= 10:
        return f"{x:.0f}"
    return f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def _ratio_words(rr: float) -> str:
    if 0.95 <= rr < 1.05:
        return f"about as many cramps ({rr:.2f} times as many)"
    if rr >= 1.0:
        return f"about {fmt_ratio(rr)} times as many cramps"
    return f"about {round((1 - rr) * 100)}% fewer cramps ({fmt_ratio(rr)} times as many)"


def _need_message(col: ExposureColumn, recorded: int, exposed: int) -> tuple[int, str]:
    days, more_exp, more_unexp = need_more(recorded, exposed)
    parts = []
    if more_exp:
        parts.append(f"at least {more_exp} of them with {col.label}")
    if more_unexp:
        parts.append(f"at least {more_unexp} without")
    extra = f" ({', '.join(parts)})" if parts else ""
    text = (
        f"{_subject(col)}: not enough data yet ({recorded} days recorded, {exposed} exposed). "
        f"Need {days} more days{extra}."
    )
    return days, text


def _tally(col: ExposureColumn, rows: NDArray[np.bool_]) -> tuple[int, int]:
    import numpy as np

    values = col.values[rows]
    values = values[~np.isnan(values)]
    return int(values.size), int(values.sum())


def _short(col: ExposureColumn, rows: NDArray[np.bool_]) -> bool:
    return need_more(*_tally(col, rows))[0] > 0


def _not_enough(col: ExposureColumn, rows: NDArray[np.bool_], why: str | None) -> TriggerResult:
    recorded, exposed = _tally(col, rows)
    days, text = _need_message(col, recorded, exposed)
    if why is not None:
        days, text = 0, f"{_subject(col)}: not enough data to tell: {why}"
    return TriggerResult(
        key=col.key,
        name=col.name,
        label=col.label,
        lag=col.lag,
        status="not_enough_data",
        days_recorded=recorded,
        days_exposed=exposed,
        need_more_days=days if why is None else None,
        message=text,
    )


def analyse_triggers(
    table: DayTable, *, progress: Callable[[int], None] | None = None
) -> TriggerReport:
    """Rate ratios for every factor exposure, same day and previous day (see module doc)."""
    step = progress or (lambda _n: None)
    skipped: dict[str, TriggerResult] = {}
    candidates, rows = _complete_cases(table, skipped)
    step(1)
    candidates, fit = _fit(table, candidates, rows, skipped)
    step(1)
    estimated: dict[str, TriggerResult] = {}
    if fit is not None and candidates:
        offset = fit.params.size - len(candidates)
        walds = [fit.wald(offset + j) for j in range(len(candidates))]
        adjusted = holm([w[3] for w in walds])
        for col, (b, lo, hi, p), p_adj in zip(candidates, walds, adjusted, strict=True):
            estimated[col.key] = _estimate(col, rows, b, lo, hi, p, p_adj, len(candidates))
    step(1)
    ordered = [estimated.get(c.key) or skipped[c.key] for c in table.columns]
    return TriggerReport(
        results=tuple(ordered),
        days_modelled=int(rows.sum()) if fit is not None else 0,
        dispersion=fit.dispersion if fit is not None else None,
    )


def _complete_cases(
    table: DayTable, skipped: dict[str, TriggerResult]
) -> tuple[list[ExposureColumn], NDArray[np.bool_]]:
    """Steps 2-3: the columns with enough days, and the days on which all of them are known.

    Columns that fall short are added to ``skipped``.
    """
    import numpy as np

    recorded = table.recorded.copy()
    candidates: list[ExposureColumn] = []
    for col in table.columns:  # 2. the guardrail on each column's own recorded days
        if _short(col, recorded):
            skipped[col.key] = _not_enough(col, recorded, None)
        else:
            candidates.append(col)

    def complete_rows(cols: list[ExposureColumn]) -> NDArray[np.bool_]:
        rows = recorded.copy()
        for col in cols:
            rows &= ~np.isnan(col.values)
        return rows

    rows = complete_rows(candidates)
    while True:  # 3. complete cases; drop the sparsest column that falls short, then repeat
        short = [c for c in candidates if _short(c, rows)]
        if not short:
            return candidates, rows
        worst = min(short, key=lambda c: int((~np.isnan(c.values) & recorded).sum()))
        skipped[worst.key] = _not_enough(worst, rows, None)
        candidates.remove(worst)
        rows = complete_rows(candidates)


def _fit(
    table: DayTable,
    candidates: list[ExposureColumn],
    rows: NDArray[np.bool_],
    skipped: dict[str, TriggerResult],
) -> tuple[list[ExposureColumn], PoissonFit | None]:
    """Steps 4-5: fit the model, dropping columns that cannot be estimated, until it holds.

    Returns the columns in the fit (in design order) and the fit; dropped columns go to
    ``skipped`` with the reason.
    """
    y = table.counts[rows]
    if candidates and y.sum() == 0:
        for col in candidates:
            skipped[col.key] = _not_enough(col, rows, "no cramps on the days recorded.")
        return [], None
    while candidates:
        base, X, candidates = _design(table, candidates, rows, skipped)
        if not candidates:
            break
        try:
            fit = fit_poisson(X, y)
        except FitError as exc:
            for col in candidates:
                skipped[col.key] = _not_enough(col, rows, f"the model could not be fitted ({exc}).")
            return [], None
        offset = base.shape[1]
        runaway = [
            c for j, c in enumerate(candidates) if abs(fit.params[offset + j]) > MAX_ABS_COEF
        ]
        if not runaway:
            return candidates, fit
        for col in runaway:
            why = "the rate ratio runs off to 0 or infinity (too few cramps on some days)."
            skipped[col.key] = _not_enough(col, rows, why)
            candidates.remove(col)
    return candidates, None


def _design(
    table: DayTable,
    candidates: list[ExposureColumn],
    rows: NDArray[np.bool_],
    skipped: dict[str, TriggerResult],
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[ExposureColumn]]:
    """The base columns (intercept, time), the full design, and the columns kept in it:
    a column with no cramps on one side, or one the others already explain, is skipped."""
    import numpy as np

    y = table.counts[rows]
    base = np.column_stack([np.ones(int(rows.sum())), table.time_basis()[rows]])
    kept: list[ExposureColumn] = []
    X = base
    for col in candidates:
        x = col.values[rows]
        if y[x == 1].sum() == 0 or y[x == 0].sum() == 0:
            side = "exposed" if y[x == 1].sum() == 0 else "unexposed"
            why = f"no cramps on any {side} day, so no rate ratio can be estimated."
            skipped[col.key] = _not_enough(col, rows, why)
            continue
        if _collinear(X, x):
            why = "it always came together with other factors, so they cannot be told apart."
            skipped[col.key] = _not_enough(col, rows, why)
            continue
        X = np.column_stack([X, x])
        kept.append(col)
    return base, X, kept


def _collinear(X: NDArray[np.float64], x: NDArray[np.float64]) -> bool:
    """True when ``x`` is (almost) a linear combination of the columns of ``X``.

    Projects ``x`` on ``X`` by least squares on the small Gram matrix (cheaper than an SVD
    of the whole table) and compares the residual with the column's own size.
    """
    import numpy as np

    gram = X.T @ X
    cross = X.T @ x
    try:
        coef = np.linalg.solve(gram, cross)
    except np.linalg.LinAlgError:
        return True
    residual = float(x @ x - cross @ coef)
    return residual <= 1e-8 * float(x @ x)


def estimate_text(label: str, lag: int, rr: float, low: float, high: float) -> str:
    """One estimate in words, without the caveats (the insights say those once)."""
    where = "on those days as on other days" if lag == 0 else "the day after as after others"
    return (
        f"{subject(label, lag)}: {_ratio_words(rr)} {where} "
        f"(95% interval {fmt_ratio(low)} to {fmt_ratio(high)})."
    )


def _estimate(
    col: ExposureColumn,
    rows: NDArray[np.bool_],
    b: float,
    lo: float,
    hi: float,
    p: float,
    p_adj: float,
    n_tests: int,
) -> TriggerResult:
    recorded, exposed = _tally(col, rows)
    rr, rr_lo, rr_hi = math.exp(b), math.exp(lo), math.exp(hi)
    clear = p_adj < ALPHA
    text = estimate_text(col.label, col.lag, rr, rr_lo, rr_hi)
    if clear:
        text += f" {CAVEAT}"
    else:
        text += f" No clear association once {n_tests} factor links are tested together."
    return TriggerResult(
        key=col.key,
        name=col.name,
        label=col.label,
        lag=col.lag,
        status="clear_association" if clear else "no_clear_association",
        days_recorded=recorded,
        days_exposed=exposed,
        rate_ratio=rr,
        ci_low=rr_lo,
        ci_high=rr_hi,
        p_value=p,
        p_adjusted=p_adj,
        message=text,
    )
