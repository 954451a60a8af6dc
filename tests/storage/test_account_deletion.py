"""Deleting an account deletes every diary row of it, in the same transaction as the
account, and nobody else's (checked in the database, not through the store)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crampwise.accounts import Accounts, DatabaseCounter
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore
from crampwise.errors import NotFoundError
from tests.accounts.conftest import cheap_hashes
from tests.storage.test_ownership import raw_counts

__all__ = ["cheap_hashes"]  # the accounts' fixture: cheap argon2 parameters

PASSWORD = "correct horse battery"


def test_delete_account_removes_every_owned_row(store: DiaryStore, db_url: str) -> None:
    service = Accounts(store, DatabaseCounter(store))
    ann = service.sign_up("ann@example.org", PASSWORD)
    bob = service.sign_up("bob@example.org", PASSWORD)
    for who in (ann, bob):
        diary = store.for_owner(who)
        diary.add_episode(Episode(datetime(2026, 3, 2, 22, 0), 2.0, ("calf",), 4))
        diary.update_day(DayFactors(date(2026, 3, 2), {"water_litres": 1.5}))
        diary.save_assessment({"a": 1}, {"b": 2}, "kb")
    bob_before = raw_counts(db_url, bob)
    assert raw_counts(db_url, ann)["episodes"] == 1

    service.delete_account(ann)

    assert set(raw_counts(db_url, ann).values()) == {0}
    assert raw_counts(db_url, bob) == bob_before
    with pytest.raises(NotFoundError):
        service.delete_account(ann)
    assert [e for _at, e, _addr in service.audit_log(ann)][-1] == "account_deleted"


def test_an_unknown_account_deletes_nothing(store: DiaryStore, db_url: str) -> None:
    # The owner's rows and the account go together: no account, so the rows stay too.
    store.for_owner(77).add_episode(Episode(datetime(2026, 3, 2, 22, 0), 2.0, ("calf",), 4))
    service = Accounts(store, DatabaseCounter(store))
    with pytest.raises(NotFoundError):
        service.delete_account(77)
    assert raw_counts(db_url, 77)["episodes"] == 1
