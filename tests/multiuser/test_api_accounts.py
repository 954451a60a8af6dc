"""The account API's contract, and the bearer token in front of every other API endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from crampwise.storage.account_tables import api_tokens
from crampwise.web.app import create_app
from tests.multiuser.conftest import PASSWORD, MultiUser, ServiceDb, multi_user_settings
from tests.web.helpers import TestClient

CRAMP = {"started_at": "2024-03-01T22:15", "duration_minutes": 2, "severity": 6, "sites": ["calf"]}

# One protected operation of every API family (and the account API's own).
PROTECTED = [
    ("GET", "/api/v1/episodes"),
    ("POST", "/api/v1/episodes"),
    ("GET", "/api/v1/episodes/1"),
    ("GET", "/api/v1/days"),
    ("PUT", "/api/v1/days/2024-03-01"),
    ("GET", "/api/v1/factors"),
    ("GET", "/api/v1/insights"),
    ("GET", "/api/v1/export"),
    ("GET", "/api/v1/report"),
    ("POST", "/api/v1/assessments"),
    ("POST", "/api/v1/interview/next"),
    ("POST", "/api/v1/understand"),
    ("GET", "/api/v1/remedies"),
    ("GET", "/api/v1/experiments"),
    ("GET", "/api/v1/experiments/1"),
    ("GET", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/1"),
    ("GET", "/api/v1/accounts/me"),
    ("POST", "/api/v1/accounts/me/password"),
    ("GET", "/api/v1/accounts/me/audit"),
    ("DELETE", "/api/v1/accounts/me"),
]


def test_sign_up_get_a_token_and_use_it(mu: MultiUser, mu_client: TestClient) -> None:
    made = mu_client.post(
        "/api/v1/accounts", json={"email": " Ann@Example.org", "password": PASSWORD}
    )
    assert made.status_code == 201
    assert made.json() == {"id": made.json()["id"], "email": "ann@example.org"}
    got = mu_client.post(
        "/api/v1/tokens",
        json={"email": "ann@example.org", "password": PASSWORD, "name": "my phone"},
    )
    assert got.status_code == 201
    body = got.json()
    assert set(body) == {"token", "id", "name", "created_at"} and body["name"] == "my phone"
    auth = {"Authorization": f"Bearer {body['token']}"}
    me = mu_client.get("/api/v1/accounts/me", headers=auth)
    assert me.status_code == 200 and me.json()["email"] == "ann@example.org"
    assert mu_client.post("/api/v1/episodes", json=CRAMP, headers=auth).status_code == 201
    listed = mu_client.get("/api/v1/tokens", headers=auth).json()
    assert [(t["id"], t["name"]) for t in listed] == [(body["id"], "my phone")]
    assert listed[0]["last_used_at"] is not None
    events = [e["event"] for e in mu_client.get("/api/v1/accounts/me/audit", headers=auth).json()]
    assert events == ["signed_up", "logged_in", "token_created"]


def test_ping_needs_no_token(mu_client: TestClient) -> None:
    answer = mu_client.get("/api/v1/ping")
    assert answer.status_code == 200 and answer.json() == {}


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_protected_api_family_refuses_no_token_and_a_bad_one(
    mu: MultiUser, mu_client: TestClient, method: str, path: str
) -> None:
    ann = mu.person("ann")
    for headers, challenge in [
        ({}, "Bearer"),
        ({"Authorization": "Bearer cw_not-a-real-token"}, 'Bearer error="invalid_token"'),
        ({"Authorization": f"Basic {ann.token}"}, 'Bearer error="invalid_token"'),
        ({"Authorization": "Bearer"}, 'Bearer error="invalid_token"'),
    ]:
        answer = mu_client.request(method, path, headers=headers, json={})
        assert answer.status_code == 401, (headers, answer.text)
        assert answer.headers["www-authenticate"] == challenge
        error = answer.json()["error"]
        assert error["status"] == 401 and error["problems"] == []
        assert "Bearer" in error["message"] or "bearer" in error["message"]


def test_a_session_cookie_is_no_key_to_the_api_except_the_download_links(
    mu: MultiUser, mu_client: TestClient
) -> None:
    ann = mu.person("ann")
    session = mu.state.accounts.start_session(ann.id)
    mu_client.cookies.set("crampwise_session", session)
    assert mu_client.get("/api/v1/export?format=json").status_code == 200
    assert mu_client.get("/api/v1/episodes").status_code == 401
    assert mu_client.post("/api/v1/episodes", json=CRAMP).status_code == 401


def test_each_person_sees_only_their_own_diary(mu: MultiUser, mu_client: TestClient) -> None:
    ann, bob = mu.person("ann"), mu.person("bob")
    made = mu_client.post("/api/v1/episodes", json=CRAMP, headers=ann.headers).json()
    assert mu_client.get("/api/v1/episodes", headers=bob.headers).json() == []
    missing = mu_client.get(f"/api/v1/episodes/{made['id']}", headers=bob.headers)
    assert missing.status_code == 404
    assert (
        mu_client.delete(f"/api/v1/episodes/{made['id']}", headers=bob.headers).status_code == 404
    )
    assert len(mu_client.get("/api/v1/episodes", headers=ann.headers).json()) == 1


def test_revoked_and_foreign_tokens(mu: MultiUser, mu_client: TestClient) -> None:
    ann, bob = mu.person("ann"), mu.person("bob")
    (bobs,) = mu_client.get("/api/v1/tokens", headers=bob.headers).json()
    assert mu_client.delete(f"/api/v1/tokens/{bobs['id']}", headers=ann.headers).status_code == 404
    assert mu_client.get("/api/v1/accounts/me", headers=bob.headers).status_code == 200
    assert mu_client.delete(f"/api/v1/tokens/{bobs['id']}", headers=bob.headers).status_code == 204
    assert mu_client.get("/api/v1/accounts/me", headers=bob.headers).status_code == 401
    assert mu_client.get("/api/v1/accounts/me", headers=ann.headers).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(
    mu: MultiUser, mu_client: TestClient, admin_engine: Engine
) -> None:
    ann = mu.person("ann")
    assert mu_client.get("/api/v1/accounts/me", headers=ann.headers).status_code == 200
    engine = admin_engine
    with engine.connect() as conn:
        first = conn.scalar(select(api_tokens.c.last_used_at))
    assert first is not None
    for _ in range(3):
        assert mu_client.get("/api/v1/accounts/me", headers=ann.headers).status_code == 200
    with engine.connect() as conn:
        assert conn.scalar(select(api_tokens.c.last_used_at)) == first
        conn.execute(
            text("UPDATE api_tokens SET last_used_at = last_used_at - interval '2 minutes'")
        )
        conn.commit()
    assert mu_client.get("/api/v1/accounts/me", headers=ann.headers).status_code == 200
    with engine.connect() as conn:
        assert conn.scalar(select(api_tokens.c.last_used_at)) > first


def test_change_password(mu: MultiUser, mu_client: TestClient) -> None:
    ann = mu.person("ann")
    url = "/api/v1/accounts/me/password"
    wrong = mu_client.post(
        url,
        json={"current_password": "not the password", "new_password": "a brand new one!"},
        headers=ann.headers,
    )
    assert wrong.status_code == 422
    assert [p["field"] for p in wrong.json()["error"]["problems"]] == ["current_password"]
    short = mu_client.post(
        url, json={"current_password": PASSWORD, "new_password": "short"}, headers=ann.headers
    )
    assert [p["field"] for p in short.json()["error"]["problems"]] == ["new_password"]
    done = mu_client.post(
        url,
        json={"current_password": PASSWORD, "new_password": "a brand new one!"},
        headers=ann.headers,
    )
    assert done.status_code == 204
    login = {"email": ann.email, "name": "t"}
    old = mu_client.post("/api/v1/tokens", json={**login, "password": PASSWORD})
    assert old.status_code == 401
    new = mu_client.post("/api/v1/tokens", json={**login, "password": "a brand new one!"})
    assert new.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not an email", "password": PASSWORD}, "email"),
        ({"email": "a@example.org", "password": "short"}, "password"),
        ({"email": "a@example.org"}, "password"),
        ({"email": "a@example.org", "password": PASSWORD, "extra": 1}, "extra"),
    ],
)
def test_bad_sign_ups_are_422_naming_the_field(
    mu_client: TestClient, body: dict[str, object], field: str
) -> None:
    answer = mu_client.post("/api/v1/accounts", json=body)
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["error"]["problems"]] == [field]


def test_an_email_signs_up_once(mu: MultiUser, mu_client: TestClient) -> None:
    mu.person("ann")
    again = mu_client.post(
        "/api/v1/accounts", json={"email": "ANN@example.org", "password": PASSWORD}
    )
    assert again.status_code == 422


def test_deleting_the_account_refuses_the_token_and_leaves_no_row(
    mu: MultiUser, mu_client: TestClient, admin_engine: Engine
) -> None:
    ann, bob = mu.person("ann"), mu.person("bob")
    for who in (ann, bob):
        assert (
            mu_client.post("/api/v1/episodes", json=CRAMP, headers=who.headers).status_code == 201
        )
        day = {"values": {"water_litres": 1.5}}
        assert (
            mu_client.put("/api/v1/days/2024-03-01", json=day, headers=who.headers).status_code
            == 200
        )
    assert mu_client.delete("/api/v1/accounts/me", headers=ann.headers).status_code == 204
    assert mu_client.get("/api/v1/episodes", headers=ann.headers).status_code == 401
    assert mu_client.delete("/api/v1/accounts/me", headers=ann.headers).status_code == 401
    # Checked in the database, as its owner: no row of Ann's in any table that has owners.
    from crampwise.storage.ownership import OWNED_TABLES

    with admin_engine.connect() as conn:
        for table in OWNED_TABLES:
            left = conn.scalar(
                select(func.count()).select_from(table).where(table.c.owner_id == ann.id)
            )
            assert left == 0, table.name
        for name in ("accounts", "api_tokens", "sessions"):
            column = "id" if name == "accounts" else "account_id"
            left = conn.scalar(
                text(f"SELECT count(*) FROM {name} WHERE {column} = :a"), {"a": ann.id}
            )
            assert left == 0, name
        bobs = conn.scalar(text("SELECT count(*) FROM episodes WHERE owner_id = :b"), {"b": bob.id})
        assert bobs == 1
        events = [
            e
            for (e,) in conn.execute(
                text("SELECT event FROM audit_events WHERE account_id = :a ORDER BY id"),
                {"a": ann.id},
            )
        ]
    assert events[-1] == "account_deleted"
    assert len(mu_client.get("/api/v1/episodes", headers=bob.headers).json()) == 1


def test_the_openapi_document_describes_the_bearer_token(mu_client: TestClient) -> None:
    schema = mu_client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    episodes = schema["paths"]["/api/v1/episodes"]["get"]
    assert episodes["security"] == [{"bearer": []}] and "401" in episodes["responses"]
    assert schema["paths"]["/api/v1/tokens"]["post"]["security"] == []
    assert not any(path.startswith("/cds-services") for path in schema["paths"])


def test_ping_and_the_login_page_never_touch_the_database(service_db: ServiceDb) -> None:
    # A database nobody listens on: anything that tried to use it would fail.
    from tests.web.live import free_port

    nowhere = f"postgresql+psycopg://nobody:pw@127.0.0.1:{free_port()}/nothing"
    app = create_app(multi_user_settings(service_db, database_url=nowhere))
    with TestClient(app) as client:
        for headers in ({}, {"Authorization": "Bearer cw_whatever"}):
            answer = client.get("/api/v1/ping", headers=headers)
            assert answer.status_code == 200 and answer.json() == {}
        assert client.get("/login", headers={"Cookie": "crampwise_session=s_x"}).status_code == 200
        assert client.get("/static/style.css").status_code == 200
