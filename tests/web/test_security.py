"""Security headers on every response, signed CSRF tokens on every form, JSON-only API
bodies, and the Host and Origin checks that stop DNS rebinding and cross-site writes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi import FastAPI

from crampwise.web.app import WebSettings, create_app
from tests.web.helpers import TestClient, hidden

CSRF_COOKIE = "crampwise_csrf"
# Written out here, not imported: the test states what the headers must be.
EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def _assert_headers(headers: object) -> None:
    for name, value in EXPECTED.items():
        assert headers[name] == value, name  # type: ignore[index]


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
        ("GET", "/", {"headers": {"host": "evil.example"}}, 421),
        ("POST", "/api/v1/assessments", {"json": {}, "headers": {"origin": "http://x.y"}}, 403),
        (
            "POST",
            "/api/v1/assessments",
            {"content": b"[" * 100, "headers": {"content-type": "application/json"}},
            422,
        ),
        (
            "POST",
            "/api/v1/assessments",
            {"content": b" " * 1_000_001, "headers": {"content-type": "application/json"}},
            413,
        ),
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
        ("/checks", {"state": "x"}),
        ("/diary/episodes", {"started_at": "2020-01-01T10:00", "sites": "calf", "severity": "3"}),
        ("/diary/days", {"date": "2020-01-01"}),
        ("/diary/episodes/1/delete", {"confirm": "yes"}),
        ("/diary/days/2020-01-01/delete", {"confirm": "yes"}),
        ("/diary/episodes/1", {"started_at": "2020-01-01T10:00", "sites": "calf"}),
        ("/diary/days/2020-01-01", {}),
        ("/diary/undo", {"entry": "x"}),
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


# --- CSRF tokens are signed by this server ------------------------------------------------


def test_a_planted_cookie_and_token_pair_is_refused(client: TestClient) -> None:
    # Another page on this computer (any 127.0.0.1 port) can set a cookie for the app; a
    # made-up pair of the right shape must not pass, however well-formed.
    planted = "A" * 43  # well-formed for the old unsigned scheme, signed by nobody
    client.cookies.set(CSRF_COOKIE, planted)
    response = client.post("/check", data={"csrf_token": planted, "age": "40"})
    assert response.status_code == 403
    assert "This form could not be checked, so nothing was done" in response.text


def test_a_planted_cookie_is_replaced_by_a_signed_one(client: TestClient) -> None:
    client.cookies.set(CSRF_COOKIE, "x" * 40)
    page = client.get("/check")
    token = hidden(page.text, "csrf_token")
    assert token != "x" * 40
    assert page.cookies[CSRF_COOKIE] == token
    assert client.post("/check", data={"csrf_token": token, "age": "40"}).status_code == 200


def test_a_token_signed_by_another_installation_is_refused(
    settings: WebSettings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = create_app(replace(settings, data_dir=tmp_path_factory.mktemp("other")))
    with TestClient(other) as c:
        foreign = hidden(c.get("/check").text, "csrf_token")
    with TestClient(create_app(settings)) as c:
        c.cookies.set(CSRF_COOKIE, foreign)
        response = c.post("/check", data={"csrf_token": foreign, "age": "40"})
    assert response.status_code == 403


# --- Host: DNS rebinding ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1", "localhost:8000", "testserver.evil"]
)
@pytest.mark.parametrize("path", ["/api/v1/export", "/api/v1/episodes", "/diary", "/"])
def test_requests_for_another_host_are_refused(client: TestClient, host: str, path: str) -> None:
    response = client.get(path, headers={"host": host})
    assert response.status_code == 421
    if path.startswith("/api/"):
        assert response.json() == {
            "error": {
                "status": 421,
                "message": (
                    "This server only answers requests for this computer's own address "
                    "(127.0.0.1, localhost or [::1] with the port it was started on)."
                ),
                "problems": [],
            }
        }
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "only answers requests for this computer&#39;s own address" in response.text
    _assert_headers(response.headers)


def test_writes_for_another_host_change_nothing(client: TestClient) -> None:
    body = {
        "started_at": "2020-01-01T10:00",
        "duration_minutes": 1,
        "sites": ["calf"],
        "severity": 3,
    }
    response = client.post("/api/v1/episodes", json=body, headers={"host": "evil.example:8000"})
    assert response.status_code == 421
    assert client.get("/api/v1/episodes").json() == []


@pytest.mark.parametrize(
    ("allowed", "host", "ok"),
    [
        (("127.0.0.1:8765",), "127.0.0.1:8765", True),
        (("127.0.0.1:8765",), "127.0.0.1:8766", False),
        (("127.0.0.1:8765",), "127.0.0.1", False),
        (("[::1]:8765",), "[::1]:8765", True),
        (("[::1]:8765",), "[::2]:8765", False),
        (("localhost",), "LOCALHOST:1234", True),
        (("localhost",), "localhost", True),
        (("localhost",), "localhost:x", False),
        (("localhost",), "localhost.evil.example", False),
        (("localhost",), "", False),
    ],
)
def test_allowed_hosts_setting(
    settings: WebSettings, allowed: tuple[str, ...], host: str, ok: bool
) -> None:
    with TestClient(create_app(replace(settings, allowed_hosts=allowed))) as c:
        response = c.get("/api/v1/ping", headers={"host": host})
    assert response.status_code == (200 if ok else 421)


def test_default_settings_answer_loopback_names_on_any_port(settings: WebSettings) -> None:
    app = create_app(replace(settings, allowed_hosts=WebSettings().allowed_hosts))
    with TestClient(app) as c:
        for host in ("127.0.0.1:8000", "localhost:49152", "[::1]:8000", "127.0.0.1"):
            assert c.get("/api/v1/ping", headers={"host": host}).status_code == 200, host
        assert c.get("/api/v1/ping").status_code == 421  # "testserver" is not loopback


# --- Origin: every change comes from the app's own pages ----------------------------------

EPISODE = {
    "started_at": "2020-01-01T10:00",
    "duration_minutes": 1,
    "sites": ["calf"],
    "severity": 3,
}
FOREIGN = [
    {"origin": "http://evil.example"},
    {"origin": "http://testserver.evil.example"},
    {"origin": "https://testserver"},
    {"origin": "http://testserver:8080"},
    {"origin": "null"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # e.g. a page on another port of this computer
    {"origin": "http://testserver", "sec-fetch-site": "cross-site"},
]
OWN = [
    {},  # not a browser: curl or a script sends no Origin, and cannot be driven by a page
    {"origin": "http://testserver"},
    {"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    {"origin": "null", "sec-fetch-site": "same-origin"},
    {"sec-fetch-site": "none"},
]


@pytest.mark.parametrize("headers", FOREIGN)
def test_api_writes_from_a_foreign_origin_are_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = client.post("/api/v1/episodes", json=EPISODE).json()
    for method, path, kwargs in [
        ("POST", "/api/v1/episodes", {"json": EPISODE}),
        ("PUT", f"/api/v1/episodes/{created['id']}", {"json": {**EPISODE, "severity": 9}}),
        ("DELETE", f"/api/v1/episodes/{created['id']}", {}),
        ("POST", "/api/v1/assessments", {"json": {"age": 40, "findings": {}}}),
    ]:
        response = client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["status"] == 403
        assert "so nothing was done" in response.json()["error"]["message"]
    assert client.get("/api/v1/episodes").json() == [created]


@pytest.mark.parametrize("headers", OWN)
def test_api_writes_from_the_own_origin_pass(client: TestClient, headers: dict[str, str]) -> None:
    assert client.post("/api/v1/episodes", json=EPISODE, headers=headers).status_code == 201


@pytest.mark.parametrize("headers", FOREIGN)
def test_form_posts_from_a_foreign_origin_are_refused_even_with_a_valid_token(
    client: TestClient, headers: dict[str, str]
) -> None:
    token = hidden(client.get("/diary").text, "csrf_token")
    fields = {
        "csrf_token": token,
        "started_at": "2020-01-01T10:00",
        "sites": "calf",
        "severity": "3",
        "duration_minutes": "2",
    }
    response = client.post("/diary/episodes", data=fields, headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "so nothing was done" in response.text
    assert client.get("/api/v1/episodes").json() == []
    # The same form from the app's own page is accepted.
    own = client.post("/diary/episodes", data=fields, headers={"origin": "http://testserver"})
    assert own.status_code in (200, 303), own.text
    assert len(client.get("/api/v1/episodes").json()) == 1


def test_reads_do_not_need_an_origin_check(client: TestClient) -> None:
    # A GET changes nothing; cross-site reads are the Host check's and the browser's job.
    response = client.get("/api/v1/ping", headers={"origin": "http://evil.example"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/ping", "GET"),
        ("DELETE", "/api/v1/episodes", "GET, POST"),
        ("PATCH", "/api/v1/days/2026-01-02", "DELETE, GET, PUT"),
        ("PUT", "/diary", "GET"),
    ],
)
def test_a_wrong_method_names_the_methods_the_address_takes(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    # RFC 9110: a 405 must say which methods are allowed (every route's, pages and API).
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
