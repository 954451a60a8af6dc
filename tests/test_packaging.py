"""The package ships every file it reads at run time, and lists no file that does not exist."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "crampwise"
# Files in the source tree that the installed package never reads.
NOT_SHIPPED = {"engine/README.md"}


def _patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns: list[str] = config["tool"]["setuptools"]["package-data"]["crampwise"]
    return patterns


def test_every_package_data_pattern_matches_a_file() -> None:
    for pattern in _patterns():
        assert any(p.is_file() for p in PACKAGE.glob(pattern)), f"{pattern} matches nothing"


def test_every_file_the_package_reads_is_listed() -> None:
    listed = {p for pattern in _patterns() for p in PACKAGE.glob(pattern)}
    needed = {
        p
        for p in PACKAGE.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix != ".py"  # modules ship as modules (namespace packages included)
        and p.relative_to(PACKAGE).as_posix() not in NOT_SHIPPED
    }
    assert sorted(p.relative_to(PACKAGE).as_posix() for p in needed - listed) == []


def _closure(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` install, following each one's own requirements."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen or (req.marker is not None and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        todo += [Requirement(r) for r in metadata.requires(req.name) or ()]
        for extra in req.extras:
            extra_reqs = [Requirement(r) for r in metadata.requires(req.name) or ()]
            todo += [r for r in extra_reqs if r.marker and r.marker.evaluate({"extra": extra})]
    return seen


def _imported_distributions() -> dict[str, set[str]]:
    """Each third-party distribution the package's modules import, and where."""
    owners = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {n.split(".")[0] for n in names} - set(sys.stdlib_module_names):
                for dist in owners.get(top, [top]):
                    if canonicalize_name(dist) != "crampwise":
                        found.setdefault(canonicalize_name(dist), set()).add(path.name)
    return found


def test_runtime_code_imports_only_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _closure(project["dependencies"])
    extras = project["optional-dependencies"]
    allowed = runtime | _closure(extras["postgres"]) | _closure(extras["multiuser"])
    imported = _imported_distributions()
    assert {d: sorted(where) for d, where in imported.items() if d not in allowed} == {}
    # The test oracles stay out of what a user installs.
    assert runtime.isdisjoint({"scipy", "statsmodels", "pandas", "pytest", "psycopg"})
    # What only multi-user mode needs stays out too (the accounts package imports it lazily).
    assert runtime.isdisjoint({"argon2-cffi", "redis"})
