"""Owner scoping on both backends: two owners share one database and never see each other.

Every check reads through the store's public methods, except where a test counts rows in
the database itself (raw SQL on a separate engine, which has no owner filter).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, func, insert, outerjoin, select, text, update

from crampwise.diary.pages import count_checks, episodes_page, saved_check, saved_checks
from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import LOCAL_OWNER, DiaryStore, open_store
from crampwise.diary.transfer.export import export_document
from crampwise.diary.transfer.reading import parse_import_text
from crampwise.errors import NotFoundError, StorageError
from crampwise.experiments.design import design
from crampwise.experiments.store import CheckIn, Experiment, ExperimentStore
from crampwise.storage.models import day_factor_values, days, episodes, saved_assessments
from crampwise.storage.ownership import OWNED_TABLES

ANN, BOB = 101, 202
DAY = date(2026, 3, 2)


@pytest.fixture
def root(db_url: str) -> Iterator[DiaryStore]:
    with open_store(db_url) as s:
        yield s


def cramp(hour: int = 22, note: str | None = None) -> Episode:
    return Episode(datetime(2026, 3, 2, hour, 0), 2.0, ("calf",), 4, note=note)


def experiment() -> Experiment:
    schedule = design("calf_stretch_bedtime", start=DAY, seed=7, pairs=1, washout_days=1)
    return Experiment(
        schedule, datetime(2026, 3, 1, 20, 0), checkins=(CheckIn(DAY, True, datetime.now()),)
    )


def fill(store: DiaryStore, note: str) -> dict[str, int]:
    """One of everything; returns the ids."""
    ep = store.add_episode(cramp(note=note))
    store.update_day(DayFactors(DAY, {"water_litres": 1.5}, note))
    check = store.save_assessment({"who": note}, {"r": 1}, "kb")
    exp = ExperimentStore(store).add(experiment())
    assert ep.id and check.id and exp.id
    return {"episode": ep.id, "check": check.id, "experiment": exp.id}


def raw_counts(url: str, owner: int) -> dict[str, int]:
    """Rows per owned table for ``owner``, counted in the database without the store."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(
                    text(f"SELECT count(*) FROM {t.name} WHERE owner_id = :o"), {"o": owner}
                ).scalar_one()
                for t in OWNED_TABLES
            }
    finally:
        engine.dispose()


def test_two_owners_see_only_their_own_rows(root: DiaryStore) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    fill(ann, "ann")
    fill(bob, "bob")
    bob.add_episode(cramp(hour=23, note="bob"))

    assert [e.note for e in ann.list_episodes()] == ["ann"]
    assert [e.note for e in bob.list_episodes()] == ["bob", "bob"]
    # The same date recorded by both: two rows, each owner sees their own note.
    assert ann.get_day(DAY) == DayFactors(DAY, {"water_litres": 1.5}, "ann")
    assert bob.get_day(DAY) == DayFactors(DAY, {"water_litres": 1.5}, "bob")
    assert [a.case for a in ann.list_assessments()] == [{"who": "ann"}]
    assert [c.case for c in saved_checks(bob)] == [{"who": "bob"}]
    assert len(ExperimentStore(ann).all()) == len(ExperimentStore(bob).all()) == 1
    assert ann.counts() == {"episodes": 1, "days": 1, "assessments": 1}
    assert bob.counts() == {"episodes": 2, "days": 1, "assessments": 1}
    assert (count_checks(ann), ExperimentStore(bob).count()) == (1, 1)
    assert episodes_page(bob, None, None, 10).total == 2
    assert [e.note for e in episodes_page(ann, None, None, 10).items] == ["ann"]
    # The local diary (owner 0) shares the database and sees none of it.
    assert root.owner_id == LOCAL_OWNER
    assert root.counts() == {"episodes": 0, "days": 0, "assessments": 0}


def test_export_holds_only_the_owners_rows(root: DiaryStore) -> None:
    fill(root.for_owner(ANN), "ann")
    fill(root.for_owner(BOB), "bob")
    doc = export_document(root.for_owner(ANN))
    assert [e["note"] for e in doc["episodes"]] == ["ann"]
    assert [d["note"] for d in doc["days"]] == ["ann"]
    assert [a["case"] for a in doc["assessments"]] == [{"who": "ann"}]
    assert len(doc["experiments"]) == 1
    assert "owner_id" not in str(doc)


def test_another_owners_ids_are_not_found(root: DiaryStore) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    ids = fill(ann, "ann")
    bob_exp = ExperimentStore(bob)

    with pytest.raises(NotFoundError):
        bob.get_episode(ids["episode"])
    with pytest.raises(NotFoundError):
        bob.update_episode(ids["episode"], cramp(note="taken over"))
    with pytest.raises(NotFoundError):
        bob.delete_episode(ids["episode"])
    with pytest.raises(NotFoundError):
        bob.delete_day(DAY)
    with pytest.raises(NotFoundError):
        saved_check(bob, ids["check"])
    for attempt in (
        lambda: bob_exp.get(ids["experiment"]),
        lambda: bob_exp.stop(ids["experiment"], DAY),
        lambda: bob_exp.check_in(ids["experiment"], CheckIn(DAY, False, datetime.now())),
        lambda: bob_exp.delete(ids["experiment"]),
    ):
        with pytest.raises(NotFoundError):
            attempt()
    # Nothing of Ann's changed.
    assert ann.get_episode(ids["episode"]).note == "ann"
    assert ann.get_day(DAY) is not None
    got = ExperimentStore(ann).get(ids["experiment"])
    assert got.stopped_on is None and got.checkins[0].done is True


def test_a_day_replaced_by_one_owner_leaves_the_others(root: DiaryStore) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    ann.update_day(DayFactors(DAY, {"water_litres": 1.0, "stretching_done": True}))
    bob.set_days([DayFactors(DAY, {"water_litres": 2.0})])  # replaces Bob's date only
    bob.delete_day(DAY)
    assert ann.get_day(DAY) == DayFactors(DAY, {"water_litres": 1.0, "stretching_done": True})
    assert bob.get_day(DAY) is None


def test_an_import_lands_in_the_importers_diary(root: DiaryStore) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    fill(ann, "same")
    # Bob imports exactly Ann's entries: none of them is "already in" Bob's diary.
    plan = parse_import_text(json.dumps(export_document(ann)), "ann.json")
    counts = bob.import_entries(
        plan.episodes, plan.days, plan.assessments, experiments=plan.experiments
    )
    assert (counts.episodes, counts.days, counts.assessments, counts.experiments) == (1, 1, 1, 1)
    assert counts.skipped == 0
    mine, theirs = export_document(bob), export_document(ann)
    for section in ("episodes", "days", "assessments"):
        assert [{**r, "id": None} for r in mine[section]] == [
            {**r, "id": None} for r in theirs[section]
        ]
    # Importing it again adds nothing: the duplicate check looks at Bob's rows only.
    again = bob.import_entries(plan.episodes, plan.days, experiments=plan.experiments)
    assert (again.episodes, again.experiments, again.skipped) == (0, 0, 3)


def test_revision_changes_on_write_not_on_read(root: DiaryStore) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    assert ann.revision() == 0
    ep = ann.add_episode(cramp())
    first = ann.revision()
    assert first > 0
    ann.list_episodes(), ann.counts(), ann.list_days(), ExperimentStore(ann).all()
    assert ann.revision() == first
    assert bob.revision() == 0  # Ann's writes are not Bob's
    ann.update_day(DayFactors(DAY, {"water_litres": 1.0}))
    second = ann.revision()
    ann.delete_episode(ep.id or 0)
    third = ann.revision()
    ExperimentStore(ann).add(experiment())
    assert first < second < third < ann.revision()
    # A failed write (rolled back) leaves it as it was.
    before = ann.revision()
    with pytest.raises(NotFoundError):
        ann.delete_episode(ep.id or 0)
    assert ann.revision() == before


def test_erase_owner_data_removes_every_row_of_that_owner_only(
    root: DiaryStore, db_url: str
) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    fill(ann, "ann")
    fill(bob, "bob")
    old_revision = ann.revision()
    before_bob = raw_counts(db_url, BOB)

    gone = ann.erase_owner_data()

    assert gone["episodes"] == 1 and gone["day_factor_values"] == 1
    assert set(gone) == {t.name for t in OWNED_TABLES}
    assert raw_counts(db_url, ANN) == dict.fromkeys(gone, 0)  # the revision row too
    assert raw_counts(db_url, BOB) == before_bob
    assert before_bob["experiment_checkins"] == 1 and before_bob["diary_revisions"] == 1
    assert ann.counts() == {"episodes": 0, "days": 0, "assessments": 0}
    # A write after the erase never repeats a revision a cache may still hold.
    assert ann.revision() == 0
    ann.add_episode(cramp())
    assert ann.revision() > old_revision


def test_a_store_of_no_owner_may_not_touch_the_diary(root: DiaryStore) -> None:
    nobody = DiaryStore(root._engine, root.url, owner_id=None, owns_engine=False)
    for attempt in (
        nobody.list_episodes,
        nobody.counts,
        nobody.revision,
        nobody.erase_owner_data,
        lambda: nobody.add_episode(cramp()),
        lambda: nobody.update_day(DayFactors(DAY, {"water_litres": 1.0})),
        lambda: ExperimentStore(nobody).all(),
        lambda: ExperimentStore(nobody).add_if_none_open(experiment(), DAY, _conflict),
    ):
        with pytest.raises(StorageError, match="owner"):
            attempt()
    # Unowned tables stay usable: the accounts service runs on such a store.
    with nobody.connection() as conn:
        assert conn.execute(text("SELECT count(*) FROM accounts")).scalar_one() == 0


def _conflict(_e: Experiment, _d: date) -> Exception:
    return RuntimeError("conflict")


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(
            select(episodes.c.id).where(
                episodes.c.id.in_(select(saved_assessments.c.id).scalar_subquery())
            ),
            id="nested-select",
        ),
        pytest.param(
            select(episodes.c.id).select_from(
                outerjoin(days, episodes, days.c.day == func.date(episodes.c.started_at))
            ),
            id="outer-join",
        ),
        pytest.param(
            select(days.c.day).outerjoin(day_factor_values, days.c.day == day_factor_values.c.day),
            id="select-outerjoin",
        ),
        pytest.param(select(episodes.alias("e").c.id), id="alias"),
        pytest.param(
            update(episodes).where(
                episodes.c.id == select(func.max(days.c.owner_id)).scalar_subquery()
            ),
            id="update-reading-another-table",
        ),
        pytest.param(select(episodes.c.id).union(select(days.c.owner_id)), id="union"),
        pytest.param(text("SELECT count(*) FROM episodes"), id="raw-text"),
        pytest.param(text('delete from  "days"'), id="raw-text-quoted"),
        pytest.param(update(episodes).values(owner_id=BOB), id="move-rows"),
        pytest.param(insert(episodes).values(owner_id=BOB), id="insert-for-another"),
    ],
)
def test_statements_it_cannot_scope_are_refused(root: DiaryStore, statement: object) -> None:
    ann = root.for_owner(ANN)
    ann.add_episode(cramp())
    with pytest.raises(StorageError, match="cannot limit"), ann.connection() as conn:
        conn.execute(statement)  # type: ignore[call-overload]
    assert len(ann.list_episodes()) == 1


def test_an_inner_join_is_scoped_on_both_tables(root: DiaryStore) -> None:
    ann, bob = root.for_owner(ANN), root.for_owner(BOB)
    ann.update_day(DayFactors(DAY, {"water_litres": 1.0}, "ann"))
    bob.update_day(DayFactors(DAY, {"water_litres": 2.0}, "bob"))
    # Joined on the date alone (a careless join): the hook still keeps each table to Ann.
    joined = select(days.c.note, day_factor_values.c.value_json).join(
        day_factor_values, days.c.day == day_factor_values.c.day
    )
    with ann.connection() as conn:
        assert [tuple(r) for r in conn.execute(joined)] == [("ann", "1.0")]


def test_driver_level_sql_on_a_diary_table_is_refused(root: DiaryStore) -> None:
    with pytest.raises(StorageError, match="cannot limit"), root.connection() as conn:
        conn.exec_driver_sql("SELECT * FROM episodes")
    with root.connection() as conn:  # other raw SQL is untouched
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1


def test_executemany_rows_carry_the_owner_and_refuse_another(root: DiaryStore) -> None:
    ann = root.for_owner(ANN)
    assert ann.add_episodes([cramp(h) for h in (20, 21, 22)]) == 3
    with ann.connection() as conn:
        owners = conn.execute(select(episodes.c.owner_id)).scalars().all()
    assert owners == [ANN, ANN, ANN]
    row = {"started_at": datetime(2026, 3, 2), "duration_minutes": 1.0, "sites": []}
    row |= {"severity": 1, "actions": []}
    with pytest.raises(StorageError, match="another owner"), ann.connection() as conn:
        conn.execute(insert(episodes), [row | {"owner_id": ANN}, row | {"owner_id": BOB}])
    assert len(root.for_owner(BOB).list_episodes()) == 0


def test_for_owner_shares_the_engine_and_close_leaves_it_open(root: DiaryStore) -> None:
    ann = root.for_owner(ANN)
    assert ann.owner_id == ANN and ann._engine is root._engine
    ann.close()
    with ann:  # closing a scoped store twice, or using it after, is harmless
        ann.add_episode(cramp())
    assert len(root.for_owner(ANN).list_episodes()) == 1
    with pytest.raises(StorageError, match="account id"):
        root.for_owner(-1)
    with pytest.raises(StorageError, match="account id"):
        root.for_owner(True)
