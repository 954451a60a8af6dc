"""The command line: a thin layer over the library.

Commands are imported only when run, so `crampwise --help` stays fast and heavy libraries
(statistics, charts, the web server) never load for commands that do not need them.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from crampwise.errors import CrampwiseError

# name -> ("module:attribute", one-line help). Add a command by adding a line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("crampwise.cli.check:check", "Assess your cramps: an interview, or a case file."),
    "checks": ("crampwise.cli.checks:checks", "List your saved checks, or open one again."),
    "day": ("crampwise.cli.diary:day", "Record a day's factors: water, exercise, footwear …"),
    "demo": ("crampwise.cli.diary_io:demo", "Fill a fresh diary with a realistic made-up one."),
    "experiment": (
        "crampwise.cli.experiment:experiment",
        "Test a remedy on yourself: a randomised N-of-1 experiment.",
    ),
    "export": ("crampwise.cli.diary_io:export", "Export the diary as JSON, CSV or FHIR."),
    "history": ("crampwise.cli.history:history", "Show logged cramps and recorded days."),
    "import": ("crampwise.cli.diary_io:import_", "Import a diary export or a CSV file."),
    "log": ("crampwise.cli.diary:log", "Log a cramp: --site toes --severity 6 --minutes 2."),
    "eval": ("crampwise.cli.evaluate:evaluate", "Score the assessment against a vignette file."),
    "insights": ("crampwise.cli.insights:insights", "Factors, trend and charts from your diary."),
    "report": ("crampwise.cli.report:report", "A report for your doctor (PDF or HTML)."),
    "sources": ("crampwise.cli.sources:sources", "List every source the knowledge base cites."),
    "understand": (
        "crampwise.cli.understand:understand",
        "Read a description in your own words into findings.",
    ),
    "serve": ("crampwise.cli.serve:serve", "Open the web app and JSON API on this computer."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr = entry[0].split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help from the table, so listing commands imports none of them.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrampwiseError as exc:
            click.echo(f"Error: {exc.render()}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crampwise")
def main() -> None:
    """crampwise: understand, track and test what helps your toe, foot and leg cramps.

    Everything stays on this machine. crampwise gives guidance, not a diagnosis.
    """


__all__ = ["COMMANDS", "main"]
