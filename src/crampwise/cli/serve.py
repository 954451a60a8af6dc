"""crampwise serve: the web app and JSON API on this computer only; or, with --multi-user,
a service with accounts on PostgreSQL, served by several workers (web/multiuser.py)."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crampwise.errors import InvalidInputError, ServeError
from crampwise.web.guard import LOOPBACK_ADDRESSES

if TYPE_CHECKING:
    from fastapi import FastAPI

    from crampwise.web.multiuser import MultiUserSettings


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
    help="Address to listen on: only 127.0.0.1, localhost or ::1 (this computer); with "
    "--multi-user any address, once CRAMPWISE_ALLOWED_HOSTS is set.",
)
@click.option(
    "--database",
    "database_url",
    default=None,
    metavar="URL",
    help="Diary database URL (default: CRAMPWISE_DATABASE_URL or your SQLite diary). "
    "Not with --multi-user, which reads CRAMPWISE_DATABASE_URL.",
)
@click.option(
    "--multi-user",
    is_flag=True,
    help="Serve many people, each with an account and their own diary, on PostgreSQL "
    "(settings from CRAMPWISE_* variables or --config; see the README).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="With --multi-user: number of worker processes (default: CRAMPWISE_WORKERS or 1).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="With --multi-user: a TOML file of settings (default: CRAMPWISE_CONFIG); "
    "environment variables override it.",
)
def serve(
    port: int,
    host: str,
    database_url: str | None,
    multi_user: bool,
    workers: int | None,
    config_file: Path | None,
) -> None:
    """Open crampwise in your browser at http://127.0.0.1:PORT (this computer only), or
    with --multi-user serve it to many people with accounts."""
    if multi_user:
        if database_url is not None:
            raise InvalidInputError(
                "--database is for the single-user diary: with --multi-user set "
                "CRAMPWISE_DATABASE_URL (or database_url in --config) instead."
            )
        serve_multi_user(host, port, workers, config_file)
        return
    if workers is not None or config_file is not None:
        option = "--workers" if workers is not None else "--config"
        raise InvalidInputError(
            f"{option} goes with --multi-user: the single-user app runs as one process "
            "with no settings file."
        )
    # Single-user mode: the diary holds health data and has no login: only loopback listens.
    if host not in LOOPBACK_ADDRESSES:
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


def serve_multi_user(host: str, port: int, workers: int | None, config_file: Path | None) -> None:
    """Check every setting and the database once, here, before any worker starts."""
    from crampwise.web.multiuser import CONFIG_VAR, check_services, read_settings

    bind = "127.0.0.1" if host == "localhost" else host
    settings = read_settings(config_file=config_file, bind=host, workers=workers)
    sock = listen(bind, port)
    try:
        check_services(settings)
    except BaseException:
        sock.close()
        raise
    # The workers read the same settings: the file this command was given, and the hosts.
    if config_file is not None:
        os.environ[CONFIG_VAR] = str(config_file.resolve())
    os.environ["CRAMPWISE_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
    shown = f"[{bind}]" if ":" in bind else bind
    run_workers(settings, sock, f"http://{shown}:{port}/")


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


APP_FACTORY = "crampwise.web.multiuser:create_multiuser_app"


def run_workers(settings: MultiUserSettings, sock: socket.socket, url: str) -> None:
    """Serve with ``settings.workers`` uvicorn worker processes sharing ``sock``; say so once
    every worker answers."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    n = settings.workers
    workers = f"{n} worker{'s' if n > 1 else ''}"
    said = f"crampwise (multi-user, {workers}) is running at {url} — press Ctrl+C to stop."
    # proxy_headers off: the app applies X-Forwarded-* itself, from CRAMPWISE_TRUSTED_PROXIES
    # (web/app.py), so the same rule holds in tests and behind every server.
    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        workers=n,
        access_log=False,
        log_level="warning",
        proxy_headers=False,
    )

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                click.echo(said)

    class Workers(Multiprocess):
        def init_processes(self) -> None:
            super().init_processes()
            # Every worker has loaded the app and listens: only now is "running" true.
            if all(p.wait_until_ready(60, self.should_exit) for p in self.processes):
                click.echo(said)

    if n == 1:
        Server(config).run(sockets=[sock])
    else:
        Workers(config, sockets=[sock]).run()
