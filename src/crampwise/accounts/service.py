"""Accounts for multi-user mode: sign up, log in, tokens, sessions, password, deletion.

Every change of who can get in is written to the audit log (event names in ``EVENTS``),
which holds account ids, times and addresses, never health data. A failed login always
gives the same answer, whether the email is unknown or the password wrong, and costs the
same argon2id verification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from crampwise.accounts.credentials import digest, new_secret
from crampwise.accounts.passwords import hash_password, password_problems, verify_password
from crampwise.accounts.ratelimit import PER_ACCOUNT, PER_ADDRESS, FailureCounter, retry_after
from crampwise.errors import (
    FieldProblem,
    InvalidInputError,
    NotFoundError,
    TooManyRequestsError,
    UnauthorizedError,
)
from crampwise.storage.account_tables import accounts, api_tokens, audit_events, sessions
from crampwise.storage.ownership import erase_owned_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from crampwise.diary.store import DiaryStore

SESSION_LIFETIME = timedelta(days=14)
LAST_USED_EVERY = timedelta(minutes=1)
"""How stale a token's ``last_used_at`` may get before a request writes it again."""
EVENTS = (
    "signed_up",
    "logged_in",
    "login_failed",
    "logged_out",
    "token_created",
    "token_revoked",
    "password_changed",
    "account_deleted",
)
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
# No control characters in an email or a token name: none belongs there, and a NUL would
# make PostgreSQL refuse the whole statement (a 503 instead of a clear answer).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LOGIN_REFUSED = "the email or password is not right"


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    email: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def normal_email(email: object) -> str:
    if not isinstance(email, str) or not _EMAIL.match(email.strip()) or len(email) > 254:
        raise InvalidInputError(
            "invalid email", [FieldProblem("email", "must be an email address")]
        )
    return email.strip().lower()


class Accounts:
    """The account operations, on the shared database (``store.connection``)."""

    def __init__(self, store: DiaryStore, failures: FailureCounter) -> None:
        self._store = store
        self._failures = failures

    # ------------------------------------------------------------ sign up, log in

    def sign_up(self, email: object, password: object, address: str | None = None) -> int:
        address_email = normal_email(email)
        problems = password_problems(password, address_email)
        if problems:
            raise InvalidInputError("the password is not accepted", problems)
        assert isinstance(password, str)
        now = datetime.now()
        try:
            with self._store.connection(write=True) as conn:
                account_id = int(
                    conn.execute(
                        insert(accounts)
                        .values(
                            email=address_email,
                            password_hash=hash_password(password),
                            created_at=now,
                        )
                        .returning(accounts.c.id)
                    ).scalar_one()
                )
                _audit(conn, now, account_id, "signed_up", address)
        except Exception as exc:  # StorageError wraps the IntegrityError of a taken email
            if isinstance(exc.__cause__, IntegrityError):
                raise InvalidInputError(
                    "no account was created",
                    [FieldProblem("email", "already has an account: log in instead")],
                ) from None
            raise
        return account_id

    def log_in(self, email: object, password: object, address: str | None = None) -> int:
        """The account id, or UnauthorizedError (same words for every failure), or 429."""
        now = datetime.now()
        keys = [f"account:{digest(str(email).strip().lower())[:40]}"]
        limits = [PER_ACCOUNT]
        if address:
            keys.append(f"address:{address}")
            limits.append(PER_ADDRESS)
        if any(self._failures.failures(k, now) >= n for k, n in zip(keys, limits, strict=True)):
            raise TooManyRequestsError(
                "too many failed logins: wait a while before trying again", retry_after(now)
            )
        # An email no account can have is looked up as none, with the same answer and cost.
        plain = isinstance(email, str) and not _CONTROL.search(email)
        wanted = str(email).strip().lower() if plain else ""
        with self._store.connection() as conn:
            row = conn.execute(
                select(accounts.c.id, accounts.c.password_hash).where(accounts.c.email == wanted)
            ).first()
        ok = verify_password(row.password_hash if row else None, str(password))
        with self._store.connection(write=True) as conn:
            _audit(
                conn, now, row.id if row else None, "logged_in" if ok else "login_failed", address
            )
        if not ok or row is None:
            for key in keys:
                self._failures.add_failure(key, now)
            raise UnauthorizedError(LOGIN_REFUSED)
        self._failures.clear(keys[0], now)
        return int(row.id)

    # ------------------------------------------------------------ API tokens

    def create_token(self, account_id: int, name: object, address: str | None = None) -> str:
        """A new bearer token (shown once; only its digest is kept)."""
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            raise InvalidInputError(
                "invalid token name", [FieldProblem("name", "must be 1 to 100 characters")]
            )
        if _CONTROL.search(name):
            raise InvalidInputError(
                "invalid token name", [FieldProblem("name", "must be plain text")]
            )
        token, now = new_secret(), datetime.now()
        with self._store.connection(write=True) as conn:
            conn.execute(
                insert(api_tokens).values(
                    account_id=account_id, name=name.strip(), digest=digest(token), created_at=now
                )
            )
            _audit(conn, now, account_id, "token_created", address)
        return token

    def account_for_token(self, token: str) -> int | None:
        """The account of a bearer token, or None (unknown, revoked, or its account deleted).

        Every API request asks this, so it is one read; ``last_used_at`` is written at most
        once a :data:`LAST_USED_EVERY` (a write per request would be a row lock and a WAL
        record each time).
        """
        key, now = digest(token), datetime.now()
        with self._store.connection() as conn:
            row = conn.execute(
                select(api_tokens.c.account_id, api_tokens.c.last_used_at).where(
                    api_tokens.c.digest == key
                )
            ).first()
        if row is None:
            return None
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
            stale = now - LAST_USED_EVERY
            with self._store.connection(write=True) as conn:
                # The condition again, so workers racing on one token write it once.
                conn.execute(
                    update(api_tokens)
                    .where(
                        api_tokens.c.digest == key,
                        or_(
                            api_tokens.c.last_used_at.is_(None),
                            api_tokens.c.last_used_at <= stale,
                        ),
                    )
                    .values(last_used_at=now)
                )
        return int(row.account_id)

    def token_info(self, token: str) -> TokenInfo:
        """The listing entry of a token just made (found by its digest, never "the newest")."""
        t = api_tokens
        query = select(t.c.id, t.c.name, t.c.created_at, t.c.last_used_at).where(
            t.c.digest == digest(token)
        )
        with self._store.connection() as conn:
            return TokenInfo(*conn.execute(query).one())

    def tokens(self, account_id: int) -> list[TokenInfo]:
        t = api_tokens
        query = (
            select(t.c.id, t.c.name, t.c.created_at, t.c.last_used_at)
            .where(t.c.account_id == account_id)
            .order_by(t.c.id)
        )
        with self._store.connection() as conn:
            return [TokenInfo(*row) for row in conn.execute(query)]

    def revoke_token(self, account_id: int, token_id: int, address: str | None = None) -> None:
        t = api_tokens
        with self._store.connection(write=True) as conn:
            gone = conn.execute(
                delete(t).where(t.c.id == token_id, t.c.account_id == account_id)
            ).rowcount
            if not gone:  # another account's token is "not found", never "forbidden"
                raise NotFoundError(f"no token with id {token_id}")
            _audit(conn, datetime.now(), account_id, "token_revoked", address)

    # ------------------------------------------------------------ browser sessions

    def start_session(self, account_id: int) -> str:
        session, now = new_secret("s_"), datetime.now()
        with self._store.connection(write=True) as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at < now))
            conn.execute(
                insert(sessions).values(
                    digest=digest(session),
                    account_id=account_id,
                    created_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
        return session

    def account_for_session(self, session: str) -> int | None:
        found = self.session_identity(session)
        return found[0] if found else None

    def session_identity(self, session: str) -> tuple[int, str] | None:
        """The account id and email of a live browser session (one query), or None."""
        query = (
            select(accounts.c.id, accounts.c.email)
            .join(sessions, sessions.c.account_id == accounts.c.id)
            .where(sessions.c.digest == digest(session), sessions.c.expires_at > datetime.now())
        )
        with self._store.connection() as conn:
            row = conn.execute(query).first()
        return (int(row.id), str(row.email)) if row else None

    def profile(self, account_id: int) -> Profile | None:
        query = select(accounts.c.id, accounts.c.email, accounts.c.created_at).where(
            accounts.c.id == account_id
        )
        with self._store.connection() as conn:
            row = conn.execute(query).first()
        return Profile(int(row.id), str(row.email), row.created_at) if row else None

    def end_session(self, session: str, address: str | None = None) -> None:
        with self._store.connection(write=True) as conn:
            account_id = conn.execute(
                delete(sessions)
                .where(sessions.c.digest == digest(session))
                .returning(sessions.c.account_id)
            ).scalar_one_or_none()
            if account_id is not None:
                _audit(conn, datetime.now(), int(account_id), "logged_out", address)

    # ------------------------------------------------------------ password, deletion

    def change_password(
        self, account_id: int, old: object, new: object, address: str | None = None
    ) -> None:
        """Sets a new password and ends every browser session of the account."""
        with self._store.connection() as conn:
            row = conn.execute(
                select(accounts.c.email, accounts.c.password_hash).where(
                    accounts.c.id == account_id
                )
            ).first()
        if row is None:
            raise NotFoundError("no such account")
        if not verify_password(row.password_hash, str(old)):
            raise InvalidInputError(
                "the password was not changed",
                [FieldProblem("old_password", "is not the current password")],
            )
        problems = password_problems(new, row.email, "new_password")
        if problems:
            raise InvalidInputError("the password was not changed", problems)
        assert isinstance(new, str)
        now = datetime.now()
        with self._store.connection(write=True) as conn:
            conn.execute(
                update(accounts)
                .where(accounts.c.id == account_id)
                .values(password_hash=hash_password(new))
            )
            conn.execute(delete(sessions).where(sessions.c.account_id == account_id))
            _audit(conn, now, account_id, "password_changed", address)

    def delete_account(self, account_id: int, address: str | None = None) -> None:
        """Deletes every diary, assessment and experiment row of the account, then the
        account, its tokens and sessions, in one transaction (the audit record stays)."""
        # The account's own store: its connection is scoped to (and, on PostgreSQL, row-level
        # security lets it see) exactly the account's rows.
        with self._store.for_owner(account_id).connection(write=True) as conn:
            erase_owned_rows(conn)
            conn.execute(delete(api_tokens).where(api_tokens.c.account_id == account_id))
            conn.execute(delete(sessions).where(sessions.c.account_id == account_id))
            if not conn.execute(delete(accounts).where(accounts.c.id == account_id)).rowcount:
                raise NotFoundError("no such account")
            _audit(conn, datetime.now(), account_id, "account_deleted", address)

    def audit_log(self, account_id: int) -> list[tuple[datetime, str, str | None]]:
        t = audit_events
        query = (
            select(t.c.at, t.c.event, t.c.address)
            .where(t.c.account_id == account_id)
            .order_by(t.c.id)
        )
        with self._store.connection() as conn:
            return [(at, event, address) for at, event, address in conn.execute(query)]


def _audit(
    conn: Connection, at: datetime, account_id: int | None, event: str, address: str | None
) -> None:
    assert event in EVENTS
    conn.execute(
        insert(audit_events).values(
            at=at, account_id=account_id, event=event, address=(address or None)
        )
    )
