"""Every command is documented, and CLI start-up stays free of heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HEAVY = (
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "sqlalchemy",
    "fastapi",
    "uvicorn",
    "pandas",
)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_has_help(name: str) -> None:
    command = main.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None and command.help, name
    for param in command.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"{name} {param.name} has no help"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_readme_documents_every_command(name: str) -> None:
    assert f"crampwise {name}" in README.read_text()


def test_readme_documents_every_make_target() -> None:
    phony = next(
        line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith(".PHONY:")
    )
    targets = phony.removeprefix(".PHONY:").split()
    assert targets, "no .PHONY targets found"
    assert [t for t in targets if f"make {t}" not in README.read_text()] == []


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["eval", "--help"]])
def test_start_up_imports_nothing_heavy(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from crampwise.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="
