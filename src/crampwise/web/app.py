"""The web app factory: ``create_app(settings)`` builds the HTML site and the JSON API.

Tests pass a ``WebSettings`` with a temporary database URL and the test client's host;
``crampwise serve`` passes the loopback names with its port (and the user's diary).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

from crampwise.datadir import user_data_dir
from crampwise.errors import UnauthorizedError
from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.web.errors import install_error_handlers
from crampwise.web.guard import (
    LOCAL_REFUSAL,
    LOOPBACK_NAMES,
    SERVICE_REFUSAL,
    HostGuardMiddleware,
)
from crampwise.web.keys import derive, installation_key
from crampwise.web.limits import BodyLimitMiddleware
from crampwise.web.security import CsrfTokens, SecurityHeadersMiddleware, Signer

if TYPE_CHECKING:
    from crampwise.accounts import Accounts
    from crampwise.cds.auth import ReplayGuard
    from crampwise.cds.clients import CdsClient
    from crampwise.diary.store import DiaryStore


@dataclass(frozen=True)
class WebSettings:
    """What the app needs from outside. Every field has a safe default."""

    database_url: str | None = None
    """SQLAlchemy URL of the diary; None = CRAMPWISE_DATABASE_URL or the user's SQLite file."""
    secret_key: bytes | None = field(default=None, repr=False)
    """Signs the interview state in hidden fields and the CSRF tokens; None = the
    per-installation key in ``data_dir`` (created on first use), so both survive a restart."""
    data_dir: Path | None = None
    """Folder of the key file; None = CRAMPWISE_DATA_DIR or the user's data folder."""
    allowed_hosts: tuple[str, ...] = LOOPBACK_NAMES
    """Host header values answered: ``name:port``, or a bare name for any port. Anything
    else is refused (DNS rebinding). ``crampwise serve`` passes the loopback names with its
    port; tests pass the test client's host."""
    max_body: int = 1_000_000
    """Largest request body in bytes (a case or a diary entry is a few kilobytes)."""
    max_import_body: int = 21_000_000
    """Largest body of the import form (a 20 MB file and the form around it)."""
    knowledge: KnowledgeBase | None = None
    """The knowledge base; None = the packaged one."""
    today: Callable[[], date] = date.today
    """Today's date, for what depends on it (tests fix it to make answers reproducible)."""
    cds_clients_file: Path | None = None
    """The CDS clients trusted to call the CDS Hooks service (``crampwise.cds.clients``);
    None = the file ``CRAMPWISE_CDS_CLIENTS`` names, or no client at all."""
    multi_user: bool = False
    """``crampwise serve --multi-user``: accounts, every request's diary is the caller's
    (``database_url`` is then a PostgreSQL URL of the app role; see web/multiuser.py)."""
    redis_url: str | None = field(default=None, repr=False)
    """Multi-user: failed-login counters in this Redis; None = in the database."""
    trusted_proxies: tuple[str, ...] = ()
    """Multi-user: reverse proxies whose X-Forwarded-For and -Proto headers are believed."""


CALLER: ContextVar[int | None] = ContextVar("crampwise_caller", default=None)
"""Multi-user: the account the current request acts for, set by ``web/auth.py`` once the
request's session or bearer token checked out (None: nobody)."""


IMPORT_PATH = "/transfer/import"


class AppState:
    """What every view may use: settings, knowledge, the signer and the (lazily opened) diary."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.kb = settings.knowledge or load_knowledge()
        self._store: DiaryStore | None = None
        self._lock = threading.Lock()

    @cached_property
    def _key(self) -> bytes:
        # Read (or created) on first use, so building an app touches no file.
        if self.settings.secret_key is not None:
            return self.settings.secret_key
        return installation_key(self.settings.data_dir or user_data_dir())

    @cached_property
    def signer(self) -> Signer:
        return Signer(derive(self._key, "interview-state"))

    @cached_property
    def csrf(self) -> CsrfTokens:
        return CsrfTokens(derive(self._key, "csrf-token"))

    @cached_property
    def cds_clients(self) -> dict[str, CdsClient]:
        from crampwise.cds.clients import load_clients

        return load_clients(self.settings.cds_clients_file)

    @cached_property
    def cds_replays(self) -> ReplayGuard:
        from crampwise.cds.auth import ReplayGuard

        return ReplayGuard()

    def base_store(self) -> DiaryStore:
        """The diary database as opened: local, the one diary; multi-user, unscoped (for the
        accounts tables only: any diary row read through it is refused)."""
        # Opened on first use so pages that do not touch the diary never need the database.
        with self._lock:
            if self._store is None:
                if self.settings.multi_user:
                    from crampwise.storage.roles import open_service_store

                    assert self.settings.database_url is not None
                    self._store = open_service_store(self.settings.database_url)
                else:
                    from crampwise.diary.store import open_store

                    self._store = open_store(self.settings.database_url)
            return self._store

    def store(self) -> DiaryStore:
        """The diary of this request: THE one place a request's diary is chosen. Local mode:
        the one diary. Multi-user: the caller's rows only; no caller is a 401 (fail closed)."""
        base = self.base_store()
        if not self.settings.multi_user:
            return base
        account = CALLER.get()
        if account is None:
            raise UnauthorizedError("log in first: this needs an account")
        return base.for_owner(account)

    @cached_property
    def accounts(self) -> Accounts:
        """Multi-user: the account service, on the shared database and counters."""
        from crampwise.accounts import Accounts, DatabaseCounter, FailureCounter, RedisCounter

        base = self.base_store()
        with self._lock:
            url = self.settings.redis_url
            counter: FailureCounter = RedisCounter(url) if url else DatabaseCounter(base)
            return Accounts(base, counter)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def app_state(request: Request) -> AppState:
    state = request.app.state.crampwise
    assert isinstance(state, AppState)
    return state


def create_app(settings: WebSettings | None = None) -> FastAPI:
    state = AppState(settings or WebSettings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="crampwise",
        version=state.kb.version,
        summary="Understand, track and test what helps your toe, foot and leg cramps.",
        description=(
            "A local JSON API: assess a case (crampwise-case/1), run the adaptive interview "
            "statelessly, and keep a cramp diary. Guidance, not a diagnosis."
        ),
        docs_url=None,  # the Swagger UI loads from a CDN; the OpenAPI document is enough
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.crampwise = state
    install_error_handlers(app)
    # Added innermost first: headers wrap everything, then the Host/Origin guard, then limits
    # (multi-user: then who is asking, innermost, so a refused Host never reaches the database).
    cfg = state.settings
    limits = {IMPORT_PATH: cfg.max_import_body}
    if cfg.multi_user:
        from crampwise.web.auth import AuthMiddleware

        app.add_middleware(AuthMiddleware, state=state)
    app.add_middleware(BodyLimitMiddleware, max_body=cfg.max_body, per_path=limits)
    refusal = SERVICE_REFUSAL if cfg.multi_user else LOCAL_REFUSAL
    app.add_middleware(HostGuardMiddleware, allowed_hosts=cfg.allowed_hosts, refusal=refusal)
    app.add_middleware(SecurityHeadersMiddleware)
    if cfg.multi_user:
        # Outermost: the client's address and scheme as the trusted proxy saw them, for the
        # per-address login limit and the Secure cookie flag (uvicorn's own middleware, run
        # here rather than by the server so in-process tests exercise it too).
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(cfg.trusted_proxies))
    static_dir = resources.files("crampwise.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    from crampwise.web.api import routers as api_routers
    from crampwise.web.views import routers as view_routers

    multi = cfg.multi_user
    for router in (*api_routers(state.kb, multi), *view_routers(multi)):
        app.include_router(router)
    if multi:
        from crampwise.web.auth import finish_app

        finish_app(app)
    return app
