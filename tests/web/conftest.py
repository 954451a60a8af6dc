from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from crampwise.web.app import WebSettings, create_app
from tests.web.helpers import TEST_HOST, TestClient


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'diary.sqlite3'}"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> WebSettings:
    # The test client sends "Host: testserver"; serve allows only loopback names and its port.
    return WebSettings(database_url=db_url, allowed_hosts=(TEST_HOST,), data_dir=tmp_path / "data")


@pytest.fixture
def app(settings: WebSettings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # The context manager runs the lifespan, so the diary is closed after each test.
    with TestClient(app, raise_server_exceptions=True) as c:
        yield c
