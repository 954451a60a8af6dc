"""A database setting that cannot work is one clear sentence and exit status 2, never a
traceback: an unknown kind of URL, an unreachable server, a folder that cannot hold the
SQLite file, PostgreSQL without its driver installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampwise.diary.store import open_store
from crampwise.errors import CrampwiseError, StorageError


def history_with(url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    from crampwise.cli import main

    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["history"], catch_exceptions=False)
    return result.exit_code, result.stderr


def one_sentence(stderr: str) -> str:
    assert stderr.startswith("Error: ") and stderr.endswith("\n"), stderr
    assert stderr.count("\n") == 1, f"more than one line: {stderr!r}"
    assert "Traceback" not in stderr
    return stderr


def test_unknown_kind_of_url(monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = history_with("bogus://x", monkeypatch)
    assert code == 2
    message = one_sentence(err)
    assert "CRAMPWISE_DATABASE_URL" in message and "'bogus'" in message
    assert "sqlite:///" in message  # says what would work


def test_unreachable_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = history_with(
        "postgresql+psycopg://postgres:secret@127.0.0.1:1/nowhere", monkeypatch
    )
    assert code == 2
    message = one_sentence(err)
    assert "cannot connect to the database" in message and "127.0.0.1:1" in message
    assert "secret" not in message  # the password is never shown


def test_sqlite_folder_that_cannot_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    code, err = history_with(
        f"sqlite:///{tmp_path / 'a_file' / 'x' / 'diary.sqlite3'}", monkeypatch
    )
    assert code == 2
    message = one_sentence(err)
    assert f"cannot create the folder {tmp_path / 'a_file' / 'x'}" in message


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_sqlite_folder_that_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc refuses new files even to root, unlike a chmod-ed folder.
    code, err = history_with("sqlite:////proc/self/diary.sqlite3", monkeypatch)
    assert code == 2
    message = one_sentence(err)
    assert "cannot open the SQLite file /proc/self/diary.sqlite3" in message


def test_settings_errors_are_storage_errors_with_exit_status_2() -> None:
    with pytest.raises(StorageError) as info:
        open_store("bogus://x")
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://postgres@127.0.0.1/x", "postgresql://postgres@127.0.0.1/x"]
)
def test_postgres_without_its_driver_names_the_extra(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    with pytest.raises(CrampwiseError) as info:
        open_store(url)
    assert info.value.exit_code == 2
    assert "pip install 'crampwise[postgres]'" in info.value.message
    code, err = history_with(url, monkeypatch)
    assert code == 2
    assert "pip install 'crampwise[postgres]'" in one_sentence(err)


def test_storage_error_still_imports_from_its_old_place() -> None:
    from crampwise.storage.database import StorageError as old_place

    assert old_place is StorageError
