"""API fuzzing: schemathesis generates requests from the OpenAPI document.

Every response must be a non-5xx that matches the documented schema (status code, content
type, body). Bounded: at most 25 examples per operation and generation mode.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.web.app import AppState, WebSettings, create_app

pytestmark = pytest.mark.slow  # ~15 s: hundreds of generated requests

# The API's operations, written out: a new endpoint fails the first test until it is added
# here, and so fuzzed.
OPERATIONS = [
    ("GET", "/api/v1/ping"),
    ("POST", "/api/v1/assessments"),
    ("POST", "/api/v1/interview/next"),
    ("GET", "/api/v1/episodes"),
    ("POST", "/api/v1/episodes"),
    ("GET", "/api/v1/episodes/{episode_id}"),
    ("PUT", "/api/v1/episodes/{episode_id}"),
    ("DELETE", "/api/v1/episodes/{episode_id}"),
    ("GET", "/api/v1/days"),
    ("POST", "/api/v1/days"),
    ("GET", "/api/v1/days/{day}"),
    ("PUT", "/api/v1/days/{day}"),
    ("DELETE", "/api/v1/days/{day}"),
    ("GET", "/api/v1/factors"),
    ("GET", "/api/v1/insights"),
    ("GET", "/api/v1/export"),
    ("POST", "/api/v1/understand"),
    ("GET", "/api/v1/remedies"),
    ("GET", "/api/v1/experiments"),
    ("POST", "/api/v1/experiments"),
    ("GET", "/api/v1/experiments/{experiment_id}"),
    ("POST", "/api/v1/experiments/{experiment_id}/checkins"),
    ("GET", "/api/v1/experiments/{experiment_id}/status"),
    ("GET", "/api/v1/experiments/{experiment_id}/result"),
    ("GET", "/api/v1/experiments/{experiment_id}/chart.svg"),
    ("POST", "/api/v1/experiments/{experiment_id}/stop"),
    ("GET", "/api/v1/report"),
]

# Rules JSON Schema cannot state, with the words of the refusal each gives: a cramp or a day
# cannot be in the future or implausibly early, a local date-time (no offset, so not the
# "date-time" format) must be a real calendar date, and a date range must not run backwards.
# For these operations a schema-valid request may get 422, but only for those reasons.
DATED_WRITE = ("in the future", "is not a real date", "check the year")
DATE_RANGE = ("give the earlier day first",)
# A cursor is opaque (a string to the schema) and only means something next to a limit.
PAGING = (*DATE_RANGE, "goes with limit", "is not a cursor this diary handed out")
# Remedies are data, so the schema says "a string"; and an experiment starts today or later,
# one at a time. A check-in must fall inside its experiment's days.
EXPERIMENT_START = ("unknown remedy", "is before today", "days from today", "until ")
CHECKIN = ("is in the future", "the experiment runs from", "was stopped")
REFUSALS = {
    ("POST", "/api/v1/episodes"): DATED_WRITE,
    ("PUT", "/api/v1/episodes/{episode_id}"): DATED_WRITE,
    ("POST", "/api/v1/days"): DATED_WRITE,
    ("PUT", "/api/v1/days/{day}"): DATED_WRITE,
    ("GET", "/api/v1/episodes"): PAGING,
    ("GET", "/api/v1/days"): PAGING,
    ("POST", "/api/v1/experiments"): EXPERIMENT_START,
    ("POST", "/api/v1/experiments/{experiment_id}/checkins"): CHECKIN,
    ("GET", "/api/v1/insights"): DATE_RANGE,
    ("GET", "/api/v1/report"): DATE_RANGE,
}


@pytest.fixture(scope="module")
def operations(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[tuple[str, str], schemathesis.APIOperation]]:
    """The documented operations of an app on a temporary diary, built when the tests run."""
    db = tmp_path_factory.mktemp("fuzz") / "diary.sqlite3"
    # The in-process client sends "Host: testserver"; the Host check must let it through.
    web = WebSettings(database_url=f"sqlite:///{db}", allowed_hosts=("testserver",))
    app = create_app(web)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = (result.ok() for result in schema.get_all_operations())
    yield {(op.method.upper(), op.path): op for op in found}
    state = app.state.crampwise
    assert isinstance(state, AppState)
    state.close()


def test_every_documented_operation_is_fuzzed(
    operations: dict[tuple[str, str], schemathesis.APIOperation],
) -> None:
    assert sorted(operations) == sorted(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_conforms_to_its_openapi_document(
    operations: dict[tuple[str, str], schemathesis.APIOperation], method: str, path: str
) -> None:
    operation = operations[(method, path)]
    modes = operation.schema.config.generation.modes  # positive and negative by default
    cases = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))

    @given(case=cases)
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def conforms(case: schemathesis.Case) -> None:
        check_case(case, REFUSALS.get((method, path), ()))

    conforms()


def check_case(case: schemathesis.Case, allowed: tuple[str, ...]) -> None:
    if not allowed:
        case.call_and_validate()
        return
    response = case.call()
    case.validate_response(response, excluded_checks=[schemathesis.checks.positive_data_acceptance])
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code == 422:
        problems = response.json()["error"]["problems"]
        assert problems, response.text
        assert all(any(a in p["message"] for a in allowed) for p in problems), problems
