"""CDS Hooks 2.0: discovery, the patient-view card (golden JSON), 412, and the JWT rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest

from crampwise.cds.clients import parse_clients
from crampwise.cds.service import INDICATORS, SUMMARY_MAX
from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase
from crampwise.web.app import WebSettings, create_app
from tests.cds.helpers import (
    GOLDEN,
    ISSUER,
    SERVICE_URL,
    TODAY,
    clients_file,
    ec_key,
    public_jwk,
    rsa_key,
    token,
)
from tests.web.helpers import TEST_HOST, TestClient

EC = ec_key()
RSA = rsa_key()


def golden(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    keys = [public_jwk(EC, "ec1"), public_jwk(RSA, "rsa1")]
    settings = WebSettings(
        database_url=f"sqlite:///{tmp_path / 'diary.sqlite3'}",
        allowed_hosts=(TEST_HOST,),
        data_dir=tmp_path / "data",
        cds_clients_file=clients_file(tmp_path, keys, sub="ehr-client"),
        today=lambda: TODAY,
    )
    with TestClient(create_app(settings)) as c:
        yield c


def call(client: TestClient, body: Any, bearer: str | None) -> Any:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
    return client.post("/cds-services/crampwise-cramps", json=body, headers=headers)


def test_discovery_lists_the_patient_view_service_and_its_prefetch(client: TestClient) -> None:
    assert client.get("/cds-services").json() == golden("discovery.json")


def test_a_signed_call_gets_the_golden_card(client: TestClient) -> None:
    response = call(client, golden("patient_view_request.json"), token(EC))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == golden("patient_view_response.json")
    (card,) = body["cards"]
    assert len(card["summary"]) < 140 and card["indicator"] == "info"
    assert card["source"]["label"] and card["links"][0]["url"].endswith("/report")


def test_rs384_keys_are_accepted_too(client: TestClient) -> None:
    response = call(client, golden("patient_view_request.json"), token(RSA, "rsa1", "RS384"))
    assert response.status_code == 200, response.text


def test_without_a_birth_date_the_card_says_so_and_gives_no_triage(client: TestClient) -> None:
    request = golden("patient_view_request.json")
    del request["prefetch"]["patient"]["birthDate"]
    (card,) = call(client, request, token(EC)).json()["cards"]
    assert card["indicator"] == "info"
    assert "no triage without the patient's birth date" in card["summary"]


@pytest.mark.parametrize("missing", ["patient", "cramps"])
def test_missing_prefetch_is_412(client: TestClient, missing: str) -> None:
    request = golden("patient_view_request.json")
    del request["prefetch"][missing]
    response = call(client, request, token(EC))
    assert response.status_code == 412
    problems = response.json()["error"]["problems"]
    assert [p["field"] for p in problems] == [f"prefetch.{missing}"]


def test_a_malformed_hook_request_is_422_naming_the_fields(client: TestClient) -> None:
    response = call(client, {"hook": "order-sign", "prefetch": {}}, token(EC))
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["error"]["problems"]}
    assert fields == {"hook", "hookInstance", "context.patientId"}


def test_a_bad_observation_is_422_with_its_path(client: TestClient) -> None:
    request = golden("patient_view_request.json")
    del request["prefetch"]["cramps"]["entry"][2]["resource"]["effectivePeriod"]
    response = call(client, request, token(EC))
    assert response.status_code == 422
    fields = [p["field"] for p in response.json()["error"]["problems"]]
    assert fields and all(f.startswith("prefetch.cramps.entry[2].") for f in fields)


def hand_made(header: dict[str, Any], payload: dict[str, Any], secret: bytes) -> str:
    """A JWT built by hand: PyJWT itself refuses to make these forgeries."""
    import base64
    import hashlib
    import hmac

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = ".".join(part(json.dumps(x).encode()) for x in (header, payload))
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha384).digest()
    return f"{signing_input}.{part(signature) if secret else ''}"


def forged_tokens() -> dict[str, tuple[str | None, str]]:
    """name -> (token, what the refusal must mention)."""
    from cryptography.hazmat.primitives import serialization

    public_pem = EC.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {"iss": ISSUER, "aud": SERVICE_URL, "exp": 9999999999, "iat": 1, "jti": "x"}
    unsigned = hand_made({"alg": "none", "kid": "ec1"}, claims, b"")
    # The classic forgery: HMAC "signed" with the public key as the secret.
    forged_hmac = hand_made({"alg": "HS384", "kid": "ec1", "typ": "JWT"}, claims, public_pem)
    other_key = ec_key()
    return {
        "no token": (None, "Bearer"),
        "not a JWT": ("abc.def", "cannot be read"),
        "alg none": (unsigned, "alg 'none'"),
        "HMAC with the public key": (forged_hmac, "alg 'HS384'"),
        "unknown issuer": (token(EC, iss="https://evil.example"), "issuer"),
        "unknown kid": (token(EC, kid="nope"), "kid"),
        "RSA alg on an EC key": (token(RSA, "ec1", "RS384"), "not a key for RS384"),
        "signed by another key": (token(other_key), "Signature"),
        "wrong audience": (token(EC, aud="http://testserver/cds-services/other"), "Audience"),
        "expired": (token(EC, lifetime=-120), "expired"),
        "lives an hour": (token(EC, lifetime=3600), "longer than 300 seconds"),
        "no jti": (token(EC, jti=None), "jti"),
        "wrong client id": (token(EC, sub="someone-else"), "client id"),
    }


@pytest.mark.parametrize("name", list(forged_tokens()))
def test_untrusted_tokens_are_401(client: TestClient, name: str) -> None:
    bearer, mentions = forged_tokens()[name]
    response = call(client, golden("patient_view_request.json"), bearer)
    assert response.status_code == 401, name
    assert response.headers["www-authenticate"] == "Bearer"
    assert mentions in response.json()["error"]["message"]


def test_a_replayed_token_is_refused(client: TestClient) -> None:
    bearer = token(EC)
    assert call(client, golden("patient_view_request.json"), bearer).status_code == 200
    again = call(client, golden("patient_view_request.json"), bearer)
    assert again.status_code == 401
    assert "already used" in again.json()["error"]["message"]


def test_with_no_clients_file_every_call_is_refused(tmp_path: Path) -> None:
    settings = WebSettings(
        database_url=f"sqlite:///{tmp_path / 'd.sqlite3'}",
        allowed_hosts=(TEST_HOST,),
        data_dir=tmp_path / "data",
    )
    with TestClient(create_app(settings)) as c:
        response = call(c, golden("patient_view_request.json"), token(EC))
    assert response.status_code == 401


def test_an_unknown_service_is_404(client: TestClient) -> None:
    response = client.post("/cds-services/nope", json={}, headers={"Authorization": "Bearer x"})
    assert response.status_code == 404


def test_the_clients_file_refuses_private_keys_and_other_key_types() -> None:
    private = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(EC))
    data = {
        "clients": [
            {"iss": ISSUER, "jwks": {"keys": [{**private, "kid": "a"}]}},
            {"iss": "x", "jwks": {"keys": [{"kty": "oct", "kid": "b", "k": "c2VjcmV0"}]}},
        ]
    }
    with pytest.raises(InvalidInputError) as err:
        parse_clients(data)
    fields = [p.field for p in err.value.problems]
    assert fields == [
        "clients[0].jwks.keys[0]",
        "clients[1].jwks.keys[0].kty",
        "clients[1].jwks.keys[0]",
    ]


def test_every_triage_level_has_a_card_indicator(kb: KnowledgeBase) -> None:
    assert set(INDICATORS) == set(kb.levels)
    assert INDICATORS["emergency"] == "critical" and INDICATORS["urgent"] == "warning"
    assert {INDICATORS["doctor"], INDICATORS["self_care"]} == {"info"}
    assert SUMMARY_MAX < 140


@pytest.mark.slow
def test_a_real_serve_process_answers_a_signed_hook_call(tmp_path: Path) -> None:
    from tests.web.live import start_serve

    path = clients_file(tmp_path, [public_jwk(EC, "ec1")])
    server = start_serve(tmp_path, extra_env={"CRAMPWISE_CDS_CLIENTS": str(path)})
    try:
        body = json.dumps(golden("patient_view_request.json")).encode()
        url = f"http://127.0.0.1:{server.port}/cds-services/crampwise-cramps"
        headers = {"Content-Type": "application/json"}
        status, _, _ = server.request("POST", "/cds-services/crampwise-cramps", body, headers)
        assert status == 401
        signed = {**headers, "Authorization": f"Bearer {token(EC, aud=url)}"}
        status, _, raw = server.request("POST", "/cds-services/crampwise-cramps", body, signed)
        assert status == 200, raw
        (card,) = json.loads(raw)["cards"]
        assert card["summary"].startswith("crampwise") and card["indicator"] == "info"
        status, _, raw = server.request("GET", "/cds-services")
        assert status == 200 and json.loads(raw) == golden("discovery.json")
    finally:
        server.stop()
    assert "Traceback" not in server.output
