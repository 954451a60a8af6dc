"""The per-installation signing key: kept in the data folder (0600), made once, made atomically."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from crampwise.errors import KeyFileError
from crampwise.web.app import WebSettings, create_app
from crampwise.web.keys import installation_key
from tests.web.helpers import Interview, TestClient


def test_the_key_is_created_on_first_use_with_mode_0600(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "folder"
    key = installation_key(folder)
    path = folder / "secret.key"
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert installation_key(folder) == key  # read back, not made again
    assert [p.name for p in folder.iterdir()] == ["secret.key"]  # no temporary file left


def test_the_default_folder_is_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRAMPWISE_DATA_DIR", str(tmp_path / "env"))
    from crampwise.datadir import user_data_dir

    assert user_data_dir() == tmp_path / "env"
    monkeypatch.delenv("CRAMPWISE_DATA_DIR")
    import platformdirs

    # The same folder the diary's default SQLite file lives in.
    assert user_data_dir() == Path(platformdirs.user_data_dir("crampwise"))


def test_an_interview_survives_a_restart(settings: WebSettings) -> None:
    # Two app instances on the same data folder stand for two starts of `crampwise serve`.
    with TestClient(create_app(settings)) as first:
        interview = Interview(first).start(age="40")
        cookie = first.cookies.get("crampwise_csrf")
    assert settings.data_dir is not None and (settings.data_dir / "secret.key").exists()
    with TestClient(create_app(settings)) as second:
        second.cookies.set("crampwise_csrf", cookie or "")
        interview.client = second
        interview.post(action="dont_know")  # the old page's token and state are accepted
        assert "could not be read" not in interview.html


def test_a_key_file_readable_by_others_is_tightened(tmp_path: Path) -> None:
    key = installation_key(tmp_path)
    path = tmp_path / "secret.key"
    path.chmod(0o644)
    assert installation_key(tmp_path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("content", ["", "not hex\n", "ab" * 10 + "\n"])
def test_a_damaged_key_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "secret.key").write_text(content)
    (tmp_path / "secret.key").chmod(0o600)
    with pytest.raises(KeyFileError, match="is damaged: delete it"):
        installation_key(tmp_path)


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path, settings: WebSettings) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(KeyFileError, match="cannot create the key file"):
        installation_key(blocker / "sub")
    app = create_app(replace(settings, data_dir=blocker / "sub"))
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/check")
    assert response.status_code == 503
    assert "cannot create the key file" in response.text


@pytest.mark.slow
def test_processes_starting_at_once_end_with_one_key(tmp_path: Path) -> None:
    code = (
        "import sys, pathlib; from crampwise.web.keys import installation_key; "
        "sys.stdout.write(installation_key(pathlib.Path(sys.argv[1])).hex())"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, env=env
        )
        for _ in range(8)
    ]
    keys = {p.communicate(timeout=60)[0] for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(keys) == 1
    assert (tmp_path / "secret.key").read_text().strip() == keys.pop().decode()
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]
