"""SVG charts drawn locally with matplotlib: cramps over time, and factor rate ratios.

matplotlib is imported only inside the drawing functions (it costs most of a second), and
the files are reproducible byte for byte: a fixed hash salt, no date in the metadata. Colours
are from the Okabe-Ito palette (safe for colour-blind readers), and meaning never rests on
colour alone: clear associations are also filled markers, the others hollow. Each SVG
carries a <title> and a <desc> with the key numbers, so screen readers announce what it shows.

Each chart comes in two layouts (``WIDE``, ``NARROW``) so its text stays readable: an SVG
is scaled as a whole, and a desktop-sized chart shrunk onto a phone has 5 px text. The
smallest text of a layout, in points (the SVG's own units), times the width it is shown at
over its width in points, is the text size on screen; see ``Layout``.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from crampwise.analysis.chart_text import (
    ChartText,
    cramps_chart_text,
    effects_chart_text,
    factor_label,
    ratio_range,
    ratio_ticks,
)
from crampwise.analysis.design import DayTable
from crampwise.analysis.triggers import TriggerReport, TriggerResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CRAMPS_FILE",
    "ChartImage",
    "EFFECTS_FILE",
    "LAYOUTS",
    "NARROW",
    "WIDE",
    "Layout",
    "cramps_over_time_svg",
    "cramps_size",
    "effects_size",
    "factor_effects_svg",
    "write_charts",
]

BLUE, ORANGE, GREY = "#0072B2", "#D55E00", "#595959"
SMOOTH_DAYS = 14
SMOOTH_DAYS_LONG = 56  # over years, a 14-day mean is too jumpy to show the trend
LONG_DAYS = 365
MIN_AXIS_DAYS = 14
CRAMPS_FILE = "cramps_over_time.svg"
EFFECTS_FILE = "factor_effects.svg"
LINE = 1.3
"""Line height as a multiple of the font size, for sizing figures around their text."""


@dataclass(frozen=True, slots=True)
class Layout:
    """A chart's width and its smallest text, in points (1/72 inch, the SVG's units).

    The insights page shows ``WIDE`` from 48rem (768 CSS px) up, at least 734 px wide:
    10 pt x 734/576 = 12.7 px. Below that it shows ``NARROW`` at the full column width,
    356 px on a 390 px phone: 11 pt x 356/259 = 15 px (12 px still at 320 px).
    """

    name: str
    width: float
    """Inches."""
    font: float
    """Points: no text in the chart is smaller."""
    max_ticks: int
    """Labelled ticks on the ratio axis, at most."""
    wrap: int
    """Characters per line for long labels and notes."""

    @property
    def width_pt(self) -> float:
        return self.width * 72


@dataclass(frozen=True, slots=True)
class ChartImage:
    """A chart as a page shows it (``_macros.html`` ``chart_picture``): both layouts'
    addresses and sizes in points, and its alt text."""

    src: str
    size: tuple[int, int]
    narrow_src: str
    narrow_size: tuple[int, int]
    alt: str


WIDE = Layout("wide", width=8.0, font=10.0, max_ticks=9, wrap=95)
NARROW = Layout("narrow", width=3.6, font=11.0, max_ticks=6, wrap=38)
LAYOUTS = {layout.name: layout for layout in (WIDE, NARROW)}


def _rc(layout: Layout) -> dict[Any, Any]:
    return {
        "svg.hashsalt": "crampwise",
        "svg.fonttype": "path",  # text as paths: the same file whatever fonts are installed
        "font.size": layout.font,
        "axes.titlesize": layout.font,
        "axes.labelsize": layout.font,
        "xtick.labelsize": layout.font,
        "ytick.labelsize": layout.font,
        "legend.fontsize": layout.font,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _svg(fig: Figure, text: ChartText) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue().decode("utf-8")
    # Give the root <svg> an accessible name: role, <title> and <desc> as its first children.
    head = f"<title>{escape(text.title)}</title><desc>{escape(text.desc)}</desc>"
    svg = re.sub(r"(<svg\b[^>]*?)>", lambda m: f'{m.group(1)} role="img">{head}', svg, count=1)
    return svg.encode("utf-8")


def _title(fig: Figure, title: str, layout: Layout) -> None:
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=layout.font + 2)


def cramps_over_time_svg(table: DayTable, layout: Layout = WIDE) -> bytes:
    """Daily cramp counts with a centred 14-day mean (56-day over more than a year)."""
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
    narrow = layout is NARROW
    with matplotlib.rc_context(_rc(layout)):
        fig = Figure(figsize=(layout.width, _cramps_height(layout)), layout="constrained")
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
        # Fewer date ticks on a phone, so their labels do not collide.
        locator = AutoDateLocator(minticks=3, maxticks=6 if narrow else 10)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.set_ylabel("Cramps per day")
        ax.set_ylim(bottom=0)
        if table.n_days < MIN_AXIS_DAYS:
            # A few days alone would let the date axis stretch over years around one point.
            pad = np.timedelta64((MIN_AXIS_DAYS - table.n_days) // 2 + 1, "D")
            ax.set_xlim(days[0] - pad, days[-1] + pad)
        text = cramps_chart_text(table, smooth_days=width)
        _title(fig, text.title, layout)
        if narrow:  # below the plot: inside it would cover the data on a small chart
            fig.legend(frameon=False, loc="outside lower left")
        else:
            ax.legend(frameon=False, loc="upper left")
        return _svg(fig, text)


@dataclass(frozen=True, slots=True)
class _EffectsPlan:
    """What the factor chart holds and how tall it is: known before drawing, so the page can
    size its image (``effects_size``) without loading matplotlib."""

    rows: tuple[TriggerResult, ...]
    labels: tuple[str, ...]
    bands: tuple[float, ...]
    """Each row's height in text lines: (narrow) its label's lines, then the interval."""
    note: str
    xlabel: str
    height: float
    """Inches."""


def _plan_effects(report: TriggerReport, layout: Layout) -> _EffectsPlan:
    shown = [r for r in report.results if r.rate_ratio is not None]
    hidden = len(report.results) - len(shown)
    rows = tuple(reversed(shown))  # the first factor at the top
    narrow = layout is NARROW
    labels = tuple(_wrap(factor_label(r), layout.wrap) if narrow else factor_label(r) for r in rows)
    note = "Filled: clear association. Hollow: no clear association. Not proof of cause."
    if hidden:
        note += f" {hidden} not shown (not enough data)."
    xlabel = "Times as many cramps as on other days\n(log scale; 1 = no difference)"
    if narrow:
        xlabel = _wrap(xlabel.replace("\n", " "), layout.wrap)
    bands = tuple(label.count("\n") + 2.4 if narrow else 1.8 for label in labels)
    note = _wrap(note, layout.wrap)
    # Text lines around the rows: title, tick labels, axis label, note, padding.
    frame = 4.5 + xlabel.count("\n") + 1 + note.count("\n") + 1
    height = ((sum(bands) if rows else 4.0) + frame) * LINE * layout.font / 72
    return _EffectsPlan(rows, labels, bands, note, xlabel, round(height, 2))


def effects_size(report: TriggerReport, layout: Layout) -> tuple[float, float]:
    """The factor chart's width and height in points (its viewBox)."""
    return layout.width_pt, _plan_effects(report, layout).height * 72


def cramps_size(layout: Layout) -> tuple[float, float]:
    """The cramps chart's width and height in points (its viewBox)."""
    return layout.width_pt, _cramps_height(layout) * 72


def _cramps_height(layout: Layout) -> float:
    return 3.8 if layout is NARROW else 3.6


def factor_effects_svg(report: TriggerReport, layout: Layout = WIDE) -> bytes:
    """Rate ratios with 95% intervals on a log axis, a line at 1 (no difference).

    ``WIDE`` names each factor beside its row; ``NARROW`` above it, so the interval gets the
    whole width of a phone.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    plan = _plan_effects(report, layout)
    text = effects_chart_text(report)
    narrow = layout is NARROW
    rows, labels, note, xlabel, height = plan.rows, plan.labels, plan.note, plan.xlabel, plan.height
    with matplotlib.rc_context(_rc(layout)):
        fig = Figure(figsize=(layout.width, height), layout="constrained")
        ax = fig.add_subplot()
        lo, hi = ratio_range(
            [r.ci_low for r in rows if r.ci_low is not None],
            [r.ci_high for r in rows if r.ci_high is not None],
        )
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        ax.axvline(1.0, color="black", linewidth=1, linestyle="--")
        # Each row's interval sits at the bottom of its band, its label (narrow) above it.
        bottom = 0.0
        centres = []
        for r, label, band in zip(rows, labels, plan.bands, strict=True):
            y = bottom + 0.7
            _draw_row(ax, r, y, lo, hi)
            if narrow:
                # On a white ground: the dashed line at 1 would run through the words.
                ax.text(
                    0,
                    y + 0.75,
                    label,
                    transform=ax.get_yaxis_transform(),
                    va="bottom",
                    ha="left",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
            centres.append(y)
            bottom += band
        ax.set_ylim(0, max(bottom, 1.0))
        if narrow:
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
        else:
            ax.set_yticks(centres, labels)
        # Plain numbers (0.5, 0.75, 1, 2) on the log axis, not powers of ten, and no minor
        # ticks: matplotlib would label some of them in its own way.
        ax.set_xticks(ratio_ticks(lo, hi, layout.max_ticks), minor=False)
        ax.set_xticks([], minor=True)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.set_xlabel(xlabel)
        fig.supxlabel(note, fontsize=layout.font, color=GREY, ha="left", x=0.01)
        _title(fig, _wrap(text.title, layout.wrap - 4), layout)
        if not rows:
            ax.text(
                0.5,
                0.5,
                "Not enough data yet",
                ha="center",
                transform=ax.transAxes,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 2},
            )
        return _svg(fig, text)


def _draw_row(ax: Axes, r: TriggerResult, y: float, lo: float, hi: float) -> None:
    assert r.rate_ratio is not None and r.ci_low is not None and r.ci_high is not None
    clear = r.status == "clear_association"
    colour = BLUE if clear else GREY
    ax.plot([max(r.ci_low, lo), min(r.ci_high, hi)], [y, y], color=colour, linewidth=2)
    # An interval running off the axis (very sparse data) ends in an arrowhead.
    for beyond, edge, marker in ((r.ci_low < lo, lo, "<"), (r.ci_high > hi, hi, ">")):
        if beyond:
            ax.plot([edge], [y], marker=marker, markersize=7, color=colour, clip_on=False)
    if lo <= r.rate_ratio <= hi:
        ax.plot(
            [r.rate_ratio],
            [y],
            marker="o",
            markersize=7,
            color=colour,
            markerfacecolor=colour if clear else "white",
        )


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if len(text) > width else text


def write_charts(
    table: DayTable, report: TriggerReport, out_dir: Path, layout: Layout = WIDE
) -> list[Path]:
    """Write both charts into ``out_dir`` (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / CRAMPS_FILE, out_dir / EFFECTS_FILE]
    paths[0].write_bytes(cramps_over_time_svg(table, layout))
    paths[1].write_bytes(factor_effects_svg(report, layout))
    return paths
