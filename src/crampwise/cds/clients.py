"""Which CDS clients (EHRs) may call the CDS Hooks service, and their public keys.

A file named by ``CRAMPWISE_CDS_CLIENTS`` lists them (JSON)::

    {"clients": [{"iss": "https://ehr.example.org", "sub": "crampwise-client",
                  "jwks": {"keys": [{"kty": "EC", "crv": "P-384", "kid": "k1",
                                     "x": "…", "y": "…"}]}}]}

``iss`` is the allow-listed issuer; ``sub`` (optional) pins the client id the tokens must
carry; ``jwks`` is its JSON Web Key Set of PUBLIC keys (EC P-384 for ES384, RSA for RS384).
No file: no client is trusted and every service call is refused with 401.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crampwise.errors import FieldProblem, InvalidInputError, field_path

ENV_VAR = "CRAMPWISE_CDS_CLIENTS"
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k")
"""JWK members that only a private or symmetric key has: refused in a trust list."""


class _Key(BaseModel):
    model_config = ConfigDict(extra="allow")  # a JWK has optional members (use, alg, x5c …)
    kty: str
    kid: str = Field(min_length=1)


class _Jwks(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keys: list[_Key] = Field(min_length=1)


class _Client(BaseModel):
    model_config = ConfigDict(extra="forbid")
    iss: str = Field(min_length=1)
    sub: str | None = None
    jwks: _Jwks


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clients: list[_Client]


@dataclass(frozen=True, slots=True)
class CdsClient:
    iss: str
    sub: str | None
    keys: Mapping[str, Mapping[str, Any]]
    """Public JWKs by ``kid``."""


def parse_clients(data: object, where: str = "clients file") -> dict[str, CdsClient]:
    """The trusted clients by issuer, from the parsed JSON of a clients file."""
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        found = [
            FieldProblem(field_path(list(e["loc"])) or "(file)", e["msg"]) for e in exc.errors()
        ]
        raise InvalidInputError(f"the CDS clients in {where} are not valid", found) from None
    clients: dict[str, CdsClient] = {}
    problems: list[FieldProblem] = []
    for i, client in enumerate(parsed.clients):
        if client.iss in clients:
            problems.append(FieldProblem(f"clients[{i}].iss", "is listed twice"))
        keys: dict[str, Mapping[str, Any]] = {}
        for j, key in enumerate(client.jwks.keys):
            jwk = key.model_dump()
            where_key = f"clients[{i}].jwks.keys[{j}]"
            if key.kty not in ("EC", "RSA"):
                problems.append(FieldProblem(f"{where_key}.kty", "must be EC or RSA"))
            if any(member in jwk for member in PRIVATE_MEMBERS):
                problems.append(
                    FieldProblem(where_key, "is a private or secret key: list public keys only")
                )
            keys[key.kid] = jwk
        clients[client.iss] = CdsClient(client.iss, client.sub, keys)
    if problems:
        raise InvalidInputError(f"the CDS clients in {where} are not valid", problems)
    return clients


def load_clients(path: Path | None = None) -> dict[str, CdsClient]:
    """The clients in ``path`` (default: the file ``CRAMPWISE_CDS_CLIENTS`` names; none)."""
    if path is None:
        named = os.environ.get(ENV_VAR, "").strip()
        if not named:
            return {}
        path = Path(named).expanduser()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInputError(
            f"the CDS clients file {path} could not be read",
            [FieldProblem(ENV_VAR, f"{exc}")],
        ) from None
    return parse_clients(data, str(path))


__all__ = ["ENV_VAR", "CdsClient", "load_clients", "parse_clients"]
