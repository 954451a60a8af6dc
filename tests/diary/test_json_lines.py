"""Import errors name the line where the bad record starts, however the JSON is laid out."""

from __future__ import annotations

import pytest

from crampwise.diary.transfer import parse_json_document
from crampwise.diary.transfer.json_reader import record_offsets
from crampwise.errors import InvalidInputError

GOOD = (
    '{"started_at": "2026-03-01T22:00:00", "duration_minutes": 1, "sites": ["toes"], "severity": 3'
)
TRICKY = GOOD + ', "note": "a note with }, {\\"x\\": [1, 2]}, ] and \\n inside"}'
BAD = GOOD.replace('"severity": 3', '"severity": 12') + "}"

DOCUMENT = (
    '  {"format": "crampwise-diary/1", "extra_first": {"episodes": [1, 2]},\n'
    '"days": [\n'
    '   {"date": "2026-03-01", "values": {"water_litres": 2}}\n'
    "  ],\n"
    '"episodes"  :  [ ' + TRICKY + ",\n"
    "\n"
    "    " + GOOD + "},   " + BAD + ",\n"
    "  " + GOOD + '}\n],"assessments": []}\n'
)


def test_record_offsets_find_each_record_start() -> None:
    text = DOCUMENT.replace('"extra_first": {"episodes": [1, 2]},', "")
    offsets = record_offsets(text)
    starts = [text[i : i + 15] for i in offsets["episodes"]]
    assert starts == ['{"started_at": '] * 4
    assert [text[i : i + 9] for i in offsets["days"]] == ['{"date": ']
    assert offsets["assessments"] == []


def test_a_bad_record_is_named_with_its_line() -> None:
    text = DOCUMENT.replace('"extra_first": {"episodes": [1, 2]},', "")
    with pytest.raises(InvalidInputError) as info:
        parse_json_document(text, "diary.json")
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (7, "episodes[2].severity")


def test_an_unknown_top_level_key_does_not_confuse_the_lines() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_json_document(DOCUMENT, "diary.json")
    rendered = [p.render() for p in info.value.problems]
    assert rendered[0].startswith("extra_first: unknown key")
    assert rendered[1].startswith("line 7: episodes[2].severity:")
