"""A demo diary (made by `crampwise demo`) with one saved check, shared read-only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi import FastAPI

from crampwise.cli import main
from crampwise.diary.store import open_store
from crampwise.engine.assess import assess
from crampwise.engine.result import Assessment
from crampwise.knowledge import KnowledgeBase
from crampwise.web.app import WebSettings, create_app
from tests.web.helpers import TEST_HOST, TestClient

DEMO_DAYS = 120
CASE: dict[str, Any] = {
    "format": "crampwise-case/1",
    "age": 67,
    "sex": "male",
    "findings": {
        "site_calf": True,
        "timing_night": True,
        "timing_walking": True,
        "walking_same_distance": True,
        "smoker": True,
        "med_statin": True,
        "diabetes": False,
    },
}


@dataclass(frozen=True)
class Demo:
    url: str
    result: Assessment


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Demo:
    from crampwise.case.parse import parse_case

    url = f"sqlite:///{tmp_path_factory.mktemp('report-demo') / 'diary.sqlite3'}"
    made = CliRunner().invoke(
        main, ["demo", "--days", str(DEMO_DAYS), "--seed", "7"], env={"CRAMPWISE_DATABASE_URL": url}
    )
    assert made.exit_code == 0, made.output
    result = assess(parse_case(CASE, kb), kb)
    with open_store(url) as store:
        store.save_assessment(CASE, result.to_dict(), result.knowledge_version)
    return Demo(url, result)


@pytest.fixture
def demo_env(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> Demo:
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", demo.url)
    return demo


@pytest.fixture
def no_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `import weasyprint` fail, as on a machine without it."""
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)


def _app(url: str, tmp_path: Path) -> FastAPI:
    settings = WebSettings(database_url=url, allowed_hosts=(TEST_HOST,), data_dir=tmp_path / "data")
    return create_app(settings)


@pytest.fixture
def demo_client(demo: Demo, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(_app(demo.url, tmp_path), raise_server_exceptions=True) as client:
        yield client


@pytest.fixture
def empty_client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with TestClient(_app(url, tmp_path), raise_server_exceptions=True) as client:
        yield client
