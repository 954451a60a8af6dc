"""Checking the bearer JWT of a CDS Hooks call (CDS Hooks 2.0, "Trusting CDS Clients").

A call is trusted only when its token is signed with ES384 or RS384 by a key the clients
file lists for the token's ``iss``; ``aud`` is this service's URL; ``exp``, ``iat`` and
``jti`` are present, the token expires within five minutes, and its ``jti`` was not seen
before. ``alg: none`` and HMAC are refused before anything else is read: an HMAC token
"signed" with a public key is the classic way to forge one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from crampwise.cds.clients import CdsClient
from crampwise.errors import UnauthorizedError

ALGORITHMS = ("ES384", "RS384")
KEY_TYPES = {"ES384": "EC", "RS384": "RSA"}
MAX_LIFETIME_SECONDS = 300
"""The spec has clients issue tokens that expire within five minutes; longer is refused."""
LEEWAY_SECONDS = 30
"""Clock skew allowed between the client and this machine."""


class ReplayGuard:
    """Remembers each (issuer, jti) until its token expires; a second use is a replay.

    In this process's memory: one ``crampwise serve`` process answers every call.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def first_use(self, iss: str, jti: str, expires: float, now: float) -> bool:
        with self._lock:
            for key in [k for k, until in self._seen.items() if until < now]:
                del self._seen[key]  # expired tokens are refused anyway: forget them
            if (iss, jti) in self._seen:
                return False
            self._seen[(iss, jti)] = expires + LEEWAY_SECONDS
            return True


def _refuse(reason: str) -> UnauthorizedError:
    return UnauthorizedError(f"the CDS Hooks call is not authorised: {reason}")


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse("send 'Authorization: Bearer <JWT>' signed by a trusted client")
    return token.strip()


def verify_call(
    authorization: str | None,
    clients: Mapping[str, CdsClient],
    audience: str,
    replays: ReplayGuard,
    now: float | None = None,
) -> dict[str, Any]:
    """The token's claims when the call is trusted; :class:`UnauthorizedError` otherwise."""
    import jwt  # PyJWT, only when a CDS call comes in

    token = bearer_token(authorization)
    now = time.time() if now is None else now
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise _refuse(f"the token cannot be read ({exc})") from None
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise _refuse(f"alg {alg!r} is refused; only {' and '.join(ALGORITHMS)} are accepted")
    client = clients.get(str(unverified.get("iss", "")))
    if client is None:
        raise _refuse("the issuer (iss) is not a trusted CDS client")
    jwk = client.keys.get(str(header.get("kid", "")))
    if jwk is None:
        raise _refuse("the key id (kid) is not one of the issuer's keys")
    if jwk.get("kty") != KEY_TYPES[alg]:
        raise _refuse(f"the key {header.get('kid')!r} is not a key for {alg}")
    try:
        key = jwt.PyJWK(dict(jwk), algorithm=alg).key
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=audience,
            issuer=client.iss,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise _refuse(str(exc)) from None
    if float(claims["exp"]) > now + MAX_LIFETIME_SECONDS + LEEWAY_SECONDS:
        raise _refuse(f"the token lives longer than {MAX_LIFETIME_SECONDS} seconds")
    if client.sub is not None and claims.get("sub") != client.sub:
        raise _refuse("the client id (sub) is not the one configured for this issuer")
    if not replays.first_use(client.iss, str(claims["jti"]), float(claims["exp"]), now):
        raise _refuse("this token (jti) was already used")
    return claims


__all__ = ["ALGORITHMS", "ReplayGuard", "bearer_token", "verify_call"]
