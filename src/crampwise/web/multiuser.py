"""``crampwise serve --multi-user``: its settings, and the app factory every worker calls.

Settings come from environment variables, or from a TOML file (``--config FILE`` or
``CRAMPWISE_CONFIG``) whose keys are the lower-case names below without the prefix
(``database_url = "postgresql+psycopg://…"``); a variable overrides the file. Every worker
reads the same settings, so no worker holds anything the others need: sessions and tokens
are in PostgreSQL, failed-login counters in Redis or PostgreSQL, and the secret key signing
the CSRF tokens and the interview state is the shared ``CRAMPWISE_SECRET_KEY``.

A setting that cannot work is one sentence and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampwise.errors import DatabaseSettingsError, FieldProblem, InvalidInputError
from crampwise.web.guard import LOOPBACK_ADDRESSES, LOOPBACK_NAMES

if TYPE_CHECKING:
    from fastapi import FastAPI

    from crampwise.web.app import WebSettings

CONFIG_VAR = "CRAMPWISE_CONFIG"
MIN_SECRET = 32
MAX_WORKERS = 64


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    """The config file's key; the variable is CRAMPWISE_ + KEY in capitals."""
    help: str
    example: str

    @property
    def env(self) -> str:
        return "CRAMPWISE_" + self.key.upper()


SETTINGS = (
    Setting(
        "database_url",
        "PostgreSQL URL of the app role the workers connect as (neither superuser nor "
        "table owner, so row-level security binds it). Required.",
        "postgresql+psycopg://crampwise_app:PASSWORD@127.0.0.1/crampwise",
    ),
    Setting(
        "admin_database_url",
        "PostgreSQL URL of the tables' owner, used once at start to migrate the schema and "
        "create the app role with its grants. Optional once the database is prepared.",
        "postgresql+psycopg://postgres@127.0.0.1/crampwise",
    ),
    Setting(
        "secret_key",
        f"At least {MIN_SECRET} characters, the same for every worker and machine: signs "
        "the CSRF tokens and the interview state. Required.",
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
    ),
    Setting(
        "allowed_hosts",
        "Comma-separated host names the server answers for (the Host header). Defaults to "
        "127.0.0.1, localhost and [::1] on a loopback address; required for any other.",
        "cramps.example.org",
    ),
    Setting(
        "trusted_proxies",
        "Comma-separated addresses (or networks) of reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto headers are believed. Default: none.",
        "127.0.0.1",
    ),
    Setting(
        "redis_url",
        "Redis URL for the failed-login counters; without it they are kept in PostgreSQL.",
        "redis://127.0.0.1:6379/0",
    ),
    Setting(
        "workers",
        f"Number of worker processes (1 to {MAX_WORKERS}); --workers overrides it. Default 1.",
        "4",
    ),
)
_KEYS = {s.key for s in SETTINGS}


@dataclass(frozen=True)
class MultiUserSettings:
    """Everything multi-user mode reads from outside, checked."""

    database_url: str = field(repr=False)
    secret_key: bytes = field(repr=False)
    allowed_hosts: tuple[str, ...]
    admin_database_url: str | None = field(default=None, repr=False)
    trusted_proxies: tuple[str, ...] = ()
    redis_url: str | None = field(default=None, repr=False)
    workers: int = 1

    def web_settings(self) -> WebSettings:
        from crampwise.web.app import WebSettings

        return WebSettings(
            database_url=self.database_url,
            secret_key=self.secret_key,
            allowed_hosts=self.allowed_hosts,
            multi_user=True,
            redis_url=self.redis_url,
            trusted_proxies=self.trusted_proxies,
        )


def read_settings(
    env: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    *,
    bind: str | None = None,
    workers: int | None = None,
) -> MultiUserSettings:
    """The settings from ``config_file`` (else the file ``CRAMPWISE_CONFIG`` names), then the
    environment. ``bind`` is the address the server listens on: off loopback, the allowed
    hosts must be set. ``workers`` (the command's option) wins over both."""
    env = os.environ if env is None else env
    raw: dict[str, str] = {}
    path = config_file or (Path(env[CONFIG_VAR]) if env.get(CONFIG_VAR, "").strip() else None)
    if path is not None:
        raw.update(_read_config(path))
    for s in SETTINGS:
        value = env.get(s.env, "").strip()
        if value:
            raw[s.key] = value
    hosts = _split(raw.get("allowed_hosts", ""))
    if not hosts:
        if bind is not None and bind not in LOOPBACK_ADDRESSES:
            raise InvalidInputError(
                f"refusing to listen on {bind!r} without CRAMPWISE_ALLOWED_HOSTS: set it to "
                "the host names people use to reach this server (comma-separated)."
            )
        hosts = LOOPBACK_NAMES
    return MultiUserSettings(
        database_url=_postgres_url(raw.get("database_url"), "database_url"),
        admin_database_url=(
            _postgres_url(raw["admin_database_url"], "admin_database_url")
            if raw.get("admin_database_url")
            else None
        ),
        secret_key=_secret(raw.get("secret_key")),
        allowed_hosts=hosts,
        trusted_proxies=_split(raw.get("trusted_proxies", "")),
        redis_url=_redis_url(raw.get("redis_url")),
        workers=workers if workers is not None else _workers(raw.get("workers")),
    )


def _read_config(path: Path) -> dict[str, str]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInputError(f"{path}: cannot be read as TOML ({exc})") from None
    problems = [
        FieldProblem(key, f"is not a setting; the settings are {', '.join(sorted(_KEYS))}")
        for key in data
        if key not in _KEYS
    ]
    if problems:
        raise InvalidInputError(f"{path}: unknown settings", problems)
    return {key: _text(key, value, path) for key, value in data.items()}


def _text(key: str, value: Any, path: Path) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)  # allowed_hosts = ["a", "b"] as well as "a,b"
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInputError(f"{path}: {key} must be text (or a list of texts)")
    return str(value)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def _postgres_url(value: str | None, key: str) -> str:
    from crampwise.storage.database import require_postgres

    name = "CRAMPWISE_" + key.upper()
    if not value:
        raise DatabaseSettingsError(
            f"{name} is not set: multi-user mode needs a PostgreSQL URL such as "
            "postgresql+psycopg://crampwise_app:PASSWORD@127.0.0.1/crampwise."
        )
    require_postgres(value, name)
    return value


def _secret(value: str | None) -> bytes:
    if not value:
        raise InvalidInputError(
            f"CRAMPWISE_SECRET_KEY is not set: give every worker the same random text of at "
            f"least {MIN_SECRET} characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')."
        )
    if len(value) < MIN_SECRET:
        raise InvalidInputError(
            f"CRAMPWISE_SECRET_KEY is too short ({len(value)} characters): use random text "
            f"of at least {MIN_SECRET}."
        )
    return value.encode("utf-8")


def _redis_url(value: str | None) -> str | None:
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise InvalidInputError(
            "CRAMPWISE_REDIS_URL must start with redis://, rediss:// or unix:// "
            "(e.g. redis://127.0.0.1:6379/0)."
        )
    return value


def _workers(value: str | None) -> int:
    if not value:
        return 1
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_WORKERS:
        raise InvalidInputError(
            f"CRAMPWISE_WORKERS must be a whole number from 1 to {MAX_WORKERS}, not {value!r}."
        )
    return number


def check_services(settings: MultiUserSettings) -> None:
    """Once, in the parent process before any worker starts: migrate and provision the
    database (with the admin URL), check the app role, and reach Redis. Fails fast with the
    setting's own message."""
    from crampwise.storage.roles import open_service_store
    from crampwise.web.insights_cache import size_from_env

    size_from_env()  # read by each worker on first use: a bad value must stop the start here
    open_service_store(settings.database_url, settings.admin_database_url).close()
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5)
        try:
            client.ping()
        except redis.RedisError as exc:
            raise InvalidInputError(
                f"CRAMPWISE_REDIS_URL: Redis does not answer ({exc}); start it or fix the URL."
            ) from None
        finally:
            client.close()


WARM_MODULES = ("crampwise.analysis.insights", "crampwise.diary.factors")
"""Loaded on demand elsewhere (the CLI starts fast without them), but a worker serves for
hours: it loads them before its first request, which would otherwise wait for the
statistics stack (about 0.2 s alone, several times that on a busy machine: the load
test's first insights requests)."""


def warm_up() -> None:
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)


def create_multiuser_app() -> FastAPI:
    """The app of one worker, from the environment (uvicorn calls it: ``factory=True``, in
    a process that serves; tests build ``create_app(settings.web_settings())`` instead)."""
    import gc
    from contextlib import asynccontextmanager

    from crampwise.web.app import create_app

    app = create_app(read_settings().web_settings())
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[None]:
        async with started(served):  # create_app's lifespan: it keeps no state
            warm_up()
            # As `crampwise serve` does: what is loaded by now lives as long as the worker,
            # so it leaves the collector's reach and full collections stay short under load.
            gc.collect()
            gc.freeze()
            yield

    app.router.lifespan_context = lifespan
    return app
