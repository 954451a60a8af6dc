"""`crampwise report`: formats by extension, the default name, overwriting, bad input."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from tests.report.conftest import Demo


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *args])
    return result.exit_code, result.output


@pytest.mark.slow  # the demo diary is made once, on first use
def test_html_works_without_weasyprint(demo_env: Demo, no_weasyprint: None, tmp_path: Path) -> None:
    out = tmp_path / "for-my-gp.HTML"
    code, output = _run("--out", str(out))
    assert code == 0, output
    html = out.read_text("utf-8")
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "/static/" not in html  # the file stands on its own
    assert "Latest saved check" in html and "Cramp diary" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "http://" not in html.split("</head>")[0]  # nothing fetched from the network


def test_pdf_without_weasyprint_says_what_to_do(
    demo_env: Demo, no_weasyprint: None, tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    code, output = _run("--out", str(out))
    assert code == 1
    assert "needs WeasyPrint" in output and "pip install weasyprint" in output
    assert "FILE.html" in output
    assert not out.exists()


@pytest.mark.parametrize("name", ["report.txt", "report", "report.pdf.docx"])
def test_unknown_extension_is_refused(demo_env: Demo, tmp_path: Path, name: str) -> None:
    code, output = _run("--out", str(tmp_path / name))
    assert code == 2
    assert "--out" in output and "must end in .pdf or .html" in output
    assert not (tmp_path / name).exists()


def test_from_after_to_is_refused(demo_env: Demo, tmp_path: Path) -> None:
    code, output = _run(
        "--out", str(tmp_path / "r.html"), "--from", "2026-02-01", "--to", "2026-01-01"
    )
    assert code == 2
    assert "--from" in output and "give the earlier day first" in output


def test_an_existing_file_is_kept_unless_forced(demo_env: Demo, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("mine")
    code, output = _run("--out", str(out))
    assert code == 2 and "--force" in output
    assert out.read_text() == "mine"
    code, output = _run("--out", str(out), "--force")
    assert code == 0, output
    assert "Cramp diary" in out.read_text("utf-8")


@pytest.mark.slow
def test_default_name_is_pdf_with_only_the_date(demo_env: Demo, tmp_path: Path) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, output = _run()
    finally:
        os.chdir(cwd)
    name = f"crampwise-report-{date.today().isoformat()}.pdf"
    assert code == 0, output
    assert (tmp_path / name).read_bytes().startswith(b"%PDF")
    assert output.strip() == f"Wrote {name}"
