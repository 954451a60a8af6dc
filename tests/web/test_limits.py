"""Body size limits (413 while streaming) and the JSON nesting limit (422), in-process.

The same limits against a real `crampwise serve`, with its memory measured, are in
test_live_server.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

from crampwise.json_depth import nesting_exceeds
from crampwise.web.app import WebSettings, create_app
from tests.web.helpers import TestClient

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("body", "deep"),
    [
        (b"[" * 33, True),
        (b"[" * 32 + b"]" * 32, False),
        (b'{"a":' * 33 + b"1" + b"}" * 33, True),
        (b'{"a":' * 32 + b"1" + b"}" * 32, False),
        (b"[[]]" * 1000, False),  # many brackets, never deep
        (b'["' + b"[" * 100 + b'"]', False),  # brackets inside a string do not nest
        (b'["\\"' + b"[" * 100 + b'"]', False),  # an escaped quote does not end the string
        (b'["\\\\"' + b"[" * 40, True),  # an escaped backslash does
        (b'"' + b"{" * 50, False),  # an unterminated string: the parser will say so
    ],
)
def test_nesting_depth(body: bytes, deep: bool) -> None:
    assert nesting_exceeds(body, 32) is deep


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/assessments"),
        ("POST", "/api/v1/days"),
        ("POST", "/api/v1/interview/next"),
        ("POST", "/api/v1/episodes"),
        ("PUT", "/api/v1/episodes/1"),
        ("PUT", "/api/v1/days/2020-01-01"),
    ],
)
def test_deeply_nested_json_is_a_422_without_a_traceback(
    client: TestClient, method: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.request(method, path, content=b"[" * 100_000, headers=JSON)
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "status": 422,
            "message": "the body is not valid: it nests too deeply",
            "problems": [{"field": "(body)", "message": "nests deeper than 32 levels"}],
        }
    }
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]


@pytest.fixture
def small(settings: WebSettings) -> Iterator[TestClient]:
    """Limits small enough to test cheaply: 1,000 bytes, 5,000 for the import form."""
    app = create_app(replace(settings, max_body=1000, max_import_body=5000))
    with TestClient(app) as c:
        yield c


def _chunks(total: int, size: int = 100) -> Iterator[bytes]:
    for _ in range(total // size):
        yield b" " * size


TOO_LARGE = "The request is too large: this address accepts at most 0.001 MB."


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/assessments"),
        ("POST", "/api/v1/episodes"),
        ("PUT", "/api/v1/days/2020-01-01"),
    ],
)
def test_api_bodies_over_the_limit_are_413(
    small: TestClient, method: str, path: str, chunked: bool
) -> None:
    content = _chunks(1100) if chunked else b" " * 1001
    response = small.request(method, path, content=content, headers=JSON)
    assert response.status_code == 413
    assert response.json() == {"error": {"status": 413, "message": TOO_LARGE, "problems": []}}
    assert response.headers["connection"] == "close"


def test_a_body_at_the_limit_is_read(small: TestClient) -> None:
    body = b'{"age": 40, "findings": {}}'
    response = small.post("/api/v1/assessments", content=body.ljust(1000), headers=JSON)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("chunked", [False, True])
def test_form_bodies_over_the_limit_are_413_pages(small: TestClient, chunked: bool) -> None:
    content = _chunks(1100) if chunked else b"a=" + b"x" * 1000
    response = small.post(
        "/diary/episodes",
        content=content,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert TOO_LARGE in response.text


def test_the_import_form_has_its_own_larger_limit(small: TestClient) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    # Over the 1,000 bytes of every other address, under the import form's 5,000: read, and
    # refused only for its missing token.
    fits = small.post("/transfer/import", content=b"a=" + b"x" * 3000, headers=form)
    assert fits.status_code == 403
    for content in (b"a=" + b"x" * 5000, _chunks(5100)):
        too_big = small.post("/transfer/import", content=content, headers=form)
        assert too_big.status_code == 413
        assert "at most 0.005 MB" in too_big.text


def test_default_limits() -> None:
    settings = WebSettings()
    assert settings.max_body == 1_000_000
    assert settings.max_import_body == 21_000_000
