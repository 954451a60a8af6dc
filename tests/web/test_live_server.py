"""Issue 8 against a real `crampwise serve` over loopback: Host and Origin checks, body limits
with the server's memory measured, deep JSON; and the signing key surviving a restart."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.live import LiveServer, start_serve, stream_body

pytestmark = pytest.mark.slow  # starts real server processes

EPISODE = json.dumps(
    {"started_at": "2020-01-01T10:00", "duration_minutes": 1, "sites": ["calf"], "severity": 3}
).encode()
JSON = {"Content-Type": "application/json"}
BIG = 400_000_000  # bytes
RSS_ALLOWANCE_MB = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_serve(tmp_path_factory.mktemp("live"))
    yield live
    live.stop()


def _error(body: bytes) -> dict[str, object]:
    payload = json.loads(body)
    assert set(payload) == {"error"}
    assert set(payload["error"]) == {"status", "message", "problems"}
    error: dict[str, object] = payload["error"]
    return error


# --- 1. DNS rebinding ---------------------------------------------------------------------


def test_a_rebound_name_cannot_read_the_diary(server: LiveServer) -> None:
    status, _, body = server.request("GET", "/api/v1/export", headers={"Host": "evil.example"})
    assert status == 421
    assert _error(body)["status"] == 421
    for host in (f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}", "127.0.0.1"):
        assert server.request("GET", "/api/v1/export", headers={"Host": host})[0] == 421, host
    for name in ("127.0.0.1", "localhost", "[::1]"):
        host = f"{name}:{server.port}"
        assert server.request("GET", "/api/v1/export", headers={"Host": host})[0] == 200, host


def test_a_rebound_name_cannot_change_the_diary(server: LiveServer) -> None:
    evil = {"Host": f"evil.example:{server.port}", "Origin": f"http://evil.example:{server.port}"}
    status, _, _ = server.request("POST", "/api/v1/episodes", EPISODE, {**JSON, **evil})
    assert status == 421
    assert json.loads(server.request("GET", "/api/v1/episodes")[2]) == []


def test_a_foreign_origin_cannot_write_even_with_the_right_host(server: LiveServer) -> None:
    for foreign in (
        {"Origin": "http://evil.example"},
        {"Origin": f"http://127.0.0.1:{server.port + 1}"},  # another port of this computer
        {"Sec-Fetch-Site": "same-site"},
    ):
        status, _, body = server.request("POST", "/api/v1/episodes", EPISODE, {**JSON, **foreign})
        assert status == 403, foreign
        assert _error(body)["status"] == 403
    own = {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"}
    status, _, body = server.request("POST", "/api/v1/episodes", EPISODE, {**JSON, **own})
    assert status == 201, body
    created = json.loads(body)
    status, _, _ = server.request(
        "DELETE", f"/api/v1/episodes/{created['id']}", headers={"Origin": "http://evil.example"}
    )
    assert status == 403
    status, _, _ = server.request("DELETE", f"/api/v1/episodes/{created['id']}", headers=own)
    assert status == 204


def test_a_form_with_a_valid_token_from_a_foreign_origin_is_refused(server: LiveServer) -> None:
    status, headers, page = server.request("GET", "/check")
    cookie = headers["set-cookie"].split(";")[0]
    match = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert match
    form = f"csrf_token={match.group(1).decode()}&age=40".encode()
    sent = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    refused = server.request("POST", "/check", form, {**sent, "Origin": "http://evil.example"})
    assert refused[0] == 403
    own = server.request(
        "POST", "/check", form, {**sent, "Origin": f"http://127.0.0.1:{server.port}"}
    )
    assert own[0] == 200
    planted = "A" * 43  # well-formed for the old unsigned scheme, signed by nobody
    forged = server.request(
        "POST",
        "/check",
        f"csrf_token={planted}&age=40".encode(),
        {**sent, "Cookie": f"crampwise_csrf={planted}"},
    )
    assert forged[0] == 403


# --- 2. Bodies are limited while they stream in -------------------------------------------


UPLOAD = (
    b'--b\r\nContent-Disposition: form-data; name="file"; filename="d.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\n"
)


@pytest.mark.parametrize(
    ("path", "content_type", "prefix"),
    [
        ("/api/v1/assessments", "application/json", b""),
        ("/api/v1/episodes", "application/json", b""),  # a pydantic route: had no limit at all
        ("/diary/episodes", "application/x-www-form-urlencoded", b""),
        ("/transfer/import", "multipart/form-data; boundary=b", UPLOAD),  # its limit: 21 MB
    ],
)
@pytest.mark.parametrize("chunked", [True, False])
def test_a_400_mb_body_is_refused_while_memory_stays_flat(
    server: LiveServer, path: str, content_type: str, prefix: bytes, chunked: bool
) -> None:
    idle = server.memory_mb()["VmRSS"]
    result = stream_body(server.port, path, BIG, content_type, chunked, prefix)
    assert result.status == 413, result.response[:200]
    assert b"connection: close" in result.response.lower()
    peak = server.memory_mb()["VmHWM"]
    assert peak - idle < RSS_ALLOWANCE_MB, (idle, peak)
    assert result.sent < 64_000_000  # answered long before the client could send it all
    assert server.request("GET", "/api/v1/ping")[0] == 200  # and the server carries on


def test_an_oversized_content_length_is_refused_before_reading(server: LiveServer) -> None:
    result = stream_body(server.port, "/api/v1/assessments", BIG, chunked=False)
    assert result.status == 413
    body = result.response.split(b"\r\n\r\n", 1)[1]
    assert _error(body) == {
        "status": 413,
        "message": "The request is too large: this address accepts at most 1 MB.",
        "problems": [],
    }


# --- 3. Deep JSON -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/assessments", "/api/v1/days", "/api/v1/interview/next", "/api/v1/episodes"]
)
def test_deep_json_is_422_and_leaves_no_traceback(server: LiveServer, path: str) -> None:
    status, _, body = server.request("POST", path, b"[" * 100_000, JSON)
    assert status == 422
    assert _error(body)["problems"] == [
        {"field": "(body)", "message": "nests deeper than 32 levels"}
    ]
    assert "Traceback" not in server.output
    assert "RecursionError" not in server.output


# --- 1. The key outlives the process --------------------------------------------------------


def test_an_interview_in_progress_survives_a_restart(tmp_path: Path) -> None:
    first = start_serve(tmp_path)
    try:
        _, headers, page = first.request("GET", "/check")
        cookie = headers["set-cookie"].split(";")[0]
        token = _hidden(page, "csrf_token")
        form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        status, _, step = first.request(
            "POST", "/check", f"csrf_token={token}&age=40".encode(), form
        )
        assert status == 200
    finally:
        first.stop()
    key = tmp_path / "data" / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600
    second = start_serve(tmp_path, port=first.port)
    try:
        fields = (
            f"csrf_token={token}&state={_hidden(step, 'state')}"
            f"&question_id={_hidden(step, 'question_id')}&action=dont_know"
        )
        status, _, page = second.request("POST", "/check/step", fields.encode(), form)
    finally:
        second.stop()
    assert status == 200, page[:300]
    assert b"could not be read" not in page


def _hidden(page: bytes, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"'.encode(), page)
    assert match, name
    from urllib.parse import quote

    return quote(match.group(1).decode(), safe="")
