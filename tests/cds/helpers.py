"""Keys, tokens and requests for the CDS Hooks tests: everything generated locally."""

from __future__ import annotations

import json
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from crampwise.diary.records import Episode
from crampwise.fhir.codes import load_codes
from crampwise.fhir.episodes import episode_observation

GOLDEN = Path(__file__).parent / "golden"
ISSUER = "https://ehr.example.org"
TODAY = date(2026, 11, 30)
SERVICE_URL = "http://testserver/cds-services/crampwise-cramps"


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.ECAlgorithm if isinstance(key, ec.EllipticCurvePrivateKey) else None
    jwk_text = (algorithm or jwt.algorithms.RSAAlgorithm).to_jwk(key.public_key())
    return {**json.loads(jwk_text), "kid": kid}


def clients_file(folder: Path, keys: list[dict[str, Any]], **client: Any) -> Path:
    path = folder / "cds-clients.json"
    entry = {"iss": ISSUER, "jwks": {"keys": keys}, **client}
    path.write_text(json.dumps({"clients": [entry]}), encoding="utf-8")
    return path


def token(
    key: Any, kid: str = "ec1", alg: str = "ES384", lifetime: int = 120, **claims: Any
) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "sub": "ehr-client",
        "aud": SERVICE_URL,
        "iat": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})


def cramp_episodes() -> list[Episode]:
    """Four weeks of night cramps in the calves, getting more frequent: fixed dates."""
    episodes = []
    start = TODAY - timedelta(days=55)
    for i in range(56):
        day = start + timedelta(days=i)
        if i % 4 == 0 or (i >= 28 and i % 2 == 0):
            at = datetime.combine(day, datetime.min.time()).replace(hour=2, minute=10)
            episodes.append(
                Episode(at, 3, ("calf",), 6, side="left", activity="in_bed", note="woke me")
            )
    return episodes


def hook_request(birth_date: str | None = "1950-03-04") -> dict[str, Any]:
    codes = load_codes()
    patient: dict[str, Any] = {"resourceType": "Patient", "id": "p1", "gender": "female"}
    if birth_date is not None:
        patient["birthDate"] = birth_date
    observations = [episode_observation(ep, codes, "Patient/p1") for ep in cramp_episodes()]
    return {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": "p1"},
        "prefetch": {
            "patient": patient,
            "cramps": {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"resource": obs} for obs in observations],
            },
        },
    }
