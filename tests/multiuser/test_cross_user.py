"""Isolation seen from outside: every operation, as Bob, with Ann's ids.

The operations are not listed by hand: they come from the app's OpenAPI document (the JSON
API) and from its route table (the pages), so a new endpoint is covered the day it is added,
and one with a path parameter this test cannot fill fails here until it can. Each call must
answer 404, never 403 (which would confirm that the id exists) and never a trace of Ann's
data; afterwards Ann's whole export is byte for byte what it was.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, text

from tests.multiuser.conftest import MultiUser, Person
from tests.web.helpers import TestClient, hidden

ANN_NOTE = "ann-private-note-7f3a"
ANN_DAY_NOTE = "ann-private-day-91c2"
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()

# Bodies for the operations that need one: valid in themselves, so that the only reason to
# refuse them is whose id they name. An operation with a body not listed here fails the test.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/episodes/{episode_id}"): {
        "started_at": f"{YESTERDAY}T22:00:00",
        "duration_minutes": 1,
        "sites": ["toes"],
        "severity": 2,
        "actions": [],
        "note": "bob",
    },
    ("PUT", "/api/v1/days/{day}"): {"values": {"water_litres": 2.0}},
    ("POST", "/api/v1/experiments/{experiment_id}/checkins"): {"done": True},
    ("POST", "/api/v1/experiments/{experiment_id}/stop"): {},
}

# A date is not an identifier that belongs to one person: Bob may record his own day at the
# date Ann used. What must hold is that he gets only his own day back (no note or factor of
# Ann's, which a leaking "merge" would mix in) and Ann's day is untouched.
OWN_RECORD_AT_DATE = {("PUT", "/api/v1/days/{day}")}


def _ann_diary(mu: MultiUser, ann: Person) -> dict[str, str]:
    """Ann's episode, day, experiment and API token; their ids by path-parameter name."""
    client = mu.client
    episode = client.post(
        "/api/v1/episodes",
        headers=ann.headers,
        json={
            "started_at": f"{YESTERDAY}T23:10:00",
            "duration_minutes": 3,
            "sites": ["toes"],
            "severity": 6,
            "actions": ["stretched"],
            "note": ANN_NOTE,
        },
    )
    assert episode.status_code == 201, episode.text
    day = client.post(
        "/api/v1/days",
        headers=ann.headers,
        json={"date": YESTERDAY, "values": {"water_litres": 0.5}, "note": ANN_DAY_NOTE},
    )
    assert day.status_code == 201, day.text
    remedy = client.get("/api/v1/remedies", headers=ann.headers).json()["remedies"][0]["id"]
    experiment = client.post("/api/v1/experiments", headers=ann.headers, json={"remedy": remedy})
    assert experiment.status_code == 201, experiment.text
    tokens = client.get("/api/v1/tokens", headers=ann.headers)
    assert tokens.status_code == 200, tokens.text
    return {
        "token_id": str(tokens.json()[0]["id"]),
        "episode_id": str(episode.json()["id"]),
        "day": YESTERDAY,
        "experiment_id": str(experiment.json()["id"]),
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"{path}: no id of Ann's for the path parameter {{{name}}}"
        return ids[name]

    return re.sub(r"\{([^}:]+)(?::[^}]*)?\}", value, path)


def _routes(routes: list[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, including those of included routers."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:  # FastAPI keeps an included router whole, under its prefix
            found += _routes(inner.routes, prefix + route.include_context.prefix)
        elif isinstance(getattr(route, "path", None), str):
            found.append((prefix + route.path, set(getattr(route, "methods", None) or ())))
    return found


def _no_trace_of_ann(response_text: str, where: str) -> None:
    for secret in (ANN_NOTE, ANN_DAY_NOTE):
        assert secret not in response_text, f"{where} showed Ann's data"


def test_every_api_operation_as_bob_with_anns_ids_is_404(mu: MultiUser) -> None:
    ann, bob = mu.person("ann"), mu.person("bob")
    ids = _ann_diary(mu, ann)
    before = mu.client.get("/api/v1/export", headers=ann.headers)
    assert before.status_code == 200 and ANN_NOTE in before.text

    paths: dict[str, dict[str, Any]] = mu.client.get("/openapi.json").json()["paths"]
    with_ids = [(m.upper(), p) for p, ops in paths.items() for m in ops if "{" in p]
    # Bob's own day at Ann's date comes last, so it is not what his DELETE of that date finds.
    with_ids.sort(key=lambda op: op in OWN_RECORD_AT_DATE)
    assert len(with_ids) >= 10, with_ids  # episodes, days and experiments at least
    for method, path in with_ids:
        operation = paths[path][method.lower()]
        needs_body = method in ("POST", "PUT") and (
            "requestBody" in operation or (method, path) in BODIES
        )
        body = BODIES.get((method, path))
        assert body is not None or not needs_body, f"add a body for {method} {path}"
        response = mu.client.request(
            method, _fill(path, ids), headers=bob.headers, json=body if needs_body else None
        )
        where = f"{method} {path} as Bob"
        _no_trace_of_ann(response.text, where)
        if (method, path) in OWN_RECORD_AT_DATE:
            assert response.status_code in (200, 201), f"{where}: {response.text}"
            assert response.json().get("note") is None, where
            assert response.json()["values"] == BODIES[(method, path)]["values"], where
        else:
            assert response.status_code == 404, f"{where}: {response.status_code} {response.text}"

    after = mu.client.get("/api/v1/export", headers=ann.headers)
    assert after.json() == before.json(), "Bob's calls changed Ann's diary"


def test_every_list_as_bob_shows_nothing_of_anns(mu: MultiUser) -> None:
    ann, bob = mu.person("ann"), mu.person("bob")
    _ann_diary(mu, ann)
    paths: dict[str, dict[str, Any]] = mu.client.get("/openapi.json").json()["paths"]
    lists = [p for p, ops in paths.items() if "get" in ops and "{" not in p]
    assert "/api/v1/episodes" in lists and "/api/v1/export" in lists
    for path in lists:
        response = mu.client.get(path, headers=bob.headers)
        assert response.status_code == 200, f"GET {path} as Bob: {response.text}"
        _no_trace_of_ann(response.text, f"GET {path} as Bob")
    export = mu.client.get("/api/v1/export", headers=bob.headers).json()
    assert export["episodes"] == [] and export["days"] == [] and export["experiments"] == []


# Form fields for the pages' POST routes with an id, valid in themselves (with Bob's own form
# token added), so that the only reason to refuse them is whose id they name.
PAGE_FORMS: dict[str, dict[str, str]] = {
    "/diary/episodes/{episode_id}": {
        "started_at": f"{YESTERDAY}T22:00",
        "duration_minutes": "1",
        "severity": "2",
        "sites": "toes",
    },
    "/diary/days/{day}": {"water_litres": "2"},
    "/experiments/{experiment_id}/checkin": {"done": "yes"},
}


def test_every_page_as_bob_with_anns_ids_is_404(mu: MultiUser) -> None:
    """The pages are not in the OpenAPI document: their routes come from the route table."""
    ann, bob = mu.person("ann"), mu.person("bob")
    ids = _ann_diary(mu, ann)
    ids["check_id"] = str(_ann_saved_check(mu, ann))
    before = mu.client.get("/api/v1/export", headers=ann.headers).json()
    browser = _signed_in_browser(mu, bob)
    routes = [
        (method, path)
        for path, methods in _routes(mu.client.app.routes)  # type: ignore[attr-defined]
        if "{" in path and not path.startswith(("/api/", "/static"))
        for method in sorted(methods)
        if method in ("GET", "POST")
    ]
    assert ("GET", "/checks/{check_id}") in routes and ("POST", "/diary/days/{day}") in routes
    for method, path in routes:
        # "{key}" is an episode's id on the episode pages and a date on the day pages.
        key = ids["day"] if path.startswith("/diary/days/") else ids["episode_id"]
        address = _fill(path, {**ids, "key": key})
        if method == "GET":
            response = browser.get(address, follow_redirects=False)
        else:
            token = hidden(browser.get("/diary").text, "csrf_token")
            fields = {"csrf_token": token, **PAGE_FORMS.get(path, {})}
            response = browser.post(address, data=fields, follow_redirects=False)
        _no_trace_of_ann(response.text, f"{method} {path} as Bob")
        assert response.status_code == 404, f"{method} {path} as Bob: {response.status_code}"
    assert mu.client.get("/api/v1/export", headers=ann.headers).json() == before
    assert mu.client.get("/api/v1/tokens", headers=ann.headers).status_code == 200


def test_the_database_holds_each_row_under_its_owner(mu: MultiUser, admin_engine: Engine) -> None:
    ann, bob = mu.person("ann"), mu.person("bob")
    _ann_diary(mu, ann)
    with admin_engine.connect() as conn:
        owners = {
            table: set(conn.scalars(text(f"SELECT DISTINCT owner_id FROM {table}")))
            for table in ("episodes", "days", "day_factor_values", "experiments")
        }
    assert all(found == {ann.id} for found in owners.values()), owners
    assert bob.id != ann.id


def _ann_saved_check(mu: MultiUser, ann: Person) -> int:
    """A check saved in Ann's diary (saved checks have no API of their own), written with the
    app role's own scoped store, as the check page does."""
    from crampwise.case import parse_case
    from crampwise.diary.pages import save_check_once
    from crampwise.engine.assess import assess
    from crampwise.storage.roles import open_service_store

    kb = mu.state.kb
    case = parse_case({"age": 52, "findings": {"site_calf": True}}, kb)
    result = assess(case, kb)
    base = open_service_store(mu.db.app_url)
    try:
        saved, _ = save_check_once(
            base.for_owner(ann.id), case.to_dict(), result.to_dict(), result.knowledge_version
        )
    finally:
        base.close()
    assert saved.id is not None
    return saved.id


def _signed_in_browser(mu: MultiUser, person: Person) -> TestClient:
    """A browser of its own (its own cookie jar) on the same app, signed in as ``person``."""
    browser = TestClient(mu.client.app, raise_server_exceptions=True)
    page = browser.get("/login")
    signed = browser.post(
        "/login",
        data={
            "csrf_token": hidden(page.text, "csrf_token"),
            "email": person.email,
            "password": person.password,
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text
    return browser
