"""A small SVG of cramps per day by arm, written by hand (no matplotlib, no fonts to embed).

The drawing is 300 units wide and scales with its container, so in the ~310 px a 390 px
phone screen leaves for it every label is at least 12 px (``FONT`` = 13). Meaning never
rests on colour alone: remedy days are filled bars, usual days hollow, washout days a hatched
band, and the legend says so. A ``<title>`` and ``<desc>`` give screen readers the key
numbers; the output is deterministic (same input, same bytes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from xml.sax.saxutils import escape

from crampwise.experiments.analysis import ExperimentResult
from crampwise.experiments.design import Schedule

WIDTH = 300
FONT = 13
BLUE, ORANGE, GREY = "#0072B2", "#D55E00", "#595959"
LEFT, RIGHT, TOP = 34, 8, 34
PLOT_H = 150
BOTTOM = 64


def _date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def describe(result: ExperimentResult) -> str:
    """One paragraph with the key numbers, for the SVG's <desc> and an alt text."""
    parts = [
        f"{result.cramps['remedy']} cramps on {result.days['remedy']} counted remedy days,"
        f" {result.cramps['usual']} on {result.days['usual']} counted usual days."
    ]
    if result.rate_ratio is not None and result.interval is not None:
        lo, hi = result.interval
        parts.append(
            f"Rate ratio {result.rate_ratio:.2f} (95% interval {lo:.2f} to {hi:.2f});"
            f" chance of any benefit {result.p_benefit:.0%}."
        )
    parts.append(f"Verdict: {result.verdict}.")
    return " ".join(parts)


def chart_svg(
    schedule: Schedule,
    cramp_dates: Iterable[date | datetime],
    today: date,
    result: ExperimentResult | None = None,
) -> str:
    """The SVG document (a string) of cramps per day, coloured by arm, days up to ``today``.

    Days after ``today`` are drawn as an empty strip so the whole plan is visible.
    """
    per_day = Counter(_date(d) for d in cramp_dates)
    days = schedule.days
    n = len(days)
    plot_w = WIDTH - LEFT - RIGHT
    bar_w = plot_w / n
    top_count = max([per_day.get(d.date, 0) for d in days if d.date <= today] + [2])
    scale = PLOT_H / top_count
    height = TOP + PLOT_H + BOTTOM
    title = f"Cramps per day: {schedule.remedy} versus usual routine"
    desc = describe(result) if result is not None else title
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="exp-chart-title exp-chart-desc" '
        f'font-family="sans-serif" font-size="{FONT}">',
        f'<title id="exp-chart-title">{escape(title)}</title>',
        f'<desc id="exp-chart-desc">{escape(desc)}</desc>',
        '<defs><pattern id="washout" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" '
        f'stroke="{GREY}" stroke-width="1"/></pattern></defs>',
        f'<text x="{LEFT}" y="{FONT + 4}" fill="#000">Cramps per day</text>',
    ]
    base = TOP + PLOT_H
    for tick in range(0, top_count + 1, max(1, top_count // 4)):
        y = base - tick * scale
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, day in enumerate(days):
        x = LEFT + i * bar_w
        colour = BLUE if day.arm == "remedy" else ORANGE
        if not day.counted:
            out.append(
                f'<rect x="{x:.2f}" y="{TOP}" width="{bar_w:.2f}" height="{PLOT_H}" '
                'fill="url(#washout)" opacity="0.35"/>'
            )
        count = per_day.get(day.date, 0) if day.date <= today else 0
        if count:
            h = count * scale
            fill = colour if day.arm == "remedy" else "#fff"
            out.append(
                f'<rect class="bar" x="{x + 0.5:.2f}" y="{base - h:.2f}" '
                f'width="{max(bar_w - 1, 1):.2f}" '
                f'height="{h:.2f}" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
            )
        # The arm strip under the axis: the schedule as a calendar strip.
        strip = colour if day.date <= today else "#fff"
        out.append(
            f'<rect x="{x:.2f}" y="{base + 4}" width="{bar_w:.2f}" height="8" fill="{strip}" '
            f'stroke="{colour}" stroke-width="0.5"/>'
        )
    out.append(f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#000"/>')
    out.append(f'<text x="{LEFT}" y="{base + 28}">{days[0].date:%d %b}</text>')
    out.append(
        f'<text x="{WIDTH - RIGHT}" y="{base + 28}" text-anchor="end">{days[-1].date:%d %b}</text>'
    )
    legend_y = base + 52
    out.append(
        f'<rect x="{LEFT}" y="{legend_y - 10}" width="12" height="12" fill="{BLUE}"/>'
        f'<text x="{LEFT + 16}" y="{legend_y}">remedy</text>'
        f'<rect x="{LEFT + 90}" y="{legend_y - 10}" width="12" height="12" fill="#fff" '
        f'stroke="{ORANGE}" stroke-width="1.5"/>'
        f'<text x="{LEFT + 106}" y="{legend_y}">usual</text>'
        f'<rect x="{LEFT + 165}" y="{legend_y - 10}" width="12" height="12" '
        'fill="url(#washout)"/>'
        f'<text x="{LEFT + 181}" y="{legend_y}">not counted</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
