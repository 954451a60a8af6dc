"""What an import does with what the diary already holds, and what a CSV export guards against.

- Formula injection: a text cell a spreadsheet would run (``=``, ``+``, ``-``, ``@``, tab,
  CR first) is exported behind a ``'`` (OWASP's advice) and restored on import.
- Idempotence: an entry identical to one in the diary is skipped and counted; days merge
  by date.
- Dates far before the rest of the diary (a mistyped year) are refused unless confirmed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from crampwise.diary.records import DayFactors, Episode
from crampwise.diary.store import DiaryStore, open_store
from crampwise.diary.transfer import (
    parse_csv,
    parse_json_document,
    write_days_csv,
    write_episodes_csv,
    write_plan,
)
from crampwise.diary.transfer.cells import neutralise, restore
from crampwise.errors import InvalidInputError
from tests.diary.conftest import Cli

DANGEROUS = ['=HYPERLINK("http://x","y")', "+cmd", "-1", "@SUM(A1)", "\tx", "'=x"]
HARMLESS = ["'tis fine", "plain", "1-2", "a=b"]


def episode(note: str | None = None, minute: int = 0) -> Episode:
    return Episode(datetime(2026, 3, 1, 22, minute), 2.0, ("calf",), 5, note=note)


def exported_cells(store: DiaryStore) -> list[dict[str, str]]:
    out = io.StringIO()
    write_episodes_csv(store.list_episodes(), out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_csv_export_neutralises_formulas_and_import_restores_them(store: DiaryStore) -> None:
    notes = DANGEROUS + HARMLESS
    store.add_episodes([episode(n, i) for i, n in enumerate(notes)])
    rows = exported_cells(store)
    assert [r["note"] for r in rows] == ["'" + n for n in DANGEROUS] + HARMLESS
    assert rows[0]["duration_minutes"] == "2.0" and rows[0]["severity"] == "5"  # numbers as is

    out = io.StringIO()
    write_episodes_csv(store.list_episodes(), out)
    plan = parse_csv(out.getvalue())
    assert [e.note for e in plan.episodes] == notes


def test_days_csv_neutralises_the_note(store: DiaryStore) -> None:
    store.set_days([DayFactors(date(2026, 3, 1), {"water_litres": 1.5}, "=1+1")])
    out = io.StringIO()
    write_days_csv(store.list_days(), out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert (row["note"], row["water_litres"]) == ("'=1+1", "1.5")
    assert parse_csv(out.getvalue()).days[0].note == "=1+1"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1", "'=1"),
        ("\r1", "'\r1"),
        ("'@x", "''@x"),
        ("''-", "'''-"),
        ("'x", "'x"),
        ("x=", "x="),
    ],
)
def test_neutralise_and_restore_are_inverse(text: str, cell: str) -> None:
    assert neutralise(text) == cell
    assert restore(cell) == text


def test_hand_made_csv_keeps_a_leading_apostrophe_that_guards_nothing() -> None:
    text = "started_at,duration_minutes,sites,severity,note\n2026-03-01 22:00,1,toes,3,'tis\n"
    assert parse_csv(text).episodes[0].note == "'tis"


def test_importing_twice_skips_and_counts_what_the_diary_has(store: DiaryStore) -> None:
    doc = {
        "format": "crampwise-diary/1",
        "episodes": [
            {"started_at": "2026-03-01T22:00:00", "duration_minutes": 2, "sites": ["calf"],
             "severity": 5},
            {"started_at": "2026-03-01T22:00:00", "duration_minutes": 2, "sites": ["calf"],
             "severity": 5},
            {"started_at": "2026-03-01T22:00:00", "duration_minutes": 2, "sites": ["calf"],
             "severity": 6},
        ],
        "days": [{"date": "2026-03-01", "values": {"water_litres": 2}}],
        "assessments": [
            {"created_at": "2026-03-01T10:00:00", "knowledge_version": "kb", "case": {"age": 50},
             "result": {"level": "doctor"}},
        ],
    }  # fmt: skip
    text = json.dumps(doc)
    first = write_plan(store, parse_json_document(text))
    assert (first.episodes, first.days, first.assessments) == (3, 1, 1)  # two alike: both kept
    assert first.already == {"episodes": 0, "days": 0, "assessments": 0, "experiments": 0}
    again = write_plan(store, parse_json_document(text))
    assert (again.episodes, again.days, again.assessments) == (0, 0, 0)
    assert again.already == {"episodes": 3, "days": 1, "assessments": 1, "experiments": 0}
    assert store.counts() == {"episodes": 3, "days": 1, "assessments": 1}

    # One more of the twin episodes in the file: only the one the diary lacks is added.
    doc["episodes"].append(doc["episodes"][0])  # type: ignore[attr-defined]
    third = write_plan(store, parse_json_document(json.dumps(doc)))
    assert third.episodes == 1 and third.already["episodes"] == 3
    assert store.counts()["episodes"] == 4


def test_a_day_already_recorded_is_merged_by_date(store: DiaryStore) -> None:
    store.set_days([DayFactors(date(2026, 3, 1), {"water_litres": 1.0}, "kept")])
    text = "date,stretching_done,note\n2026-03-01,yes,\n2026-03-02,no,new\n"
    counts = write_plan(store, parse_csv(text))
    assert (counts.days, counts.days_merged) == (2, 1)
    assert store.list_days() == [
        DayFactors(date(2026, 3, 1), {"water_litres": 1.0, "stretching_done": True}, "kept"),
        DayFactors(date(2026, 3, 2), {"stretching_done": False}, "new"),
    ]
    again = write_plan(store, parse_csv(text))
    assert (again.days, again.already["days"]) == (0, 2)


def test_cli_import_twice_reports_what_was_already_there(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(
        "started_at,duration_minutes,sites,severity\n2026-03-01 22:00,1.5,toes,3\n"
        "2026-03-02 02:30,4,calf,9\n"
    )
    first = cli("import", str(path))
    assert first.stderr.endswith(
        "\nImported 2 episodes, 0 days and 0 assessments from episodes.csv.\n"
    )
    again = cli("import", str(path))
    assert again.exit_code == 0
    assert again.stderr.endswith(
        "\nImported 0 episodes, 0 days and 0 assessments from episodes.csv; "
        "2 episodes were already in your diary and were skipped.\n"
    )
    assert cli.counts()["episodes"] == 2


def test_import_refuses_dates_far_before_the_rest_unless_confirmed(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "episodes.csv"
    rows = "".join(f"2026-03-{d:02d} 22:00,1,toes,3\n" for d in range(1, 11))
    path.write_text(
        "started_at,duration_minutes,sites,severity\n" + rows + "1926-03-11 22:00,1,toes,3\n"
    )
    refused = cli("import", str(path))
    assert refused.exit_code == 2
    assert "line 12: started_at: 1926-03-11 is more than 3 years before" in (refused.stderr)
    assert "--yes" in refused.stderr
    assert cli.counts()["episodes"] == 0
    accepted = cli("import", str(path), "--yes")
    assert accepted.exit_code == 0, accepted.stderr
    assert cli.counts()["episodes"] == 11


def test_web_import_reports_the_counts(tmp_path: Path) -> None:
    from crampwise.web.app import WebSettings, create_app
    from tests.web.helpers import TEST_HOST, TestClient, hidden

    url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    body = b"started_at,duration_minutes,sites,severity\n2026-03-01 22:00,1.5,toes,3\n"
    settings = WebSettings(database_url=url, allowed_hosts=(TEST_HOST,), data_dir=tmp_path / "k")
    with TestClient(create_app(settings)) as client:
        pages = []
        for _ in range(2):
            token = hidden(client.get("/transfer").text, "csrf_token")
            response = client.post(
                "/transfer/import",
                data={"csrf_token": token},
                files={"file": ("cramps.csv", body, "text/csv")},
            )
            assert response.status_code == 200, response.text
            pages.append(re.sub(r"\s+", " ", response.text))
    assert "Imported 1 cramp, 0 days and 0 saved checks." in pages[0]
    assert "Imported 0 cramps, 0 days and 0 saved checks." in pages[1]
    assert "1 cramp was already in your diary and was skipped." in pages[1]
    with open_store(url) as store:
        assert store.counts()["episodes"] == 1


@pytest.mark.parametrize("bad", ["-1", "'-1"])
def test_a_negative_number_is_data_not_a_formula(bad: str) -> None:
    text = f"started_at,duration_minutes,sites,severity\n2026-03-01 22:00,{bad},toes,3\n"
    with pytest.raises(InvalidInputError, match="invalid") as info:
        parse_csv(text)
    assert "line 2: duration_minutes: cannot be negative" in info.value.render()


def test_a_deeply_nested_json_file_is_refused_in_one_sentence(cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(
        '{"format": "crampwise-diary/1", "episodes": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    )
    result = cli("import", str(deep))
    assert result.exit_code == 2, result.output
    assert "nests deeper than 32 levels" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert cli.counts()["episodes"] == 0


def test_a_csv_cell_too_large_to_read_is_named_with_its_line(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text(
        "started_at,duration_minutes,sites,severity\n2026-01-02 03:04,1,calf,3\n"
        + "2026-01-03 03:04,1,calf,"
        + "9" * 200_000
        + "\n"
    )
    result = cli("import", str(big))
    assert result.exit_code == 2, result.output
    assert "line 3: file: field larger than field limit" in result.output
    assert "Traceback" not in result.output
    assert cli.counts()["episodes"] == 0
