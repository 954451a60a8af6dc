"""The account pages with plain forms (no JavaScript), the session cookie's flags, and CSRF."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.multiuser.conftest import PASSWORD, MultiUser
from tests.web.helpers import TestClient, hidden

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def _form(
    client: TestClient, page: str, action: str, fields: dict[str, str], **kw: Any
) -> httpx.Response:
    """GET the page, then POST its form back with its CSRF token and ``fields``."""
    shown = client.get(page, **kw)
    # Behind the https proxy the form-token cookie is Secure, which the test client (on
    # http, as the proxy is) would not send back; a browser (on https) would.
    token_cookie = shown.cookies.get("crampwise_csrf")
    if token_cookie:
        client.cookies.set("crampwise_csrf", token_cookie)
    data = {"csrf_token": hidden(shown.text, "csrf_token"), **fields}
    return client.post(action, data=data, follow_redirects=False, **kw)


def _session_cookie(response: httpx.Response) -> str:
    (header,) = [
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("crampwise_session=")
    ]
    return header


def test_sign_up_log_a_cramp_see_it_log_out_and_back_in(mu_client: TestClient) -> None:
    client = mu_client
    first = client.get("/diary", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/diary"
    made = _form(client, "/signup", "/signup", {"email": "ann@example.org", "password": PASSWORD})
    assert made.status_code == 303 and made.headers["location"] == "/"
    home = client.get("/")
    assert (
        home.status_code == 200
        and "ann@example.org" in home.text
        and 'action="/logout"' in home.text
    )
    logged = _form(
        client,
        "/diary",
        "/diary/episodes",
        {
            "started_at": "2024-03-01T22:15",
            "duration_minutes": "2",
            "severity": "6",
            "sites": "calf",
        },
    )
    assert logged.status_code == 303
    history = client.get("/diary/history")
    assert history.status_code == 200 and "2024-03-01" in history.text
    out = _form(client, "/", "/logout", {})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/diary/history", follow_redirects=False).status_code == 303
    # Back in, and taken to the page first asked for.
    page = client.get("/login?next=/diary/history")
    assert hidden(page.text, "next") == "/diary/history"
    back = client.post(
        "/login",
        data={
            "csrf_token": hidden(page.text, "csrf_token"),
            "email": "ann@example.org",
            "password": PASSWORD,
            "next": "/diary/history",
        },
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == "/diary/history"
    assert "2024-03-01" in client.get("/diary/history").text


def test_another_person_sees_an_empty_diary(mu_client: TestClient) -> None:
    for email in ("ann@example.org", "bob@example.org"):
        mu_client.cookies.clear()
        _form(mu_client, "/signup", "/signup", {"email": email, "password": PASSWORD})
        if email.startswith("ann"):
            fields = {
                "started_at": "2024-03-01T22:15",
                "duration_minutes": "2",
                "severity": "6",
                "sites": "calf",
            }
            assert _form(mu_client, "/diary", "/diary/episodes", fields).status_code == 303
    assert "2024-03-01" not in mu_client.get("/diary/history").text


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/diary", "/diary"), ("//evil.example", "/"), ("https://evil.example/", "/"), ("", "/")],
)
def test_after_login_only_this_sites_pages(
    mu: MultiUser, mu_client: TestClient, target: str, expected: str
) -> None:
    mu.person("ann")
    page = mu_client.get("/login")
    back = mu_client.post(
        "/login",
        data={
            "csrf_token": hidden(page.text, "csrf_token"),
            "email": "ann@example.org",
            "password": PASSWORD,
            "next": target,
        },
        follow_redirects=False,
    )
    assert back.headers["location"] == expected


def test_a_failed_login_is_the_same_page_for_an_unknown_email(
    mu: MultiUser, mu_client: TestClient
) -> None:
    mu.person("ann")
    answers = []
    for email in ("ann@example.org", "nobody@example.org"):
        answer = _form(
            mu_client, "/login", "/login", {"email": email, "password": "wrong password!"}
        )
        assert answer.status_code == 401
        answers.append(re.sub(r'value="[^"]*"', "", answer.text))
    assert answers[0] == answers[1]
    assert "The email or password is not right." in answers[0]


def test_the_session_cookie_flags_over_http_and_behind_a_trusted_https_proxy(
    mu_client: TestClient,
) -> None:
    plain = _form(
        mu_client, "/signup", "/signup", {"email": "ann@example.org", "password": PASSWORD}
    )
    cookie = _session_cookie(plain).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie.replace("samesite", "")
    mu_client.cookies.clear()
    secure = _form(
        mu_client,
        "/login",
        "/login",
        {"email": "ann@example.org", "password": PASSWORD},
        headers=HTTPS,
    )
    cookie = _session_cookie(secure).lower()
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_an_untrusted_client_cannot_claim_https_or_another_address(
    mu: MultiUser, admin_engine: Engine
) -> None:
    from fastapi import FastAPI

    from crampwise.web.app import create_app
    from tests.multiuser.conftest import multi_user_settings

    app: FastAPI = create_app(multi_user_settings(mu.db, trusted_proxies=()))
    with TestClient(app) as client:
        answer = _form(
            client,
            "/signup",
            "/signup",
            {"email": "ann@example.org", "password": PASSWORD},
            headers=HTTPS,
        )
        assert "secure" not in _session_cookie(answer).lower().replace("samesite", "")
    with admin_engine.connect() as conn:
        (address,) = conn.execute(text("SELECT address FROM audit_events")).scalars()
    assert address == "testclient"  # not the X-Forwarded-For it sent


def test_the_audit_log_keeps_the_forwarded_address_of_a_trusted_proxy(
    mu_client: TestClient, admin_engine: Engine
) -> None:
    _form(
        mu_client,
        "/signup",
        "/signup",
        {"email": "ann@example.org", "password": PASSWORD},
        headers=HTTPS,
    )
    with admin_engine.connect() as conn:
        (address,) = conn.execute(text("SELECT address FROM audit_events")).scalars()
    assert address == "203.0.113.9"


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("/signup", {"email": "x@example.org", "password": PASSWORD}),
        ("/login", {"email": "ann@example.org", "password": PASSWORD}),
        ("/logout", {}),
        ("/account/password", {"current_password": PASSWORD, "new_password": "another password"}),
        ("/account/tokens", {"name": "t"}),
        ("/account/delete", {"password": PASSWORD}),
    ],
)
def test_account_forms_without_the_csrf_token_do_nothing(
    mu_client: TestClient, admin_engine: Engine, action: str, fields: dict[str, str]
) -> None:
    _form(mu_client, "/signup", "/signup", {"email": "ann@example.org", "password": PASSWORD})
    for token in (None, "forged." + "x" * 43):
        data = dict(fields) if token is None else {**fields, "csrf_token": token}
        answer = mu_client.post(action, data=data, follow_redirects=False)
        assert answer.status_code == 403, (action, answer.text)
    with admin_engine.connect() as conn:
        events = list(conn.execute(text("SELECT event FROM audit_events")).scalars())
        tokens = conn.execute(text("SELECT count(*) FROM api_tokens")).scalar()
        accounts = conn.execute(text("SELECT count(*) FROM accounts")).scalar()
    assert events == ["signed_up"] and tokens == 0 and accounts == 1


def test_the_account_page_tokens_password_and_deletion(mu_client: TestClient) -> None:
    _form(mu_client, "/signup", "/signup", {"email": "ann@example.org", "password": PASSWORD})
    page = mu_client.get("/account")
    assert page.status_code == 200 and "ann@example.org" in page.text
    assert "<script" not in page.text
    assert 'href="/api/v1/export?format=json"' in page.text
    made = _form(mu_client, "/account", "/account/tokens", {"name": "my script"})
    assert made.status_code == 200
    token = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
    assert token
    auth = {"Authorization": f"Bearer {token.group(1)}"}
    assert mu_client.get("/api/v1/accounts/me", headers=auth).status_code == 200
    assert token.group(1) not in mu_client.get("/account").text  # shown once
    # The download link works with the browser's session.
    assert mu_client.get("/api/v1/export?format=json").status_code == 200
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', mu_client.get("/account").text)
    assert token_id
    revoked = _form(mu_client, "/account", f"/account/tokens/{token_id.group(1)}/revoke", {})
    assert revoked.status_code == 303
    assert mu_client.get("/api/v1/accounts/me", headers=auth).status_code == 401
    bad = _form(
        mu_client,
        "/account",
        "/account/password",
        {"current_password": "nope nope nope", "new_password": "another password"},
    )
    assert bad.status_code == 422 and "is not the current password" in bad.text
    changed = _form(
        mu_client,
        "/account",
        "/account/password",
        {"current_password": PASSWORD, "new_password": "another password"},
    )
    assert changed.status_code == 303
    assert mu_client.get("/account").status_code == 200  # this browser stays logged in
    wrong = _form(mu_client, "/account", "/account/delete", {"password": PASSWORD})
    assert wrong.status_code == 401 and "is not your password" in wrong.text
    gone = _form(mu_client, "/account", "/account/delete", {"password": "another password"})
    assert gone.status_code == 303 and gone.headers["location"] == "/signup?deleted=1"
    assert mu_client.get("/account", follow_redirects=False).status_code == 303
    assert "were deleted" in mu_client.get("/signup?deleted=1").text


def test_the_form_token_cookie_is_secure_behind_a_trusted_https_proxy(
    mu_client: TestClient,
) -> None:
    def csrf_cookie(response: httpx.Response) -> str:
        (header,) = [
            v.lower()
            for k, v in response.headers.multi_items()
            if k == "set-cookie" and v.startswith("crampwise_csrf=")
        ]
        return header

    plain = csrf_cookie(mu_client.get("/login"))
    assert "httponly" in plain and "samesite=strict" in plain and "; secure" not in plain
    mu_client.cookies.clear()
    secure = csrf_cookie(mu_client.get("/login", headers=HTTPS))
    assert "; secure" in secure and "httponly" in secure and "samesite=strict" in secure
