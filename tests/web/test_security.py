"""Security headers on every response, CSRF on every form, JSON-only API bodies."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from crampwise.web.security import CSP, CSRF_COOKIE
from tests.web.helpers import TestClient, hidden

EXPECTED = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _assert_headers(headers: object) -> None:
    for name, value in EXPECTED.items():
        assert headers[name] == value, name  # type: ignore[index]
    assert "unsafe-inline" not in EXPECTED["content-security-policy"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/", {}, 200),
        ("GET", "/static/style.css", {}, 200),
        ("GET", "/openapi.json", {}, 200),
        ("GET", "/api/v1/ping", {}, 200),
        ("GET", "/api/v1/episodes/999", {}, 404),
        ("GET", "/missing", {}, 404),
        ("POST", "/api/v1/assessments", {"json": {"age": "old"}}, 422),
        ("POST", "/api/v1/assessments", {"content": b"{}"}, 415),
        ("POST", "/check", {"data": {"age": "40"}}, 403),
        ("DELETE", "/api/v1/ping", {}, 405),
    ],
)
def test_security_headers_on_every_response(
    client: TestClient, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    _assert_headers(response.headers)


def test_unexpected_error_is_a_500_in_the_one_shape_with_headers(app: FastAPI) -> None:
    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("kaput")

    with TestClient(app) as c:
        response = c.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"status": 500, "message": "Something went wrong.", "problems": []}
    }
    _assert_headers(response.headers)


def test_csrf_cookie_is_http_only_and_strict(client: TestClient) -> None:
    response = client.get("/check")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/check", {"age": "40"}),
        ("/check/step", {"state": "x", "action": "back"}),
        ("/check/save", {"state": "x"}),
        ("/diary/episodes", {"started_at": "2020-01-01T10:00", "sites": "calf", "severity": "3"}),
        ("/diary/days", {"date": "2020-01-01"}),
        ("/diary/episodes/1/delete", {}),
    ],
)
@pytest.mark.parametrize("token", [None, "wrong-token-but-well-formed-123456"])
def test_form_posts_without_the_matching_token_are_refused(
    client: TestClient, path: str, fields: dict[str, str], token: str | None
) -> None:
    client.get("/check")  # sets the cookie
    data = dict(fields)
    if token is not None:
        data["csrf_token"] = token
    response = client.post(path, data=data)
    assert response.status_code == 403
    assert "This form could not be checked, so nothing was done" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_form_post_without_cookie_is_refused(app: FastAPI) -> None:
    with TestClient(app) as first:
        token = hidden(first.get("/check").text, "csrf_token")
    with TestClient(app) as other:  # no cookie: a cross-site post looks like this
        response = other.post("/check", data={"csrf_token": token, "age": "40"})
    assert response.status_code == 403


def test_nothing_is_stored_when_csrf_fails(client: TestClient) -> None:
    client.get("/diary")
    response = client.post(
        "/diary/episodes",
        data={
            "csrf_token": "x" * 40,
            "started_at": "2020-01-01T10:00",
            "sites": "calf",
            "severity": "3",
            "duration_minutes": "2",
        },
    )
    assert response.status_code == 403
    assert client.get("/api/v1/episodes").json() == []


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/assessments"),
        ("POST", "/api/v1/interview/next"),
        ("POST", "/api/v1/episodes"),
        ("PUT", "/api/v1/episodes/1"),
        ("POST", "/api/v1/days"),
        ("PUT", "/api/v1/days/2020-01-01"),
    ],
)
def test_api_bodies_must_be_json(
    client: TestClient, method: str, path: str, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.request(method, path, content=b'{"age": 40}', headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["status"] == 415
