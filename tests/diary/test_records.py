"""The record models: one definition per record, its checks, and what is derived from it."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from crampwise.diary.records import (
    ACTIONS,
    ACTIVITIES,
    SIDES,
    SITES,
    DayFactors,
    Episode,
    SavedAssessment,
)
from crampwise.diary.validate import day_from_dict, episode_from_dict
from crampwise.errors import InvalidInputError

NIGHT = datetime(2026, 3, 4, 23, 10)
GOOD: dict[str, Any] = {
    "started_at": "2026-03-04T23:10:00",
    "duration_minutes": 2,
    "sites": ["toes"],
    "severity": 6,
}


def problems(exc: pytest.ExceptionInfo[InvalidInputError]) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        ("ding\x07", "U+0007, bell"),
        ("\x1b[31mred", "U+001B, escape"),
        ("back\x08space", "U+0008, backspace"),
        ("csi\x9b2J", "U+009B"),
        ("form\x0cfeed", "U+000C"),
    ],
)
def test_a_note_with_a_control_character_is_refused_naming_the_field(note: str, shown: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        episode_from_dict({**GOOD, "note": note}, 7, prefix="episodes[2].")
    ((field, message),) = problems(caught)
    assert field == "episodes[2].note" and caught.value.problems[0].line == 7
    assert f"contains a control character ({shown})" in message
    assert "only line breaks and tabs are allowed" in message
    with pytest.raises(InvalidInputError) as caught:
        day_from_dict({"date": "2026-03-01", "note": note})
    assert [f for f, _ in problems(caught)] == ["note"]
    with pytest.raises(InvalidInputError, match="invalid cramp episode"):
        Episode(NIGHT, 1.0, ("toes",), 3, note=note)


def test_line_breaks_and_tabs_are_text() -> None:
    note = "first line\r\nsecond\tline\nthird"
    assert episode_from_dict({**GOOD, "note": note}).note == note
    assert DayFactors(date(2026, 3, 1), {}, note).note == note


def test_building_a_record_checks_every_field_at_once() -> None:
    with pytest.raises(InvalidInputError, match="invalid cramp episode") as caught:
        Episode(NIGHT, -1.0, ("toes", "wing", "toes"), 11, side="up", helped=1)  # type: ignore[arg-type]
    assert problems(caught) == [
        ("duration_minutes", "cannot be negative, got -1"),
        ("sites", f"unknown site 'wing'; allowed: {', '.join(SITES)}"),
        ("sites", "lists a site more than once: toes, wing, toes"),
        ("severity", "must be a whole number from 0 (none) to 10 (worst), got 11"),
        ("side", f"unknown side 'up'; allowed: {', '.join(SIDES)}"),
        ("helped", "must be true, false or empty, got 1"),
    ]
    with pytest.raises(InvalidInputError, match="invalid day") as caught:
        DayFactors("2026-13-01", [])  # type: ignore[arg-type]
    assert [f for f, _ in problems(caught)] == ["date", "values"]
    with pytest.raises(InvalidInputError, match="invalid saved assessment") as caught:
        SavedAssessment(NIGHT, {"x": float("nan")}, {}, "")
    assert [f for f, _ in problems(caught)] == ["case", "knowledge_version"]


def test_records_keep_their_constructors_and_stay_immutable() -> None:
    ep = Episode(NIGHT, 2, ("calf",), 5.0)  # positional; 2 -> 2.0, 5.0 -> 5
    assert (ep.duration_minutes, ep.severity, ep.actions, ep.id) == (2.0, 5, (), None)
    assert type(ep.duration_minutes) is float and type(ep.severity) is int
    assert ep == Episode(started_at=NIGHT, duration_minutes=2.0, sites=("calf",), severity=5)
    assert len({ep, dataclasses.replace(ep)}) == 1  # hashable
    with pytest.raises(dataclasses.FrozenInstanceError):
        ep.severity = 3  # type: ignore[misc]
    with pytest.raises(InvalidInputError) as caught:
        dataclasses.replace(ep, severity=12)
    assert [f for f, _ in problems(caught)] == ["severity"]
    assert ep.day == NIGHT.date()


def test_the_clock_is_checked_when_reading_input_not_when_building() -> None:
    later = datetime.now() + timedelta(hours=2)
    assert Episode(later, 1.0, ("toes",), 3).started_at == later  # code may move it back
    with pytest.raises(InvalidInputError) as caught:
        episode_from_dict({**GOOD, "started_at": later.isoformat()})
    assert problems(caught) == [
        ("started_at", "is in the future: a cramp cannot start later than now")
    ]


def test_every_vocabulary_is_defined_once_and_derived_elsewhere() -> None:
    from crampwise.cli.diary import log
    from crampwise.web.api.models import EpisodeIn, EpisodeOut

    schema = EpisodeIn.model_json_schema()["properties"]
    assert schema["sites"]["items"]["enum"] == list(SITES)
    assert schema["actions"]["items"]["enum"] == list(ACTIONS)
    assert schema["side"]["anyOf"][0]["enum"] == list(SIDES)
    assert schema["activity"]["anyOf"][0]["enum"] == list(ACTIVITIES)
    assert schema["severity"]["minimum"] == 0 and schema["severity"]["maximum"] == 10
    helps = {p.name: p.help or "" for p in log.params}
    for option, words in (
        ("sites", SITES),
        ("side", SIDES),
        ("activity", ACTIVITIES),
        ("actions", ACTIONS),
    ):
        assert ", ".join(words) in helps[option]
    from crampwise.diary.records import EPISODE_FIELDS

    assert tuple(EpisodeOut.model_fields) == EPISODE_FIELDS
    assert set(EpisodeIn.model_fields) == set(EPISODE_FIELDS) - {"id"}


def test_the_storage_mapping_has_the_records_fields() -> None:
    from crampwise.diary.records import EPISODE_FIELDS
    from crampwise.storage.models import episodes

    assert set(episodes.columns.keys()) - {"owner_id"} == set(EPISODE_FIELDS)
