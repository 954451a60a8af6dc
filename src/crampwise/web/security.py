"""Safe defaults for every response: security headers, CSRF tokens, JSON-only API bodies.

The headers are added by a plain ASGI middleware so they are on every response, including
errors and the 500 this middleware writes itself when something unexpected breaks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crampwise.errors import ForbiddenError, UnsupportedMediaTypeError

log = logging.getLogger("crampwise.web")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the
    # app's own form posts, which the Origin check could not tell from a hostile page.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

CSRF_COOKIE = "crampwise_csrf"
CSRF_FIELD = "csrf_token"


class SecurityHeadersMiddleware:
    """Adds the security headers to every response and turns crashes into a plain 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k not in _SECURITY_NAMES
                ]
                headers.extend(SECURITY_HEADERS)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Log the type and place only: request bodies may hold health data.
            log.exception("unexpected error while answering a request")
            if started:
                raise
            from crampwise.web.errors import error_response  # avoid an import cycle

            response = error_response(scope.get("path", ""), 500, "Something went wrong.")
            await response(scope, receive, send_with_headers)


_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


# --- CSRF: a signed double-submit token ------------------------------------------------------


class CsrfTokens:
    """Tokens signed with the installation key: a cookie+token pair an attacker made up (or
    planted from another port of this computer) fails, because only this server can sign."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def new(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._mac(nonce)}"

    def valid(self, token: object) -> bool:
        if not isinstance(token, str) or not 40 <= len(token) <= 120:
            return False
        nonce, _, mac = token.partition(".")
        return hmac.compare_digest(mac.encode(), self._mac(nonce).encode())

    def _mac(self, nonce: str) -> str:
        digest = hmac.new(self._key, nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _tokens(request: Request) -> CsrfTokens:
    tokens = request.app.state.crampwise.csrf  # AppState; no import: app.py imports us
    assert isinstance(tokens, CsrfTokens)
    return tokens


def csrf_token_for(request: Request) -> tuple[str, bool]:
    """The request's CSRF token, and whether it is new (so the response must set the cookie)."""
    tokens = _tokens(request)
    existing = request.cookies.get(CSRF_COOKIE, "")
    if tokens.valid(existing):
        return existing, False
    return tokens.new(), True


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    # HttpOnly: no script needs it; SameSite=Strict: never sent on cross-site requests;
    # Secure over https (behind a trusted proxy, the scheme it reported).
    response.set_cookie(
        CSRF_COOKIE,
        token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def check_csrf(request: Request, submitted: object) -> None:
    """Raise ForbiddenError unless the form's token is the cookie's and this server signed it."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    tokens = _tokens(request)
    if not (isinstance(submitted, str) and tokens.valid(cookie) and tokens.valid(submitted)):
        raise ForbiddenError(_CSRF_MESSAGE)
    if not hmac.compare_digest(cookie.encode(), submitted.encode()):
        raise ForbiddenError(_CSRF_MESSAGE)


_CSRF_MESSAGE = (
    "This form could not be checked, so nothing was done. It may be old, or cookies may be "
    "blocked. Go back, reload the page and try again."
)


# --- JSON-only API bodies -------------------------------------------------------------------


def require_json(request: Request) -> None:
    """POST and PUT to the API must say they carry JSON."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaTypeError(
            "send the body as JSON with the header 'Content-Type: application/json'"
        )


# --- Signed hidden fields (the interview state) ---------------------------------------------


class Signer:
    """HMAC-signs a JSON value so a hidden form field comes back exactly as it was sent."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def dumps(self, value: Any) -> str:
        payload = base64.urlsafe_b64encode(
            json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        ).decode()
        return f"{payload}.{self._mac(payload)}"

    def loads(self, token: str) -> Any:
        """The value, or None when the token was altered or signed by another key."""
        payload, _, mac = token.rpartition(".")
        if not payload or not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            return json.loads(base64.urlsafe_b64decode(payload.encode()))
        except ValueError:
            return None

    def _mac(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()
