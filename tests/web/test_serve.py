"""crampwise serve: loopback only, access logs off, the app built on the given diary."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.com", "::", "127.0.0.2"])
def test_serve_refuses_non_loopback_hosts(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    def must_not_run(*_a: Any, **_k: Any) -> None:
        raise AssertionError("uvicorn must not start")

    monkeypatch.setattr(uvicorn, "run", must_not_run)
    result = CliRunner().invoke(main, ["serve", "--host", host])
    assert result.exit_code == 2
    assert f"refusing to listen on '{host}'" in result.output
    assert "127.0.0.1" in result.output


@pytest.mark.parametrize(
    ("host", "bound"), [("127.0.0.1", "127.0.0.1"), ("localhost", "127.0.0.1"), ("::1", "::1")]
)
def test_serve_starts_uvicorn_on_loopback_without_access_log(
    host: str, bound: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    result = CliRunner().invoke(
        main, ["serve", "--host", host, "--port", "8765", "--database", url]
    )
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["host"] == bound and call["port"] == 8765
    assert call["access_log"] is False
    assert call["app"].state.crampwise.settings.database_url == url


def test_serve_help_documents_every_option() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--host", "--database"):
        line = next(line for line in result.output.splitlines() if option in line)
        assert len(line.split(option, 1)[1].strip()) > 10, f"{option} has no help text"
