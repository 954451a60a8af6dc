"""SVG charts drawn locally with matplotlib: cramps over time, and factor rate ratios.

matplotlib is imported only inside these functions (it costs most of a second), and the
files are reproducible byte for byte: a fixed hash salt, no date in the metadata. Colours
are from the Okabe-Ito palette (safe for colour-blind readers), and meaning never rests on
colour alone: clear associations are also filled markers, the others hollow. Each SVG
carries a <title> and a <desc> so screen readers announce what it shows.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from crampwise.analysis.design import DayTable
from crampwise.analysis.triggers import TriggerReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE, ORANGE, GREY = "#0072B2", "#D55E00", "#595959"
SMOOTH_DAYS = 14
SMOOTH_DAYS_LONG = 56  # over years, a 14-day mean is too jumpy to show the trend
LONG_DAYS = 365
RATIO_TICKS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 10.0, 20.0)
RC: dict[Any, Any] = {
    "svg.hashsalt": "crampwise",
    "svg.fonttype": "path",  # text as paths: the same file whatever fonts are installed
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
CRAMPS_FILE = "cramps_over_time.svg"
EFFECTS_FILE = "factor_effects.svg"


def _svg(fig: Figure, title: str, desc: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue().decode("utf-8")
    # Give the root <svg> an accessible name: role, <title> and <desc> as its first children.
    head = f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    text = re.sub(r"(<svg\b[^>]*?)>", rf'\1 role="img">{head}', text, count=1)
    return text.encode("utf-8")


MIN_AXIS_DAYS = 14


def cramps_over_time_svg(table: DayTable) -> bytes:
    """Daily cramp counts with a centred 14-day mean."""
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    counts = table.counts
    width = min(SMOOTH_DAYS if table.n_days <= LONG_DAYS else SMOOTH_DAYS_LONG, table.n_days)
    kernel = np.ones(width)
    # Centred mean; near the ends divide by the days actually in the window.
    smooth = np.convolve(counts, kernel, "same") / np.convolve(np.ones_like(counts), kernel, "same")
    title = "Cramps over time"
    desc = (
        f"Cramps per day from {table.days[0]:%d %B %Y} to {table.days[-1]:%d %B %Y}: "
        f"{int(counts.sum())} cramps over {table.n_days} days, with a {width}-day average."
    )
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8, 3.6), layout="constrained")
        ax = fig.add_subplot()
        days = np.array(table.days, dtype="datetime64[D]")
        label = "cramps that day"
        shown_days, shown = days, counts
        if table.n_days > LONG_DAYS:
            # Weekly means: a day-by-day area over years is unreadable and makes huge files.
            weeks = table.n_days // 7
            shown = counts[: weeks * 7].reshape(weeks, 7).mean(axis=1)
            shown_days = days[: weeks * 7 : 7] + np.timedelta64(3, "D")
            label = "cramps per day, week by week"
        if table.n_days < MIN_AXIS_DAYS:
            # Too few days for an area (one day draws nothing): a bar per day.
            ax.bar(shown_days, shown, width=0.8, color=BLUE, alpha=0.6, label=label)
        else:
            # One stepped area rather than a bar per day keeps the file small.
            ax.fill_between(
                shown_days, shown, step="mid", color=BLUE, alpha=0.35, linewidth=0, label=label
            )
        ax.plot(days, smooth, color=ORANGE, linewidth=2, label=f"{width}-day average")
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.set_ylabel("Cramps per day")
        ax.set_ylim(bottom=0)
        if table.n_days < MIN_AXIS_DAYS:
            # A few days alone would let the date axis stretch over years around one point.
            pad = np.timedelta64((MIN_AXIS_DAYS - table.n_days) // 2 + 1, "D")
            ax.set_xlim(days[0] - pad, days[-1] + pad)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
        ax.legend(frameon=False, loc="upper left")
        return _svg(fig, title, desc)


def factor_effects_svg(report: TriggerReport) -> bytes:
    """Rate ratios with 95% intervals on a log axis, a line at 1 (no difference)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    shown = [r for r in report.results if r.rate_ratio is not None]
    hidden = len(report.results) - len(shown)
    title = "Factors and your cramps (rate ratios)"
    desc = (
        "; ".join(
            f"{r.label}{' (day before)' if r.lag else ''}: {r.rate_ratio:.2f} "
            f"(95% interval {r.ci_low:.2f} to {r.ci_high:.2f})"
            for r in shown
            if r.rate_ratio is not None and r.ci_low is not None and r.ci_high is not None
        )
        or "No factor has enough data yet."
    )
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9, 1.6 + 0.32 * max(len(shown), 2)), layout="constrained")
        ax = fig.add_subplot()
        for row, r in enumerate(reversed(shown)):
            assert r.rate_ratio is not None and r.ci_low is not None and r.ci_high is not None
            clear = r.status == "clear_association"
            colour = BLUE if clear else GREY
            ax.plot([r.ci_low, r.ci_high], [row, row], color=colour, linewidth=2)
            ax.plot(
                [r.rate_ratio],
                [row],
                marker="o",
                markersize=7,
                color=colour,
                markerfacecolor=colour if clear else "white",
            )
        labels = [f"{r.label}{' (day before)' if r.lag else ''}" for r in reversed(shown)]
        ax.set_yticks(range(len(shown)), labels)
        ax.set_xscale("log")
        ax.axvline(1.0, color="black", linewidth=1, linestyle="--")
        low = min((r.ci_low for r in shown if r.ci_low is not None), default=0.5)
        high = max((r.ci_high for r in shown if r.ci_high is not None), default=2.0)
        low, high = min(low, 0.8) / 1.1, max(high, 1.25) * 1.1
        ax.set_xlim(low, high)
        # Plain numbers (0.5, 1, 2) on the log axis, not powers of ten.
        ax.set_xticks([t for t in RATIO_TICKS if low <= t <= high], minor=False)
        ax.set_xticks([], minor=True)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        note = "Filled: clear association. Hollow: no clear association. Not proof of cause."
        if hidden:
            note += f" {hidden} not shown (not enough data)."
        ax.set_xlabel("Times as many cramps as on other days\n(log scale; 1 = no difference)")
        fig.supxlabel(note, fontsize=8, color=GREY)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
        if not shown:
            ax.text(0.5, 0.5, "Not enough data yet", ha="center", transform=ax.transAxes)
        return _svg(fig, title, desc)


def write_charts(table: DayTable, report: TriggerReport, out_dir: Path) -> list[Path]:
    """Write both charts into ``out_dir`` (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / CRAMPS_FILE, out_dir / EFFECTS_FILE]
    paths[0].write_bytes(cramps_over_time_svg(table))
    paths[1].write_bytes(factor_effects_svg(report))
    return paths
