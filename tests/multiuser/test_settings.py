"""Multi-user settings: environment, config file, and one clear sentence (exit 2) for each
setting that cannot work, before any worker starts; the local mode's refusals unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.errors import CrampwiseError, DatabaseSettingsError, InvalidInputError
from crampwise.web.guard import LOOPBACK_NAMES
from crampwise.web.multiuser import SETTINGS, read_settings
from tests.multiuser.conftest import ServiceDb
from tests.web.helpers import TestClient

PG = "postgresql+psycopg://app:pw@127.0.0.1/crampwise"
GOOD = {"CRAMPWISE_DATABASE_URL": PG, "CRAMPWISE_SECRET_KEY": "s" * 32}


def test_good_settings_from_the_environment() -> None:
    env = {
        **GOOD,
        "CRAMPWISE_ALLOWED_HOSTS": "Cramps.Example.org, www.example.org",
        "CRAMPWISE_TRUSTED_PROXIES": "10.0.0.1,10.1.0.0/16",
        "CRAMPWISE_REDIS_URL": "redis://127.0.0.1:6379/0",
        "CRAMPWISE_WORKERS": "4",
    }
    s = read_settings(env, bind="0.0.0.0")
    assert s.allowed_hosts == ("cramps.example.org", "www.example.org")
    assert s.trusted_proxies == ("10.0.0.1", "10.1.0.0/16")
    assert s.workers == 4 and s.redis_url == "redis://127.0.0.1:6379/0"
    assert s.secret_key == b"s" * 32 and s.admin_database_url is None
    assert "pw" not in repr(s) and "sss" not in repr(s)  # secrets stay out of logs
    web = s.web_settings()
    assert web.multi_user and web.database_url == PG and web.trusted_proxies == s.trusted_proxies


def test_loopback_needs_no_allowed_hosts_and_the_option_beats_the_variable() -> None:
    s = read_settings({**GOOD, "CRAMPWISE_WORKERS": "3"}, bind="127.0.0.1", workers=2)
    assert s.allowed_hosts == LOOPBACK_NAMES and s.workers == 2 and s.trusted_proxies == ()


def test_a_config_file_with_the_environment_overriding_it(tmp_path: Path) -> None:
    config = tmp_path / "crampwise.toml"
    config.write_text(
        f'database_url = "{PG}"\nsecret_key = "{"f" * 40}"\n'
        'allowed_hosts = ["a.example.org", "b.example.org"]\nworkers = 2\n'
    )
    s = read_settings({"CRAMPWISE_SECRET_KEY": "e" * 32}, config, bind="0.0.0.0")
    assert s.secret_key == b"e" * 32  # the variable wins
    assert s.allowed_hosts == ("a.example.org", "b.example.org") and s.workers == 2
    # CRAMPWISE_CONFIG names the file when no --config is given.
    assert read_settings({"CRAMPWISE_CONFIG": str(config)}).database_url == PG


@pytest.mark.parametrize(
    ("env", "error", "words"),
    [
        ({}, DatabaseSettingsError, "CRAMPWISE_DATABASE_URL is not set"),
        (
            {"CRAMPWISE_DATABASE_URL": "sqlite:///x.db"},
            DatabaseSettingsError,
            "multi-user mode needs PostgreSQL",
        ),
        (
            {"CRAMPWISE_DATABASE_URL": "not a url"},
            DatabaseSettingsError,
            "must be a PostgreSQL URL",
        ),
        (
            {"CRAMPWISE_ADMIN_DATABASE_URL": "sqlite:///x.db"},
            DatabaseSettingsError,
            "CRAMPWISE_ADMIN_DATABASE_URL must be a PostgreSQL URL",
        ),
        ({"CRAMPWISE_SECRET_KEY": ""}, InvalidInputError, "CRAMPWISE_SECRET_KEY is not set"),
        ({"CRAMPWISE_SECRET_KEY": "short"}, InvalidInputError, "is too short (5 characters)"),
        ({"CRAMPWISE_REDIS_URL": "http://x"}, InvalidInputError, "must start with redis://"),
        ({"CRAMPWISE_WORKERS": "0"}, InvalidInputError, "from 1 to 64, not '0'"),
        ({"CRAMPWISE_WORKERS": "many"}, InvalidInputError, "from 1 to 64, not 'many'"),
    ],
)
def test_each_bad_setting_is_one_clear_sentence(
    env: dict[str, str], error: type[CrampwiseError], words: str
) -> None:
    merged = {**GOOD, **env} if env else {}
    with pytest.raises(error) as raised:
        read_settings(merged)
    assert words in raised.value.message
    assert raised.value.exit_code == 2


def test_a_non_loopback_address_needs_the_allowed_hosts() -> None:
    with pytest.raises(InvalidInputError) as raised:
        read_settings(GOOD, bind="0.0.0.0")
    assert "refusing to listen on '0.0.0.0' without CRAMPWISE_ALLOWED_HOSTS" in str(raised.value)


def test_a_config_file_with_an_unknown_key_lists_the_known_ones(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('databse_url = "x"\n')
    with pytest.raises(InvalidInputError) as raised:
        read_settings({}, config)
    (problem,) = raised.value.problems
    assert problem.field == "databse_url" and "database_url" in problem.message
    with pytest.raises(InvalidInputError, match="no such configuration file"):
        read_settings({}, tmp_path / "missing.toml")


def test_every_setting_has_help_and_an_example() -> None:
    assert {s.env for s in SETTINGS} >= {
        "CRAMPWISE_DATABASE_URL",
        "CRAMPWISE_SECRET_KEY",
        "CRAMPWISE_ALLOWED_HOSTS",
        "CRAMPWISE_REDIS_URL",
        "CRAMPWISE_TRUSTED_PROXIES",
        "CRAMPWISE_WORKERS",
        "CRAMPWISE_ADMIN_DATABASE_URL",
    }
    assert all(s.help and s.example for s in SETTINGS)


# --- the command ---------------------------------------------------------------------------


def _no_server(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Nothing may start serving or reach the database: record what tried."""
    import crampwise.cli.serve as serve_module
    import crampwise.web.multiuser as multiuser

    tried: list[Any] = []
    monkeypatch.setattr(multiuser, "check_services", lambda s: tried.append(("check", s)))
    monkeypatch.setattr(
        serve_module,
        "run_workers",
        lambda s, sock, url: (tried.append(("run", s, url)), sock.close()),
    )
    return tried


def _env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    # Set, then delete: monkeypatch then restores each one, including what serve exports
    # for its workers (CRAMPWISE_ALLOWED_HOSTS, CRAMPWISE_CONFIG).
    for name in [*(s.env for s in SETTINGS), "CRAMPWISE_CONFIG"]:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def test_serve_multi_user_with_a_sqlite_url_exits_2_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried = _no_server(monkeypatch)
    _env(monkeypatch, {**GOOD, "CRAMPWISE_DATABASE_URL": "sqlite:///diary.sqlite3"})
    result = CliRunner().invoke(main, ["serve", "--multi-user"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: CRAMPWISE_DATABASE_URL must be a PostgreSQL URL")
    assert len(result.output.splitlines()) == 1 and "Traceback" not in result.output
    assert tried == []


@pytest.mark.parametrize(
    ("env", "args", "words"),
    [
        ({"CRAMPWISE_SECRET_KEY": ""}, [], "CRAMPWISE_SECRET_KEY is not set"),
        ({"CRAMPWISE_SECRET_KEY": "x" * 31}, [], "too short (31 characters)"),
        ({}, ["--host", "0.0.0.0"], "without CRAMPWISE_ALLOWED_HOSTS"),
        ({}, ["--database", "sqlite:///x"], "--database is for the single-user diary"),
    ],
)
def test_serve_multi_user_refusals(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], args: list[str], words: str
) -> None:
    tried = _no_server(monkeypatch)
    _env(monkeypatch, {**GOOD, **env})
    result = CliRunner().invoke(main, ["serve", "--multi-user", *args])
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert tried == []


def test_serve_multi_user_binds_anywhere_once_the_hosts_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.web.live import free_port

    tried = _no_server(monkeypatch)
    _env(monkeypatch, {**GOOD, "CRAMPWISE_ALLOWED_HOSTS": "cramps.example.org"})
    port = free_port()
    result = CliRunner().invoke(
        main, ["serve", "--multi-user", "--host", "0.0.0.0", "--port", str(port), "--workers", "3"]
    )
    assert result.exit_code == 0, result.output
    (check, settings), (run, same, url) = tried
    assert check == "check" and run == "run" and same is settings
    assert settings.workers == 3 and settings.allowed_hosts == ("cramps.example.org",)
    assert url == f"http://0.0.0.0:{port}/"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_local_serve_still_refuses_other_addresses(
    monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    tried = _no_server(monkeypatch)
    _env(monkeypatch, {**GOOD, "CRAMPWISE_ALLOWED_HOSTS": "cramps.example.org"})
    result = CliRunner().invoke(main, ["serve", "--host", host])
    assert result.exit_code == 2
    assert f"refusing to listen on '{host}'" in result.output
    assert tried == []


@pytest.mark.parametrize("option", [["--workers", "2"], ["--config", "x.toml"]])
def test_local_serve_refuses_the_multi_user_options(
    monkeypatch: pytest.MonkeyPatch, option: list[str]
) -> None:
    tried = _no_server(monkeypatch)
    result = CliRunner().invoke(main, ["serve", *option])
    assert result.exit_code == 2
    assert f"{option[0]} goes with --multi-user" in result.output
    assert tried == []


def test_the_readme_documents_every_setting_and_option() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in readme]
    missing += [o for o in ("--multi-user", "--workers", "--config") if o not in readme]
    assert missing == []


def test_a_foreign_host_is_refused_naming_the_setting_not_this_computer(
    mu_client: TestClient,
) -> None:
    response = mu_client.get("/api/v1/ping", headers={"Host": "rebind.example:8000"})
    assert response.status_code == 421
    assert "CRAMPWISE_ALLOWED_HOSTS" in response.json()["error"]["message"]
    assert "this computer" not in response.text


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("CRAMPWISE_INSIGHTS_CACHE_SIZE", "many", "CRAMPWISE_INSIGHTS_CACHE_SIZE must be"),
        ("CRAMPWISE_DB_POOL_SIZE", "0", "CRAMPWISE_DB_POOL_SIZE"),
    ],
)
def test_a_bad_tuning_setting_stops_the_start_before_any_worker(
    monkeypatch: pytest.MonkeyPatch, service_db: ServiceDb, variable: str, value: str, words: str
) -> None:
    """check_services (the parent process, before workers start) reads every setting a
    worker would otherwise only read at its first request."""
    from crampwise.web.multiuser import check_services

    _env(monkeypatch, {**GOOD, "CRAMPWISE_DATABASE_URL": service_db.app_url, variable: value})
    with pytest.raises(CrampwiseError) as raised:
        check_services(read_settings())
    assert words in raised.value.message and raised.value.exit_code == 2


def test_a_worker_loads_the_statistics_before_its_first_request() -> None:
    """The CLI keeps them out of start-up; a worker (create_multiuser_app's start) loads them."""
    import subprocess
    import sys

    probe = (
        "import sys; from crampwise.web.multiuser import WARM_MODULES, warm_up; "
        "before = [m for m in WARM_MODULES if m in sys.modules]; warm_up(); "
        "print(before, all(m in sys.modules for m in WARM_MODULES))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] True"
