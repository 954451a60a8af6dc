"""Bearer tokens and session ids: random, shown once, stored only as a digest."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "cw_"  # lets a leaked token be recognised (secret scanners, logs)


def new_secret(prefix: str = TOKEN_PREFIX) -> str:
    """256 bits of randomness, URL-safe."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the database keeps: SHA-256, enough for a random 256-bit secret (no salt needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
