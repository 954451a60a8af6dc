"""crampwise serve: loopback only, one clear error for a busy port, running only once it is.

The server itself runs in a subprocess (tests/web/live.py); in-process tests stop before the
server would run, so the collector freeze of a real `serve` never reaches the test session.
"""

from __future__ import annotations

import gc
import http.client
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from tests.web.live import SERVE, free_port, serve_env, start_serve


def _no_server(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Replace every way uvicorn could start; return the servers that tried to run."""
    import uvicorn

    def must_not_run(*_a: Any, **_k: Any) -> None:
        raise AssertionError("uvicorn.run must not be used")

    tried: list[Any] = []

    def record(self: Any, sockets: list[socket.socket] | None = None) -> None:
        tried.append(self)
        for sock in sockets or []:
            sock.close()

    monkeypatch.setattr(uvicorn, "run", must_not_run)
    monkeypatch.setattr(uvicorn.Server, "run", record)
    return tried


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.com", "::", "127.0.0.2"])
def test_serve_refuses_non_loopback_hosts(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    tried = _no_server(monkeypatch)
    result = CliRunner().invoke(main, ["serve", "--host", host])
    assert result.exit_code == 2
    assert f"refusing to listen on '{host}'" in result.output
    assert "127.0.0.1" in result.output
    assert tried == []


def test_serve_builds_the_app_for_its_port_without_freezing_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tried = _no_server(monkeypatch)
    frozen = gc.get_freeze_count()
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    port = free_port()
    result = CliRunner().invoke(main, ["serve", "--port", str(port), "--database", url])
    assert result.exit_code == 0, result.output
    (server,) = tried
    assert server.config.access_log is False
    settings = server.config.app.state.crampwise.settings
    assert settings.database_url == url
    assert set(settings.allowed_hosts) == {
        f"127.0.0.1:{port}",
        f"localhost:{port}",
        f"[::1]:{port}",
    }
    # The freeze belongs to a process that really serves, after start-up.
    assert gc.get_freeze_count() == frozen
    assert "is running" not in result.output  # it never started, so it must not say so


def test_serve_on_a_busy_port_is_one_sentence_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried = _no_server(monkeypatch)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: cannot listen on 127.0.0.1:{port}: another program is already using port "
        f"{port}; stop it or choose another port with --port.\n"
    )
    assert tried == []


@pytest.mark.slow
def test_real_serve_on_a_busy_port_exits_2_without_claiming_to_run(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*SERVE, "--port", str(port)],
            env=serve_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: another program is already using port "
        f"{port}; stop it or choose another port with --port."
    ]


@pytest.mark.slow
def test_real_serve_answers_as_soon_as_it_says_it_runs_and_logs_no_access(
    tmp_path: Path,
) -> None:
    server = start_serve(tmp_path)
    try:
        # No retry: the line is printed only once the app has started and the port answers.
        status, _, body = server.request("GET", "/api/v1/ping")
        assert status == 200, body
        assert server.request("GET", "/")[0] == 200
    finally:
        server.stop()
    assert server.lines[0] == (
        f"crampwise is running at http://127.0.0.1:{server.port}/ — press Ctrl+C to stop."
    )
    assert "GET /" not in server.output  # access log off: paths are nobody's business


@pytest.mark.slow
def test_real_serve_answers_keep_alive_requests_without_nagle_stalls(tmp_path: Path) -> None:
    # serve binds its own socket; without TCP_NODELAY each response on a kept-alive
    # connection waits ~40 ms for a delayed ACK (40 requests: ~1.6 s instead of ~0.1 s).
    server = start_serve(tmp_path)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        started = time.perf_counter()
        for _ in range(40):
            conn.request("GET", "/api/v1/ping", headers={"Host": f"127.0.0.1:{server.port}"})
            response = conn.getresponse()
            response.read()
            assert response.status == 200
        elapsed = time.perf_counter() - started
        conn.close()
    finally:
        server.stop()
    assert elapsed < 1.0, f"40 requests took {elapsed:.2f} s"


@pytest.mark.slow
@pytest.mark.parametrize("host", ["localhost", "::1"])
def test_real_serve_on_other_loopback_names(host: str, tmp_path: Path) -> None:
    if host == "::1" and not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    server = start_serve(tmp_path, host=host)  # requests go to 127.0.0.1 or ::1
    try:
        for host_header in (f"localhost:{server.port}", f"[::1]:{server.port}"):
            status, _, _ = server.request("GET", "/", headers={"Host": host_header})
            assert status == 200, host_header
    finally:
        server.stop()


def test_serve_help_documents_every_option() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--host", "--database"):
        line = next(line for line in result.output.splitlines() if option in line)
        assert len(line.split(option, 1)[1].strip()) > 10, f"{option} has no help text"
