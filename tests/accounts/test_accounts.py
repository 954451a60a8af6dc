"""Accounts: sign up, log in (same answer, same work), tokens, sessions, password, deletion,
the audit log, and failed-login limits shared through the database or Redis."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from sqlalchemy import func, select

from crampwise.accounts import Accounts, DatabaseCounter, RedisCounter
from crampwise.accounts.ratelimit import PER_ACCOUNT, PER_ADDRESS
from crampwise.diary.store import DiaryStore
from crampwise.errors import (
    InvalidInputError,
    NotFoundError,
    TooManyRequestsError,
    UnauthorizedError,
)
from crampwise.storage.account_tables import accounts, api_tokens, audit_events, sessions

PASSWORD = "correct horse battery"


@pytest.fixture
def service(store: DiaryStore) -> Accounts:
    return Accounts(store, DatabaseCounter(store))


@pytest.mark.slow
@pytest.mark.real_hash_cost
def test_production_hashes_are_argon2id_with_rfc_9106_parameters(
    service: Accounts, store: DiaryStore
) -> None:
    account = service.sign_up("ann@example.org", PASSWORD)
    with store.connection() as conn:
        stored = conn.scalar(select(accounts.c.password_hash))
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert service.log_in("ann@example.org", PASSWORD, None) == account


def test_sign_up_then_log_in(service: Accounts) -> None:
    account = service.sign_up(" Ann@Example.org ", PASSWORD, "10.0.0.1")
    assert service.log_in("ann@example.org", PASSWORD, "10.0.0.1") == account
    events = [event for _at, event, _addr in service.audit_log(account)]
    assert events == ["signed_up", "logged_in"]


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", PASSWORD, "email"),
        ("a@b.org", "short", "password"),
        ("a@b.org", "x" * 1025, "password"),
        ("longer@example.org", "LONGER@example.org", "password"),
        ("a@b.org", 12345678901, "password"),
    ],
)
def test_bad_sign_ups_name_the_field(
    service: Accounts, email: str, password: object, field: str
) -> None:
    with pytest.raises(InvalidInputError) as err:
        service.sign_up(email, password)
    assert [p.field for p in err.value.problems] == [field]


def test_an_email_gets_one_account(service: Accounts) -> None:
    service.sign_up("ann@example.org", PASSWORD)
    with pytest.raises(InvalidInputError) as err:
        service.sign_up("ANN@example.org", PASSWORD + "!")
    assert [p.field for p in err.value.problems] == ["email"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer_and_work(
    service: Accounts,
) -> None:
    service.sign_up("ann@example.org", PASSWORD)
    messages, times = [], []
    for email in ["ann@example.org", "nobody@example.org"] * 2:
        start = time.perf_counter()
        with pytest.raises(UnauthorizedError) as err:
            service.log_in(email, "wrong password!!", None)
        times.append(time.perf_counter() - start)
        messages.append(err.value.message)
    assert len(set(messages)) == 1
    # Both paths run one argon2id verification: within a factor of 3 of each other, where
    # skipping the hash for an unknown email would be ~100x faster.
    known, unknown = min(times[0], times[2]), min(times[1], times[3])
    assert unknown > known / 3 and known > unknown / 3


def test_failed_logins_are_limited_per_account_even_for_unregistered_emails(
    service: Accounts,
) -> None:
    service.sign_up("ann@example.org", PASSWORD)
    for email in ("ann@example.org", "nobody@example.org"):
        for _ in range(PER_ACCOUNT):
            with pytest.raises(UnauthorizedError):
                service.log_in(email, "wrong password!!", None)
        with pytest.raises(TooManyRequestsError) as err:
            service.log_in(email, PASSWORD, None)  # even the right password waits
        assert 0 < err.value.retry_after <= 15 * 60
        assert err.value.headers["Retry-After"] == str(err.value.retry_after)


def test_failed_logins_are_limited_per_address(service: Accounts, unique: str) -> None:
    for i in range(PER_ADDRESS):
        with pytest.raises(UnauthorizedError):
            service.log_in(f"user{i}-{unique}@example.org", "wrong password!!", "10.9.9.9")
    with pytest.raises(TooManyRequestsError):
        service.log_in("another@example.org", "wrong password!!", "10.9.9.9")
    with pytest.raises(UnauthorizedError):  # another address is not held back
        service.log_in("another@example.org", "wrong password!!", "10.9.9.10")


def test_the_redis_counter_limits_the_same_way(
    store: DiaryStore, redis_url: str, unique: str
) -> None:
    service = Accounts(store, RedisCounter(redis_url))
    email = f"r-{unique}@example.org"
    for _ in range(PER_ACCOUNT):
        with pytest.raises(UnauthorizedError):
            service.log_in(email, "wrong password!!", None)
    with pytest.raises(TooManyRequestsError):
        service.log_in(email, "wrong password!!", None)
    # A second service (another worker) sees the same counter.
    other = Accounts(store, RedisCounter(redis_url))
    with pytest.raises(TooManyRequestsError):
        other.log_in(email, "wrong password!!", None)


def test_tokens_are_shown_once_stored_as_digests_and_revocable(
    service: Accounts, store: DiaryStore
) -> None:
    ann = service.sign_up("ann@example.org", PASSWORD)
    bob = service.sign_up("bob@example.org", PASSWORD)
    token = service.create_token(ann, "my script")
    assert token.startswith("cw_") and len(token) > 40
    assert service.account_for_token(token) == ann
    assert service.account_for_token(token + "x") is None
    with store.connection() as conn:
        stored = list(conn.execute(select(api_tokens.c.digest)))
    assert token not in str(stored)
    (info,) = service.tokens(ann)
    assert info.name == "my script" and info.last_used_at is not None
    with pytest.raises(NotFoundError):  # Bob cannot revoke Ann's token
        service.revoke_token(bob, info.id)
    service.revoke_token(ann, info.id)
    assert service.account_for_token(token) is None
    with pytest.raises(InvalidInputError):
        service.create_token(ann, "  ")


def test_sessions_end_on_log_out_and_on_a_password_change(service: Accounts) -> None:
    ann = service.sign_up("ann@example.org", PASSWORD)
    first, second = service.start_session(ann), service.start_session(ann)
    assert service.account_for_session(first) == ann
    service.end_session(first)
    assert service.account_for_session(first) is None
    assert service.account_for_session(second) == ann
    with pytest.raises(InvalidInputError) as err:
        service.change_password(ann, "not it at all", "a brand new password")
    assert [p.field for p in err.value.problems] == ["old_password"]
    service.change_password(ann, PASSWORD, "a brand new password")
    assert service.account_for_session(second) is None
    with pytest.raises(UnauthorizedError):
        service.log_in("ann@example.org", PASSWORD, None)
    assert service.log_in("ann@example.org", "a brand new password", None) == ann


def test_deleting_an_account_removes_its_rows_and_keeps_the_audit_record(
    service: Accounts, store: DiaryStore
) -> None:
    ann = service.sign_up("ann@example.org", PASSWORD)
    bob = service.sign_up("bob@example.org", PASSWORD)
    token = service.create_token(ann, "t")
    service.start_session(ann)
    service.delete_account(ann, "10.0.0.1")
    assert service.account_for_token(token) is None
    with store.connection() as conn:
        for table in (api_tokens, sessions):
            left = conn.scalar(
                select(func.count()).select_from(table).where(table.c.account_id == ann)
            )
            assert left == 0
        assert conn.scalar(select(func.count()).select_from(accounts)) == 1
        events = [e for (e,) in conn.execute(select(audit_events.c.event))]
    assert events[-1] == "account_deleted"
    assert service.log_in("bob@example.org", PASSWORD, None) == bob
    with pytest.raises(NotFoundError):
        service.delete_account(ann)


def test_the_audit_log_holds_no_health_words(service: Accounts, store: DiaryStore) -> None:
    ann = service.sign_up("ann@example.org", PASSWORD, "10.0.0.1")
    service.create_token(ann, "t", "10.0.0.1")
    with store.connection() as conn:
        columns = set(audit_events.columns.keys())
        rows = list(conn.execute(select(audit_events)))
    assert columns == {"id", "at", "account_id", "event", "address"}
    assert all(isinstance(r.at, datetime) and r.address == "10.0.0.1" for r in rows)


def test_control_characters_are_refused_by_the_service_itself(service: Accounts) -> None:
    """Every front end (pages, API) gets the same rule: a NUL never reaches the database."""
    with pytest.raises(InvalidInputError) as refused:
        service.sign_up("an\x00n@example.org", PASSWORD)
    assert [p.field for p in refused.value.problems] == ["email"]
    ann = service.sign_up("ann@example.org", PASSWORD)
    with pytest.raises(UnauthorizedError):  # the same answer as any unknown email
        service.log_in("ann@example.org\x00", PASSWORD, None)
    with pytest.raises(InvalidInputError) as refused:
        service.create_token(ann, "my\x07script")
    assert [p.field for p in refused.value.problems] == ["name"]
