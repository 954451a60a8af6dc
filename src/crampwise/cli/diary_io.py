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
    from crampwise.diary.importer import ImportCounts
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
    type=click.Choice(["json", "csv", "fhir"]),
    default="json",
    show_default=True,
    help="json: everything in one document. csv: episodes as a spreadsheet. fhir: everything "
    "as a FHIR R4 Bundle (JSON) for a health record.",
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
            written = (
                f"{_count(summary['episodes'], 'episodes')}, {_count(summary['days'], 'days')}"
            )
        elif fmt == "fhir":
            from crampwise.fhir import write_bundle  # fhir.resources: only for this format

            with _output(out) as handle:
                held = write_bundle(store, handle)
            written = (
                f"{_count(held['episodes'], 'episodes')}, {_count(held['days'], 'days')} and "
                f"{_count(held['assessments'], 'assessments')} as a FHIR bundle"
            )
        else:
            if out is not None and out.is_dir():
                days_path = out / "days.csv"
                out = out / "episodes.csv"
            with _output(out) as handle:
                n = write_episodes_csv(store.list_episodes(), handle)
            written = _count(n, "episodes")
            if days_path is not None:
                with _output(days_path) as handle:
                    written += f", {_count(write_days_csv(store.list_days(), handle), 'days')}"
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
    help="Entries written per statement (the whole import is one transaction).",
)
@click.option("--yes", is_flag=True, help="Import dates far before the rest of the diary.")
def import_(file: Path, batch_size: int, yes: bool) -> None:
    """Import a diary export (JSON) or a CSV of episodes or of days.

    The whole file is checked first: one bad line and nothing is written. Then it is
    written all at once: even a crash leaves all of it or none of it. Entries already in
    the diary are skipped and counted, so importing a file twice adds nothing; a day
    already recorded gets the imported factors added to it.
    """
    from crampwise.diary.transfer import read_import_file

    plan = read_import_file(file)
    with open_diary() as store:
        counts = _write_with_progress(
            store, plan, batch_size, f"Importing {file.name}", allow_far_before=yes
        )
    # On stderr after the progress line, so the two read in order however they are captured.
    click.echo(import_summary(counts, file.name), err=True)


def import_summary(counts: ImportCounts, source: str) -> str:
    """One sentence: what was imported, what was merged, what was already there."""
    parts = [
        _count(counts.episodes, "episodes"),
        _count(counts.days, "days"),
        _count(counts.assessments, "assessments"),
    ]
    if counts.experiments:  # named only when the file brought one: most files have none
        parts.append(_count(counts.experiments, "experiments"))
    text = f"Imported {_and(parts)} from {source}"
    if counts.days_merged:
        text += f" ({counts.days_merged} of the days merged into days already recorded)"
    already = [_count(n, kind) for kind, n in counts.already.items() if n]
    if already:
        verb = "was" if counts.skipped == 1 else "were"
        text += f"; {_and(already)} {verb} already in your diary and {verb} skipped"
    return text + "."


def _count(n: int, plural: str) -> str:
    """'1 day', '2 days': ``plural`` is a noun that takes an s."""
    return f"{n} {plural[:-1] if n == 1 else plural}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


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
    help="Add the demo entries even if the diary has entries (days on the same dates are merged).",
)
def demo(days: int, seed: int, force: bool) -> None:
    """Fill a fresh diary with a realistic made-up one, to try the analysis.

    Point CRAMPWISE_DATABASE_URL at a separate file to keep the demo apart from your own
    diary.
    """
    from crampwise.diary.transfer import ImportPlan

    try:
        from crampwise.analysis.synthetic import generate_diary
        from crampwise.diary.factors import load_factors
        from crampwise.experiments.demo import demo_experiment
    except ImportError as exc:
        raise CrampwiseError(f"the demo generator is not available: {exc}") from None
    with open_diary() as store:
        held = store.counts()
        if any(held.values()) and not force:
            raise InvalidInputError(
                f"the diary already has {_count(held['episodes'], 'episodes')} and "
                f"{_count(held['days'], 'days')}",
                [FieldProblem("--force", "the demo fills a fresh diary; add --force to mix them")],
            )
        day_records, episodes = generate_diary(seed=seed, days=days, factors=load_factors())
        # A finished example experiment, with the diary's stretching and cramps to match.
        day_records, episodes, experiments = demo_experiment(day_records, episodes, seed)
        plan = ImportPlan(episodes=episodes, days=day_records, experiments=experiments)
        counts = _write_with_progress(
            store, plan, 1000, "Making a demo diary", allow_far_before=True
        )
    click.echo(
        f"Demo diary ready: {_count(counts.episodes, 'cramps')} and "
        f"{_count(counts.days, 'recorded days')}"
        + (  # a short demo diary has no room for the example experiment
            f", with {_count(counts.experiments, 'finished experiments')} "
            "(see `crampwise experiment list`)."
            if counts.experiments
            else "."
        ),
        err=True,
    )


def _write_with_progress(
    store: DiaryStore, plan: ImportPlan, batch_size: int, label: str, *, allow_far_before: bool
) -> ImportCounts:
    from crampwise.diary.transfer import check_dates, write_plan

    if not allow_far_before:  # before the progress bar: its label means "writing now"
        check_dates(store, plan, "add --yes")
    with click.progressbar(length=plan.total, label=label, file=sys.stderr) as bar:
        return write_plan(store, plan, batch_size, bar.update, allow_far_before=True)
