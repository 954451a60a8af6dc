"""Multi-user mode: who is asking, checked once per request, before any view runs.

The JSON API takes ``Authorization: Bearer TOKEN``; the pages take the ``crampwise_session``
cookie (a server-side session in PostgreSQL). The account found is put in ``CALLER``, which
``AppState.store()`` reads to give the request that account's diary and nothing else.
Without credentials an API request gets a 401 in the API's error shape, a page a 303 to the
login page. A few addresses need nobody: signing up, logging in, getting a token, the ping.

The two download links on the pages (the export and the report) are API addresses a
browser follows with its cookie, not a token: a GET there also accepts the session. A GET
changes nothing, and without CORS another site cannot read the answer.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from crampwise.errors import UnauthorizedError
from crampwise.web.app import CALLER, AppState
from crampwise.web.guard import scope_headers

SESSION_COOKIE = "crampwise_session"
PUBLIC_API = frozenset(
    {("POST", "/api/v1/accounts"), ("POST", "/api/v1/tokens"), ("GET", "/api/v1/ping")}
)
PUBLIC_PAGES = frozenset({"/login", "/signup", "/openapi.json"})
COOKIE_DOWNLOADS = frozenset({"/api/v1/export", "/api/v1/report"})
NO_TOKEN = "send 'Authorization: Bearer TOKEN' with a token from POST /api/v1/tokens"
BAD_TOKEN = "the bearer token is not valid (unknown, revoked, or its account was deleted)"


@dataclass(frozen=True, slots=True)
class PageAccount:
    """What the page header shows in multi-user mode: the signed-in email, or None."""

    email: str | None


PAGE_ACCOUNT: ContextVar[PageAccount | None] = ContextVar("crampwise_page_account", default=None)
"""Set for every multi-user request; None (the default) is local mode."""


def is_public(method: str, path: str) -> bool:
    if path.startswith("/api/"):
        return (method if method != "HEAD" else "GET", path.rstrip("/")) in PUBLIC_API
    return path in PUBLIC_PAGES or path.startswith("/static/")


class AuthMiddleware:
    """Sets ``CALLER`` (and the email shown in the page header) for the request, or refuses."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        account: int | None = None
        email: str | None = None
        # A public address acts for nobody, so it never looks anyone up: the ping, the
        # stylesheets and the login form cost no query, whatever credentials come along.
        if not is_public(method, path):
            headers = scope_headers(scope, (b"authorization", b"cookie"))
            is_api = path.startswith("/api/")
            cookie = _cookie(headers.get("cookie", ""), SESSION_COOKIE)
            bearer = _bearer(headers.get("authorization"))
            state = self.state  # its first use opens the database: in the thread, too
            if is_api and bearer:
                account = await run_in_threadpool(lambda: state.accounts.account_for_token(bearer))
            elif cookie and (
                not is_api or (method in ("GET", "HEAD") and path in COOKIE_DOWNLOADS)
            ):
                found = await run_in_threadpool(lambda: state.accounts.session_identity(cookie))
                account, email = found if found else (None, None)
            if account is None:
                await _refuse(scope, receive, send, is_api, bearer is not None)
                return
        caller, shown = CALLER.set(account), PAGE_ACCOUNT.set(PageAccount(email))
        try:
            await self.app(scope, receive, send)
        finally:
            CALLER.reset(caller)
            PAGE_ACCOUNT.reset(shown)


async def _refuse(scope: Scope, receive: Receive, send: Send, is_api: bool, sent: bool) -> None:
    if is_api:
        from crampwise.web.errors import error_response  # avoid an import cycle

        response = error_response(scope["path"], 401, BAD_TOKEN if sent else NO_TOKEN)
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"' if sent else "Bearer"
    else:
        wanted = scope["path"] + (
            "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
        )
        # Back to the page after logging in; a form's address is no page to go back to.
        back = wanted != "/" and scope["method"] in ("GET", "HEAD")
        target = "/login?next=" + quote(wanted, safe="/") if back else "/login"
        response = RedirectResponse(target, status_code=303)
    await response(scope, receive, send)


def current_account() -> int:
    """The request's account (a view or endpoint behind the middleware always has one; this
    fails closed anyway)."""
    account = CALLER.get()
    if account is None:
        raise UnauthorizedError("log in first: this needs an account")
    return account


def safe_next(value: str | None) -> str:
    """Where to go after logging in: only a path on this site (never //host or a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _bearer(value: str | None) -> str | None:
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else ""


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value.strip('"')
    return None


# --- what the pages and the OpenAPI document show --------------------------------------------


def page_account() -> PageAccount | None:
    """For the templates (the global ``page_account``): None in local mode."""
    return PAGE_ACCOUNT.get()


def finish_app(app: FastAPI) -> None:
    """What multi-user mode adds once the routes are in: the page header's account, and
    the bearer token in the OpenAPI document."""
    from crampwise.web.templating import environment

    # A function, not a value: the environment is shared by every app in the process, and
    # the function reads the current request's account (None in a local-mode app).
    environment().globals["page_account"] = page_account
    document_bearer_auth(app)


def document_bearer_auth(app: FastAPI) -> None:
    """Describe the bearer token in /openapi.json: a security scheme, and a 401 on every
    operation that needs it."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/v1/tokens",
        }
        # Every API router documents its errors with ErrorOut (web/errors.py ERROR_RESPONSES).
        assert "ErrorOut" in schema["components"].get("schemas", {})
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if is_public(method.upper(), path):
                    operation["security"] = []
                    continue
                operation["security"] = [{"bearer": []}]
                operation.setdefault("responses", {}).setdefault(
                    "401",
                    {
                        "description": "No bearer token, or one that is not valid",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorOut"}
                            }
                        },
                    },
                )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
