"""The web app factory: ``create_app(settings)`` builds the HTML site and the JSON API.

Tests pass a ``WebSettings`` with a temporary database URL; ``crampwise serve`` passes the
defaults (the user's SQLite diary).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.web.errors import install_error_handlers
from crampwise.web.security import SecurityHeadersMiddleware, Signer

if TYPE_CHECKING:
    from crampwise.diary.store import DiaryStore


@dataclass(frozen=True)
class WebSettings:
    """What the app needs from outside. Every field has a safe default."""

    database_url: str | None = None
    """SQLAlchemy URL of the diary; None = CRAMPWISE_DATABASE_URL or the user's SQLite file."""
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    """Signs the interview state in hidden fields. A new key per start is enough: an
    interview left open across a restart simply has to start again."""
    knowledge: KnowledgeBase | None = None
    """The knowledge base; None = the packaged one."""


class AppState:
    """What every view may use: settings, knowledge, the signer and the (lazily opened) diary."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.kb = settings.knowledge or load_knowledge()
        self.signer = Signer(settings.secret_key)
        self._store: DiaryStore | None = None
        self._lock = threading.Lock()

    def store(self) -> DiaryStore:
        # Opened on first use so pages that do not touch the diary never need the database.
        with self._lock:
            if self._store is None:
                from crampwise.diary.store import open_store

                self._store = open_store(self.settings.database_url)
            return self._store

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
    app.add_middleware(SecurityHeadersMiddleware)
    static_dir = resources.files("crampwise.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    from crampwise.web.api import routers as api_routers
    from crampwise.web.views import routers as view_routers

    for router in (*api_routers(state.kb), *view_routers()):
        app.include_router(router)
    return app
