"""The factor results in words: the caveats said once, the unclear factors in one sentence."""

from __future__ import annotations

from crampwise.analysis.readout import NOT_CAUSE, factor_readout
from crampwise.analysis.triggers import TriggerReport, TriggerResult


def _result(name: str, lag: int, status: str, label: str | None = None) -> TriggerResult:
    estimated = status != "not_enough_data"
    return TriggerResult(
        key=f"{name}_{lag}",
        name=name,
        label=label or name.replace("_", " "),
        lag=lag,
        status=status,  # type: ignore[arg-type]
        days_recorded=100,
        days_exposed=30,
        rate_ratio=1.2 if estimated else None,
        ci_low=0.9 if estimated else None,
        ci_high=1.6 if estimated else None,
        message=f"{name} {lag}: not enough data yet." if not estimated else "",
    )


def test_unclear_factors_share_one_sentence_and_each_factor_is_named_once() -> None:
    report = TriggerReport(
        results=(
            _result("low_water", 0, "clear_association"),
            _result("low_water", 1, "no_clear_association"),
            _result("footwear", 0, "no_clear_association", "tight, new or high-heeled shoes"),
            _result("footwear", 1, "no_clear_association", "tight, new or high-heeled shoes"),
            _result("alcohol", 0, "no_clear_association"),
            _result("alcohol", 1, "not_enough_data"),
            _result("medicine", 0, "not_enough_data"),
        ),
        days_modelled=100,
        dispersion=1.0,
    )
    words = factor_readout(report)
    assert words.unclear == (
        "No clear link for 4 of the 5 factor links tested: tight, new or high-heeled shoes; "
        "and, for the same day only, alcohol; and, for the day before only, low water."
    )
    assert words.clear == (
        "Low water: about 1.2 times as many cramps on those days as on other days "
        "(95% interval 0.90 to 1.6).",
    )
    assert words.waiting == ("alcohol 1: not enough data yet.", "medicine 0: not enough data yet.")
    # The multiple-testing caveat and "not cause" appear once, in the caveat only.
    assert words.caveat.startswith("Testing 5 factor links at once")
    assert words.caveat.endswith(NOT_CAUSE)
    text = " ".join(words.paragraphs())
    assert text.count("by chance") == 1 and text.count("not proof") == 1


def test_one_test_needs_no_multiple_testing_caveat() -> None:
    report = TriggerReport((_result("alcohol", 1, "no_clear_association"),), 50, 1.0)
    words = factor_readout(report)
    assert words.unclear == (
        "No clear link for 1 of the 1 factor link tested: for the day before only, alcohol."
    )
    assert words.caveat == NOT_CAUSE and words.clear == ()


def test_factors_short_of_days_share_one_sentence_grouped_by_what_they_need() -> None:
    def short(name: str, lag: int, recorded: int, exposed: int) -> TriggerResult:
        return TriggerResult(
            key=f"{name}_{lag}", name=name, label=name.replace("_", " "), lag=lag,
            status="not_enough_data", days_recorded=recorded, days_exposed=exposed,
            need_more_days=1, message=f"{name} {lag}: repeated words",
        )  # fmt: skip

    report = TriggerReport(
        results=(
            short("medicine", 0, 351, 2),
            short("medicine", 1, 336, 2),
            short("alcohol", 0, 1, 0),
            short("alcohol", 1, 0, 0),  # needs the most: named with this
            short("caffeine", 0, 0, 0),
            _result("stretching", 0, "not_enough_data"),  # another reason: its own words
        ),
        days_modelled=0,
        dispersion=None,
    )
    assert factor_readout(report).waiting == (
        "Not enough data yet for 3 factors: each needs 28 recorded days, at least 7 with the "
        "factor and 7 without. Still to record, 5 more days (5 with the factor): medicine. "
        "Still to record, 28 more days (7 with the factor and 7 without): alcohol; caffeine.",
        "stretching 0: not enough data yet.",
    )
