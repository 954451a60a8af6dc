"""`crampwise report`: a one- or two-page report for your doctor, as PDF or HTML.

The file name holds no health data: by default ``crampwise-report-YYYY-MM-DD.pdf`` (the day
it is made) in the current folder. An existing file is never overwritten without --force.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from crampwise.errors import FieldProblem, InvalidInputError

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: its extension, .pdf or .html, chooses the format. "
    "Default: crampwise-report-YYYY-MM-DD.pdf (today's date) in the current folder.",
)
@click.option("--from", "start", type=_DATE, help="First diary day to include (YYYY-MM-DD).")
@click.option("--to", "end", type=_DATE, help="Last diary day to include (YYYY-MM-DD).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def report(out: Path | None, start: datetime | None, end: datetime | None, force: bool) -> None:
    """Write a report for your doctor: your latest saved check and what your diary shows.

    One or two A4 pages with the triage and its reasons, the likely causes with the findings
    for and against, your medicines and conditions, the diary's figures, trend, chart and
    factor links, and the sources. The PDF needs WeasyPrint; the HTML file does not.
    """
    from crampwise.cli.diary import open_diary
    from crampwise.diary.dates import date_range
    from crampwise.knowledge import load_knowledge
    from crampwise.report import format_of, load_report, render_html, render_pdf, require_pdf
    from crampwise.report import report_filename as filename

    period = date_range(_day(start), _day(end), start_field="--from", end_field="--to")
    today = date.today()
    path = out if out is not None else Path(filename(today, "pdf"))
    fmt = format_of(path.name, "--out")
    require_pdf(fmt)
    if path.exists() and not force:
        raise InvalidInputError(
            "the report file exists",
            [FieldProblem("--out", f"{str(path)!r} exists: add --force to replace it")],
        )
    with open_diary() as store:
        context = load_report(store, load_knowledge(), period, made_on=today)
    data = render_pdf(context) if fmt == "pdf" else render_html(context, standalone=True)
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        problem = FieldProblem("--out", f"cannot write {str(path)!r}: {exc.strerror}")
        raise InvalidInputError("cannot write the report", [problem]) from None
    click.echo(f"Wrote {path}", err=True)
