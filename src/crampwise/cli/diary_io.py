"""Moving diary data in and out: ``export``, ``import`` and the synthetic ``demo`` diary."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from crampwise.cli.diary import open_diary
from crampwise.errors import CrampwiseError, FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.diary.store import DiaryStore
    from crampwise.diary.transfer import ImportPlan


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            yield handle
    except OSError as exc:
        raise InvalidInputError(
            "cannot write the export", [FieldProblem("--out", f"{path}: {exc.strerror}")]
        ) from None


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: everything in one document. csv: episodes as a spreadsheet.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="File to write (default: standard output). For csv, a directory gets "
    "episodes.csv and days.csv.",
)
@click.option(
    "--days",
    "days_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --format csv: also write the daily factors as CSV to this file.",
)
def export(fmt: str, out: Path | None, days_path: Path | None) -> None:
    """Export the whole diary, to keep a copy or to move it to another machine."""
    from crampwise.diary.transfer import write_days_csv, write_episodes_csv, write_json

    if days_path is not None and fmt != "csv":
        raise InvalidInputError(
            "--days needs --format csv", [FieldProblem("--days", "the JSON export has the days")]
        )
    with open_diary() as store:
        if fmt == "json":
            with _output(out) as handle:
                write_json(store, handle)
            summary = store.counts()
            written = f"{summary['episodes']} episodes, {summary['days']} days"
        else:
            if out is not None and out.is_dir():
                days_path = out / "days.csv"
                out = out / "episodes.csv"
            with _output(out) as handle:
                n = write_episodes_csv(store.list_episodes(), handle)
            written = f"{n} episodes"
            if days_path is not None:
                with _output(days_path) as handle:
                    written += f", {write_days_csv(store.list_days(), handle)} days"
    if out is not None:
        also = f" and {days_path}" if days_path is not None else ""
        click.echo(f"Exported {written} to {out}{also}.", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Entries written per transaction.",
)
def import_(file: Path, batch_size: int) -> None:
    """Import a diary export (JSON) or a CSV of episodes or of days.

    The whole file is checked first: one bad line and nothing is written. Entries are
    added to the diary; a day already recorded is replaced by the imported one.
    """
    from crampwise.diary.transfer import read_import_file

    plan = read_import_file(file)
    with open_diary() as store:
        counts = _write_with_progress(store, plan, batch_size, f"Importing {file.name}")
    click.echo(
        f"Imported {counts['episodes']} episodes, {counts['days']} days and "
        f"{counts['assessments']} assessments from {file.name}."
    )


@click.command("demo")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=365,
    show_default=True,
    help="How many days of diary to make up.",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    show_default=True,
    help="Random seed: the same seed gives the same diary.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Add the demo entries even if the diary has entries "
    "(days on the same dates are replaced).",
)
def demo(days: int, seed: int, force: bool) -> None:
    """Fill a fresh diary with a realistic made-up one, to try the analysis.

    Point CRAMPWISE_DATABASE_URL at a separate file to keep the demo apart from your own
    diary.
    """
    from crampwise.diary.transfer import ImportPlan

    try:
        from crampwise.analysis.synthetic import generate_diary
    except ImportError as exc:
        raise CrampwiseError(f"the demo generator is not available: {exc}") from None
    with open_diary() as store:
        held = store.counts()
        if any(held.values()) and not force:
            raise InvalidInputError(
                f"the diary already has {held['episodes']} episodes and {held['days']} days",
                [FieldProblem("--force", "the demo fills a fresh diary; add --force to mix them")],
            )
        day_records, episodes = generate_diary(seed=seed, days=days)
        plan = ImportPlan(episodes=episodes, days=day_records)
        counts = _write_with_progress(store, plan, 1000, "Making a demo diary")
    click.echo(f"Demo diary ready: {counts['episodes']} cramps and {counts['days']} recorded days.")


def _write_with_progress(
    store: DiaryStore, plan: ImportPlan, batch_size: int, label: str
) -> dict[str, int]:
    from crampwise.diary.transfer import write_plan

    with click.progressbar(length=plan.total, label=label, file=sys.stderr) as bar:
        return write_plan(store, plan, batch_size, bar.update)
