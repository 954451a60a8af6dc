"""Passwords: argon2id hashes, a clear policy, and the same work for an unknown email.

``verify`` on an email that has no account still runs one argon2id verification against a
fixed dummy hash, so a failed login takes the same time whether or not the email is
registered.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from crampwise.errors import FieldProblem

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; a cap keeps one request from costing seconds


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type  # the multiuser extra; never loaded locally

    # argon2-cffi's defaults are RFC 9106's low-memory profile; argon2id is its default type.
    return PasswordHasher(type=Type.ID)


@cache
def _dummy_hash() -> str:
    return _hasher().hash("crampwise: no account has this password")


def password_problems(password: object, email: str, field: str = "password") -> list[FieldProblem]:
    if not isinstance(password, str):
        return [FieldProblem(field, "must be a string")]
    if len(password) < MIN_LENGTH:
        return [FieldProblem(field, f"must be at least {MIN_LENGTH} characters")]
    if len(password) > MAX_LENGTH:
        return [FieldProblem(field, f"must be at most {MAX_LENGTH} characters")]
    if password.strip().lower() == email.strip().lower():
        return [FieldProblem(field, "must not be the email address")]
    return []


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; ``stored_hash`` None (no such account) costs the same."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash or _dummy_hash(), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (rehash on login)."""
    return _hasher().check_needs_rehash(stored_hash)
