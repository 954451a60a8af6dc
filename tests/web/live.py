"""A real `crampwise serve` process on loopback, and raw HTTP to it.

The server runs as its own process (never in the test process: `serve` freezes the garbage
collector), on a temporary diary and key folder. Its output is collected line by line so tests
can check what it printed (no traceback, no access log).
"""

from __future__ import annotations

import http.client
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SERVE = [sys.executable, "-c", "from crampwise.cli import main; main()", "serve"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CRAMPWISE_DATABASE_URL"] = f"sqlite:///{folder / 'diary.sqlite3'}"
    env["CRAMPWISE_DATA_DIR"] = str(folder / "data")
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class LiveServer:
    proc: subprocess.Popen[str]
    port: int
    host: str = "127.0.0.1"
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def memory_mb(self) -> dict[str, float]:
        """VmRSS (now) and VmHWM (peak so far) of the server process, in MB."""
        found: dict[str, float] = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
        return found

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            name = f"[{self.host}]" if ":" in self.host else self.host
            all_headers = {"Host": f"{name}:{self.port}", **(headers or {})}
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            got = {k.lower(): v for k, v in response.getheaders()}
            return response.status, got, response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.reader is not None:
            self.reader.join(timeout=10)  # it ends with the process's output
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def launch(
    port: int, args: Sequence[str], env: dict[str, str], host: str = "127.0.0.1"
) -> tuple[LiveServer, threading.Event]:
    """Start `crampwise serve --port PORT ARGS` without waiting: the event is set once it
    says it is running (or its output ended)."""
    proc = subprocess.Popen(
        [*SERVE, "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = LiveServer(proc, port, host)
    ready = threading.Event()

    def collect() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            server.lines.append(line.rstrip("\n"))
            if "is running at" in line:
                ready.set()
        ready.set()  # the process ended

    server.reader = threading.Thread(target=collect, daemon=True)
    server.reader.start()
    return server, ready


def wait_until_running(server: LiveServer, ready: threading.Event, seconds: float = 30) -> None:
    if not ready.wait(seconds) or server.proc.poll() is not None:
        server.stop()
        raise AssertionError(f"serve did not start:\n{server.output}")


def start_serve(
    folder: Path,
    port: int | None = None,
    host: str = "127.0.0.1",
    extra_env: dict[str, str] | None = None,
) -> LiveServer:
    """Start `crampwise serve` and return once it says it is running (or fail with its output)."""
    server, ready = launch(
        port or free_port(),
        ["--host", host],
        {**serve_env(folder), **(extra_env or {})},
        "127.0.0.1" if host == "localhost" else host,
    )
    wait_until_running(server, ready)
    return server


@dataclass
class Streamed:
    status: int | None
    sent: int
    response: bytes


def stream_body(
    port: int,
    path: str,
    total: int,
    content_type: str = "application/json",
    chunked: bool = True,
    prefix: bytes = b"",
    chunk: int = 64 * 1024,
) -> Streamed:
    """POST ``prefix`` and then spaces, ``total`` bytes in all, chunked or with a
    Content-Length, generated as they are sent.

    Stops sending as soon as the server answers (or closes), and returns what it answered.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: {content_type}\r\n{framing}\r\n\r\n"
    )
    received = b""
    sent = 0
    try:
        sock.sendall(head.encode())
        for piece in _pieces(prefix, total, chunk):
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered before the body was complete
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: read what it said before it did
    received = _read_response(sock)
    sock.close()
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else None
    return Streamed(status, sent, received)


def _pieces(prefix: bytes, total: int, size: int) -> Iterator[bytes]:
    if prefix:
        yield prefix
    piece = b" " * size
    for start in range(len(prefix), total, size):
        yield piece if start + size <= total else piece[: total - start]


def _read_response(sock: socket.socket) -> bytes:
    received = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            data = sock.recv(65536)
        except OSError:
            break
        if not data:
            break
        received += data
        if b"\r\n\r\n" in received:
            head, _, body = received.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                None,
            )
            if length is not None and len(body) >= length:
                break
    return received
