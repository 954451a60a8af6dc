"""Multi-user mode's account pages, all plain forms (no JavaScript): sign up, log in, log out,
and the account page (password, named API tokens, the audit log, download, delete).

The browser session is a random id in the ``crampwise_session`` cookie (HttpOnly,
SameSite=Lax, Secure when the request came over https) whose digest is kept in PostgreSQL,
so any worker on any machine knows it and logging out ends it everywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crampwise.accounts.service import SESSION_LIFETIME
from crampwise.errors import (
    InvalidInputError,
    TooManyRequestsError,
    UnauthorizedError,
)
from crampwise.web.api.accounts import address
from crampwise.web.app import app_state
from crampwise.web.auth import SESSION_COOKIE, current_account, safe_next
from crampwise.web.templating import render
from crampwise.web.views.common import text, verified_form

router = APIRouter(include_in_schema=False)

EVENT_WORDS = {
    "signed_up": "Account created",
    "logged_in": "Logged in",
    "login_failed": "Failed login",
    "logged_out": "Logged out",
    "token_created": "API token created",
    "token_revoked": "API token revoked",
    "password_changed": "Password changed",
    "account_deleted": "Account deleted",
}
DONE = {
    "password": "Your password was changed. Other browsers were logged out.",
    "revoked": "The token was revoked: it no longer works.",
}


def set_session(request: Request, response: Response, session: str) -> None:
    # Secure only over https: the scheme the trusted proxy reported (X-Forwarded-Proto).
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def _login_page(
    request: Request, next_path: str, email: str = "", error: str = "", status: int = 200
) -> Response:
    context = {"next": next_path, "email": email, "error": error}
    return render(request, "login.html", context, status)


async def _start(request: Request, account: int, to: str) -> Response:
    session = await run_in_threadpool(app_state(request).accounts.start_session, account)
    response = RedirectResponse(to, status_code=303)
    set_session(request, response, session)
    return response


# ---------------------------------------------------------------- log in, sign up, log out


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _login_page(request, safe_next(next))


@router.post("/login")
async def log_in(request: Request) -> Response:
    form = await verified_form(request)
    email, password, to = text(form, "email"), str(form.get("password") or ""), text(form, "next")
    accounts = app_state(request).accounts
    try:
        account = await run_in_threadpool(accounts.log_in, email, password, address(request))
    except UnauthorizedError as exc:
        return _login_page(request, safe_next(to), email, exc.message.capitalize() + ".", 401)
    except TooManyRequestsError as exc:
        response = _login_page(request, safe_next(to), email, exc.message.capitalize() + ".", 429)
        response.headers.update(exc.headers)
        return response
    return await _start(request, account, safe_next(to))


@router.get("/signup")
def signup_page(request: Request, deleted: str = "") -> Response:
    context = {"email": "", "errors": {}, "deleted": deleted == "1"}
    return render(request, "signup.html", context)


@router.post("/signup")
async def sign_up(request: Request) -> Response:
    form = await verified_form(request)
    email, password = text(form, "email"), str(form.get("password") or "")
    accounts = app_state(request).accounts
    try:
        account = await run_in_threadpool(accounts.sign_up, email, password, address(request))
    except InvalidInputError as exc:
        errors = {p.field: p.message for p in exc.problems} or {"email": exc.message}
        context = {"email": email, "errors": errors, "deleted": False}
        return render(request, "signup.html", context, 422)
    return await _start(request, account, "/")


@router.post("/logout")
async def log_out(request: Request) -> Response:
    await verified_form(request)
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        accounts = app_state(request).accounts
        await run_in_threadpool(accounts.end_session, session, address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


# ---------------------------------------------------------------- the account page


def _account_page(
    request: Request,
    status: int = 200,
    new_token: str = "",
    errors: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    st, account = app_state(request), current_account()
    found = st.accounts.profile(account)
    if found is None:  # deleted by another browser since this session was checked
        raise UnauthorizedError("this account no longer exists")
    events = [
        {"at": _when(at), "event": EVENT_WORDS.get(event, event), "address": where or ""}
        for at, event, where in reversed(st.accounts.audit_log(account))
    ]
    context: dict[str, Any] = {
        "profile": found,
        "created": _when(found.created_at),
        "tokens": [
            {
                "id": t.id,
                "name": t.name,
                "created": _when(t.created_at),
                "used": _when(t.last_used_at),
            }
            for t in st.accounts.tokens(account)
        ],
        "events": events[:100],
        "new_token": new_token,
        "errors": errors or {},
        "done": DONE.get(done, ""),
    }
    return render(request, "account.html", context, status)


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


@router.get("/account")
def account_page(request: Request, done: str = "") -> Response:
    return _account_page(request, done=done)


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    form = await verified_form(request)
    old, new = str(form.get("current_password") or ""), str(form.get("new_password") or "")
    st, account = app_state(request), current_account()
    try:
        await run_in_threadpool(st.accounts.change_password, account, old, new, address(request))
    except InvalidInputError as exc:
        names = {"old_password": "current_password"}
        errors = {names.get(p.field, p.field): p.message for p in exc.problems}
        return await run_in_threadpool(_account_page, request, 422, "", errors)
    # Every session of the account ended (a thief's too); this browser gets a new one.
    return await _start(request, account, "/account?done=password")


@router.post("/account/tokens")
async def create_token(request: Request) -> Response:
    form = await verified_form(request)
    st, account, name = app_state(request), current_account(), text(form, "name")
    try:
        token = await run_in_threadpool(st.accounts.create_token, account, name, address(request))
    except InvalidInputError as exc:
        errors = {"token_name": exc.problems[0].message if exc.problems else exc.message}
        return await run_in_threadpool(_account_page, request, 422, "", errors)
    # Shown on this page only, once: never a redirect that would carry it in an address.
    return await run_in_threadpool(_account_page, request, 200, token)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: int) -> Response:
    await verified_form(request)
    st, account = app_state(request), current_account()
    await run_in_threadpool(st.accounts.revoke_token, account, token_id, address(request))
    return RedirectResponse("/account?done=revoked", status_code=303)


@router.post("/account/delete")
async def delete_account(request: Request) -> Response:
    """Asks for the password again (a left-open browser is not enough to erase a diary)."""
    form = await verified_form(request)
    st, account, where = app_state(request), current_account(), address(request)
    found = await run_in_threadpool(st.accounts.profile, account)
    if found is None:
        raise UnauthorizedError("this account no longer exists")
    password = str(form.get("password") or "")
    try:
        # The login check, with its limits: the form cannot be used to guess the password.
        again = await run_in_threadpool(st.accounts.log_in, found.email, password, where)
    except (UnauthorizedError, TooManyRequestsError) as exc:
        errors = {
            "delete_password": "is not your password" if exc.http_status == 401 else exc.message
        }
        return await run_in_threadpool(_account_page, request, exc.http_status, "", errors)
    if again != account:
        raise UnauthorizedError("log in first: this needs an account")
    await run_in_threadpool(st.accounts.delete_account, account, where)
    response = RedirectResponse("/signup?deleted=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response
