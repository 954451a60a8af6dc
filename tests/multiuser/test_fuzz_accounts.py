"""The account API under generated requests (schemathesis, from the multi-user OpenAPI
document): every answer is documented, never a 5xx. Bounded: 20 examples per operation and
generation mode."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.multiuser.conftest import MultiUser

pytestmark = pytest.mark.slow  # ~10 s: a few hundred generated requests, argon2 on each login

ACCOUNT_OPERATIONS = [
    ("POST", "/api/v1/accounts"),
    ("POST", "/api/v1/tokens"),
    ("GET", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("GET", "/api/v1/accounts/me"),
    ("POST", "/api/v1/accounts/me/password"),
    ("GET", "/api/v1/accounts/me/audit"),
    ("DELETE", "/api/v1/accounts/me"),
]
# What JSON Schema cannot say, with the words of the 422 each gives: an email has one
# account, a password is not the email, the current password must be the right one, and
# the service reads an email more strictly than the schema's pattern can. (Unicode
# whitespace such as U+0085 is whitespace to the server's regex engine, not the generator's.)
EMAIL = ("must be an email address", "String should match pattern")
REFUSALS = {
    ("POST", "/api/v1/accounts"): (
        "already has an account",
        "must not be the email address",
        *EMAIL,
    ),
    ("POST", "/api/v1/tokens"): ("must be 1 to 100 characters", *EMAIL),
    ("POST", "/api/v1/accounts/me/password"): (
        "is not the current password",
        "must not be the email address",
    ),
}


def test_the_multi_user_document_lists_the_account_operations(mu: MultiUser) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", mu.client.app)
    found = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert set(ACCOUNT_OPERATIONS) <= found
    assert not any(path.startswith("/cds-services") for _, path in found)


@pytest.mark.parametrize(("method", "path"), ACCOUNT_OPERATIONS)
def test_account_operations_conform_to_the_document(mu: MultiUser, method: str, path: str) -> None:
    ann = mu.person("ann")
    schema = schemathesis.openapi.from_asgi("/openapi.json", mu.client.app)
    operation = schema[path][method]
    modes = operation.schema.config.generation.modes
    cases = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))

    @given(case=cases)
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def conforms(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), **ann.headers}
        check(case, REFUSALS.get((method, path), ()))

    conforms()


def check(case: schemathesis.Case, allowed: tuple[str, ...]) -> None:
    """As tests/web/test_fuzz_api.py's check, without schemathesis's ignored-auth replay:
    it resends the case with the bearer header this test put on it (test_api_accounts.py
    checks that no token and a bad one are refused on every operation)."""
    excluded = [schemathesis.checks.ignored_auth]
    if allowed:
        excluded.append(schemathesis.checks.positive_data_acceptance)
    response = case.call()
    case.validate_response(response, excluded_checks=excluded)
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if allowed and positive and response.status_code == 422:
        problems = response.json()["error"]["problems"]
        assert problems, response.text
        assert all(any(a in p["message"] for a in allowed) for p in problems), problems
