"""The PDF from the demo diary and a saved check: its figures, pages, metadata and picture."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from crampwise.cli import main
from crampwise.diary.store import open_store
from crampwise.knowledge import KnowledgeBase
from crampwise.report import TITLE
from tests.report.conftest import Demo

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _diary_figures(url: str) -> tuple[int, float]:
    """Total cramps and cramps a week, counted here from the stored records."""
    with open_store(url) as store:
        episodes, days = store.list_episodes(), store.list_days()
    every_day = [e.started_at.date() for e in episodes] + [d.day for d in days]
    span = (max(every_day) - min(every_day)).days + 1
    return len(episodes), 7 * len(episodes) / span


@pytest.fixture(scope="module")
def pdf(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = CliRunner().invoke(
        main, ["report", "--out", str(out)], env={"CRAMPWISE_DATABASE_URL": demo.url}
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.slow
def test_pdf_figures_match_the_diary(pdf: bytes, demo: Demo, kb: KnowledgeBase) -> None:
    text = _text(pdf)
    total, per_week = _diary_figures(demo.url)
    assert f"Cramps {total} in total" in text
    shown = re.search(r"in total, ([\d.]+) a week", text)
    assert shown is not None, text[:500]
    assert float(shown.group(1)) == pytest.approx(per_week, abs=0.051)
    # The saved check: its level in words, and its top cause.
    assert f"Triage: {kb.levels[demo.result.level].label}" in text
    assert demo.result.causes[0].name in text
    assert "takes a statin" in text and "Said not to apply: has diabetes" in text
    assert "Holm" in text  # the multiple-testing caveat
    assert "not a diagnosis" in text
    # The sources by title and address, never a file path.
    assert "https://" in text and "sources.yaml" not in text


@pytest.mark.slow
def test_pdf_pages_metadata_and_vector_chart(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    meta = dict(reader.metadata or {})
    assert meta["/Title"] == TITLE
    assert meta["/CreationDate"].startswith(f"D:{date.today():%Y%m%d}")
    assert set(meta) == {"/Title", "/CreationDate"}, meta
    # The chart is drawn as vectors: no bitmap anywhere in the file.
    assert all(not page.images for page in reader.pages)


@pytest.mark.slow
def test_page_one_picture(pdf: bytes, tmp_path: Path) -> None:
    """Page 1 as a PNG in test-artifacts/, to look at (the README's screenshot is a copy)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / "report-page1"),
        ],
        check=True,
    )
    png = (ARTIFACTS / "report-page1.png").read_bytes()
    assert png.startswith(b"\x89PNG")
