"""The account API of multi-user mode: sign up, tokens, the account itself.

``POST /api/v1/accounts`` and ``POST /api/v1/tokens`` need no token (they are how one gets
one); everything else acts for the token's account (``web/auth.py``). A failed login gets
one answer, 401, whether the email is unknown or the password wrong, and a 429 with
Retry-After once there were too many.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

from crampwise.accounts import normal_email
from crampwise.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from crampwise.errors import FieldProblem, InvalidInputError, UnauthorizedError
from crampwise.web.app import AppState, app_state
from crampwise.web.auth import current_account
from crampwise.web.errors import ERROR_RESPONSES, ErrorOut
from crampwise.web.security import require_json

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["accounts"])
JSON_ONLY = [Depends(require_json)]
REFUSED: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "The email or password is not right"},
    429: {"model": ErrorOut, "description": "Too many failed logins: see Retry-After"},
}

# The service's email rule, less control characters (which no address has, and which the
# database refuses: a NUL would be a 503, not a 422).
EMAIL_PATTERN = r"^\s*[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+\s*$"
PLAIN_TEXT = r"^[^\x00-\x1f\x7f]*$"
Email = Annotated[
    str,
    Field(
        max_length=254,
        pattern=EMAIL_PATTERN,
        examples=["ann@example.org"],
    ),
]
Password = Annotated[str, Field(max_length=1024)]
NewPassword = Annotated[
    str,
    Field(
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        description=f"at least {MIN_LENGTH} characters, not the email address",
    ),
]


class SignUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email
    password: NewPassword


def _aware(at: datetime) -> datetime:
    """A stored time (the server's local time, naive) with its UTC offset, so the JSON is
    an RFC 3339 date-time."""
    return at.astimezone()


def _aware_or_none(at: datetime | None) -> datetime | None:
    return at.astimezone() if at is not None else None


class AccountOut(BaseModel):
    id: int
    email: str


class ProfileOut(AccountOut):
    created_at: datetime


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email
    password: Password
    name: Annotated[
        str, Field(max_length=100, pattern=PLAIN_TEXT, description="what the token is for")
    ]


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class NewTokenOut(BaseModel):
    token: str = Field(description="the bearer token: shown this once, keep it safe")
    id: int
    name: str
    created_at: datetime


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: Password
    new_password: NewPassword


class AuditEventOut(BaseModel):
    at: datetime
    event: str
    address: str | None


def _state(request: Request) -> AppState:
    return app_state(request)


State = Annotated[AppState, Depends(_state)]


def address(request: Request) -> str | None:
    """The client's address (the trusted proxy's X-Forwarded-For, else the peer)."""
    return request.client.host if request.client else None


Caller = Annotated[int, Depends(current_account)]


@router.post("/accounts", response_model=AccountOut, status_code=201, dependencies=JSON_ONLY)
def sign_up(body: SignUpIn, request: Request, st: State) -> AccountOut:
    """Create an account. Then get a token with ``POST /api/v1/tokens``."""
    account = st.accounts.sign_up(body.email, body.password, address(request))
    return AccountOut(id=account, email=normal_email(body.email))


@router.post(
    "/tokens",
    response_model=NewTokenOut,
    status_code=201,
    dependencies=JSON_ONLY,
    responses=REFUSED,
)
def create_token(body: TokenIn, request: Request, st: State) -> NewTokenOut:
    """Log in with the email and password and get a new named bearer token (shown once)."""
    where = address(request)
    account = st.accounts.log_in(body.email, body.password, where)
    token = st.accounts.create_token(account, body.name, where)
    info = st.accounts.token_info(token)
    created = _aware(info.created_at)
    return NewTokenOut(token=token, id=info.id, name=info.name, created_at=created)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(st: State, account: Caller) -> list[TokenOut]:
    """The account's tokens (names and dates; a token itself is never shown again)."""
    return [
        TokenOut(
            id=t.id,
            name=t.name,
            created_at=_aware(t.created_at),
            last_used_at=_aware_or_none(t.last_used_at),
        )
        for t in st.accounts.tokens(account)
    ]


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke_token(token_id: int, request: Request, st: State, account: Caller) -> Response:
    """Revoke one of the account's tokens (another account's is 404, as if it did not exist)."""
    st.accounts.revoke_token(account, token_id, address(request))
    return Response(status_code=204)


@router.get("/accounts/me", response_model=ProfileOut)
def me(st: State, account: Caller) -> ProfileOut:
    found = st.accounts.profile(account)
    if found is None:
        raise UnauthorizedError("this account no longer exists")
    return ProfileOut(id=found.id, email=found.email, created_at=_aware(found.created_at))


@router.post(
    "/accounts/me/password", status_code=204, response_class=Response, dependencies=JSON_ONLY
)
def change_password(body: PasswordIn, request: Request, st: State, account: Caller) -> Response:
    """Set a new password; every browser session of the account ends (tokens stay)."""
    try:
        st.accounts.change_password(
            account, body.current_password, body.new_password, address(request)
        )
    except InvalidInputError as exc:  # the service's field names, as this body spells them
        names = {"old_password": "current_password"}
        problems = [FieldProblem(names.get(p.field, p.field), p.message) for p in exc.problems]
        raise InvalidInputError(exc.message, problems) from None
    return Response(status_code=204)


@router.get("/accounts/me/audit", response_model=list[AuditEventOut])
def audit(st: State, account: Caller) -> list[AuditEventOut]:
    """Logins, failed logins, tokens made and revoked, password changes: when and from
    which address. It holds no health data."""
    return [
        AuditEventOut(at=_aware(at), event=event, address=where)
        for at, event, where in st.accounts.audit_log(account)
    ]


@router.delete("/accounts/me", status_code=204, response_class=Response)
def delete_me(request: Request, st: State, account: Caller) -> Response:
    """Delete the account and every row of its diary, assessments and experiments. Its
    tokens stop working at once. (Download everything first: ``GET /api/v1/export``.)"""
    st.accounts.delete_account(account, address(request))
    return Response(status_code=204)
