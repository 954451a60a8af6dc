"""API fuzzing: schemathesis generates requests from the OpenAPI document.

Every response must be a non-5xx that matches the documented schema (status code, content
type, body). Bounded: at most 25 examples per operation, so the module runs in seconds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from crampwise.web.app import AppState, WebSettings, create_app

# Built at import because schemathesis collects one test per operation from the schema;
# the lazy fixture loader does not work with this pytest, so the temp dir is cleaned below.
_TMP = Path(tempfile.mkdtemp(prefix="crampwise-fuzz-"))
app = create_app(WebSettings(database_url=f"sqlite:///{_TMP / 'diary.sqlite3'}"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _close_diary() -> Iterator[None]:
    yield
    state = app.state.crampwise
    assert isinstance(state, AppState)
    state.close()
    shutil.rmtree(_TMP, ignore_errors=True)


# Rules JSON Schema cannot state: a cramp or a day cannot be in the future, and a local
# date-time (no offset, so not the "date-time" format) must be a real calendar date. For these
# writes a schema-valid body may be refused, but only for those reasons (checked below).
DATED_WRITES = {
    ("POST", "/api/v1/episodes"),
    ("PUT", "/api/v1/episodes/{episode_id}"),
    ("POST", "/api/v1/days"),
    ("PUT", "/api/v1/days/{day}"),
}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    key = (case.operation.method.upper(), case.operation.path)
    if key not in DATED_WRITES:
        case.call_and_validate()
        return
    response = case.call()
    case.validate_response(response, excluded_checks=[schemathesis.checks.positive_data_acceptance])
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code == 422:
        problems = response.json()["error"]["problems"]
        allowed = ("in the future", "is not a real date")
        assert problems, response.text
        assert all(any(a in p["message"] for a in allowed) for p in problems), problems
