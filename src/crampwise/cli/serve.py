"""crampwise serve: the web app and JSON API on this computer only."""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING

import click

from crampwise.errors import InvalidInputError, ServeError

if TYPE_CHECKING:
    from fastapi import FastAPI

# Single-user mode: the diary holds health data and has no login, so only loopback may listen.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="TCP port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: only 127.0.0.1, localhost or ::1 (this computer).",
)
@click.option(
    "--database",
    "database_url",
    default=None,
    metavar="URL",
    help="Diary database URL (default: CRAMPWISE_DATABASE_URL or your SQLite diary).",
)
def serve(port: int, host: str, database_url: str | None) -> None:
    """Open crampwise in your browser at http://127.0.0.1:PORT (this computer only)."""
    if host not in LOOPBACK_HOSTS:
        raise InvalidInputError(
            f"refusing to listen on {host!r}: crampwise serves one person's health diary "
            f"without a login, so it only listens on this computer. Use --host 127.0.0.1, "
            f"localhost or ::1."
        )
    # 'localhost' could resolve to another address; bind the loopback address itself.
    bind = "127.0.0.1" if host == "localhost" else host
    sock = listen(bind, port)  # before the slow imports, so a busy port fails at once
    from crampwise.web.app import WebSettings, create_app
    from crampwise.web.guard import loopback_hosts

    settings = WebSettings(database_url=database_url, allowed_hosts=loopback_hosts(port))
    shown = f"[{bind}]" if ":" in bind else bind
    run(create_app(settings), sock, f"http://{shown}:{port}/")


def listen(address: str, port: int) -> socket.socket:
    """A listening socket on address:port, or a ServeError in one sentence."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it Nagle's algorithm stalls every keep-alive response by ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        # Like uvicorn: a restart may reuse the port while old connections wind down.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        where = f"[{address}]:{port}" if family == socket.AF_INET6 else f"{address}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"cannot listen on {where}: another program is already using port {port}; "
                "stop it or choose another port with --port."
            ) from None
        raise ServeError(f"cannot listen on {where}: {exc.strerror or exc}.") from None
    return sock


def run(app: FastAPI, sock: socket.socket, url: str) -> None:
    """Serve until Ctrl+C; say so only once the app has started and the port answers."""
    import gc

    import uvicorn  # the web stack is imported only here, so the rest of the CLI starts fast

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                # Everything loaded by now (framework, knowledge base) lives as long as the
                # server: move it out of the collector's reach so full collections stay short
                # under load. Only here, in a process that really serves.
                gc.collect()
                gc.freeze()
                click.echo(f"crampwise is running at {url} — press Ctrl+C to stop.")

    # access_log off: paths and timings are nobody's business, and never hold health data.
    config = uvicorn.Config(app, access_log=False, log_level="warning")
    Server(config).run(sockets=[sock])
