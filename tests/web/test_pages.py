"""Every page renders, with its heading, landmarks, and nothing the CSP would block."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import TestClient, h1

PAGES = [
    ("/", "Understand and ease your foot and leg cramps"),
    ("/check", "Check my cramps"),
    ("/diary", "Diary"),
    ("/diary/history", "History"),
    ("/diary/insights", "Insights"),
    ("/transfer", "Export and import"),
    ("/sources", "Sources"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_renders_with_heading_and_landmarks(
    client: TestClient, path: str, heading: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert h1(html) == heading
    assert '<html lang="en">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    # The nav link to this page, and only that one, is marked as the current page.
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', html) == [path]


def test_nav_links_every_page_in_order(client: TestClient) -> None:
    html = client.get("/").text
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav) == [
        ("/", "Home"),
        ("/check", "Check my cramps"),
        ("/diary", "Diary"),
        ("/diary/history", "History"),
        ("/diary/insights", "Insights"),
        ("/checks", "Saved checks"),
        ("/experiments", "Experiments"),
        ("/report", "Report for my doctor"),
        ("/transfer", "Export and import"),
        ("/sources", "Sources"),
    ]


@pytest.mark.parametrize("path", [p for p, _ in PAGES])
def test_no_inline_script_style_or_external_resources(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    # Every stylesheet, image and script comes from this app; links out are plain <a> only.
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        if attr.startswith("http"):
            assert re.search(rf'<a href="{re.escape(attr)}"', html), attr


def test_static_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
    assert ":focus-visible" in response.text  # visible focus styles


def test_sources_page_lists_every_source(client: TestClient, kb: object) -> None:
    from crampwise.knowledge import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    html = client.get("/sources").text
    for source in kb.sources.values():
        assert f'id="{source.id}"' in html
        assert f"Grade {source.grade}" in html


def test_home_shows_diary_at_a_glance(client: TestClient) -> None:
    client.post(
        "/api/v1/episodes",
        json={
            "started_at": "2020-01-02T03:04",
            "duration_minutes": 2,
            "sites": ["toes"],
            "severity": 3,
        },
    )
    html = client.get("/").text
    assert "Your diary at a glance" in html
    assert re.search(r'<span class="stat">1</span> cramps logged in all', html)
    assert 'href="/check"' in html


def test_unknown_page_is_a_friendly_404_page(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert h1(response.text) == "Not Found"
