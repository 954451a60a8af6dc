"""crampwise serve: the web app and JSON API on this computer only."""

from __future__ import annotations

import sys

import click

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
        click.echo(
            f"Error: refusing to listen on {host!r}: crampwise serves one person's health diary "
            f"without a login, so it only listens on this computer. Use --host 127.0.0.1, "
            f"localhost or ::1.",
            err=True,
        )
        sys.exit(2)
    # 'localhost' could resolve to another address; bind the loopback address itself.
    bind = "127.0.0.1" if host == "localhost" else host
    import uvicorn  # web stack imported only here, so the rest of the CLI starts fast

    from crampwise.web.app import WebSettings, create_app

    app = create_app(WebSettings(database_url=database_url))
    # Everything loaded so far (framework, knowledge base) lives as long as the server: move it
    # out of the collector's reach so full collections stay short under load.
    import gc

    gc.collect()
    gc.freeze()
    shown = f"[{bind}]" if ":" in bind else bind
    click.echo(f"crampwise is running at http://{shown}:{port}/ — press Ctrl+C to stop.")
    # access_log off: paths and timings are nobody's business, and never hold health data.
    uvicorn.run(app, host=bind, port=port, access_log=False, log_level="warning")
