"""Accounts for ``crampwise serve --multi-user`` (the multiuser extra: argon2-cffi, redis).

The local single-user app never imports this package.
"""

from __future__ import annotations

from crampwise.accounts.ratelimit import DatabaseCounter, FailureCounter, RedisCounter
from crampwise.accounts.service import EVENTS, Accounts, Profile, TokenInfo, normal_email

__all__ = [
    "EVENTS",
    "Accounts",
    "DatabaseCounter",
    "FailureCounter",
    "Profile",
    "RedisCounter",
    "TokenInfo",
    "normal_email",
]
