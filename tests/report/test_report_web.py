"""GET /api/v1/report and the /report page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.report.conftest import Demo
from tests.web.helpers import TestClient

NAME = f"crampwise-report-{date.today().isoformat()}"


@pytest.mark.slow
def test_api_returns_a_pdf_with_a_safe_name(demo_client: TestClient) -> None:
    response = demo_client.get("/api/v1/report")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{NAME}.pdf"'
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF")


@pytest.mark.slow
def test_api_html_version(demo_client: TestClient) -> None:
    response = demo_client.get("/api/v1/report", params={"format": "html", "from": "2020-01-01"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"] == f'inline; filename="{NAME}.html"'
    html = response.text
    # Served by the app: the stylesheet is linked (its CSP allows no inline style).
    assert '<link rel="stylesheet" href="/static/report.css">' in html and "<style>" not in html
    assert "Period: from 2020-01-01" in html
    assert demo_client.get("/static/report.css").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-02-01", "to": "2026-01-01"}, "query.from"),
        ({"from": "2026-13-01"}, "query.from"),
        ({"to": "soon"}, "query.to"),
    ],
)
def test_api_date_range_errors(empty_client: TestClient, query: dict[str, str], field: str) -> None:
    response = empty_client.get("/api/v1/report", params=query)
    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["problems"]], response.json()


def test_api_unknown_format(empty_client: TestClient) -> None:
    response = empty_client.get("/api/v1/report", params={"format": "docx"})
    assert response.status_code == 422


def test_api_pdf_without_weasyprint(empty_client: TestClient, no_weasyprint: None) -> None:
    response = empty_client.get("/api/v1/report")
    assert response.status_code == 503
    assert "needs WeasyPrint" in response.json()["error"]["message"]
    html = empty_client.get("/api/v1/report", params={"format": "html"})
    assert html.status_code == 200 and "No check was saved yet" in html.text


def test_page_links_to_both_versions(demo_client: TestClient) -> None:
    page = demo_client.get("/report", params={"from": "2020-01-01", "to": ""})
    assert page.status_code == 200
    html = page.text
    assert "<h1>Report for my doctor</h1>" in html
    assert 'href="/api/v1/report?from=2020-01-01" download>Download the PDF' in html
    assert 'href="/api/v1/report?format=html&amp;from=2020-01-01">Open the HTML version' in html
    assert '<link rel="stylesheet" href="/static/report.css">' in html
    assert "Latest saved check" in html and "Triage:" in html  # the preview
    # The chart is the insights page's <picture>: wide, and narrow for phones, both inline.
    assert '<source media="(max-width: 47.99rem)" srcset="data:image/svg+xml;base64,' in html
    assert '<img class="chart" src="data:image/svg+xml;base64,' in html
    assert not re.search(r"\sstyle=", html) and "<style" not in html  # the CSP allows neither


def test_page_without_weasyprint_offers_html(empty_client: TestClient, no_weasyprint: None) -> None:
    html = empty_client.get("/report").text
    assert "Download the PDF" not in html
    assert "WeasyPrint, which is not installed" in html
    assert "Open the HTML version" in html
    assert "No cramps or days recorded yet" in html


def test_page_range_error(empty_client: TestClient) -> None:
    page = empty_client.get("/report", params={"from": "2026-02-01", "to": "2026-01-01"})
    assert page.status_code == 422


@pytest.mark.slow
def test_the_report_shows_the_diarys_experiment_with_its_result(
    demo: Demo, demo_client: TestClient
) -> None:
    from html import escape

    from crampwise.diary.store import open_store
    from crampwise.experiments.running import cramp_dates, remedy, result
    from crampwise.experiments.store import ExperimentStore

    with open_store(demo.url) as store:
        (experiment,) = ExperimentStore(store).all()  # the demo's finished experiment
        expected = result(experiment, cramp_dates(store, experiment), date.today())
    html = demo_client.get("/api/v1/report", params={"format": "html"}).text
    section = html[html.index("Self-experiments (N-of-1)") :]
    assert escape(remedy(experiment.remedy).name) in section
    assert escape(expected.verdict) in section
    assert f"<td>{sum(expected.days.values())}</td>" in section
    # A period that ends before the experiment began leaves it out.
    before = (experiment.start_date - timedelta(days=1)).isoformat()
    early = demo_client.get("/api/v1/report", params={"format": "html", "to": before}).text
    assert "Self-experiments" not in early
