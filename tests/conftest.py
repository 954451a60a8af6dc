from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crampwise.knowledge import KnowledgeBase, load_knowledge

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PUBLIC_VIGNETTES = SHARED / "vignettes" / "public.jsonl"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def public_vignettes() -> Path:
    if not PUBLIC_VIGNETTES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the public vignettes are missing at {PUBLIC_VIGNETTES}")
        pytest.skip(f"shared/ is not beside the checkout ({PUBLIC_VIGNETTES} missing)")
    return PUBLIC_VIGNETTES


@pytest.fixture(scope="session")
def public_cases(public_vignettes: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in public_vignettes.read_text().splitlines() if line]


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No test may touch the user's real diary: point the default database at a temp dir.
    if "CRAMPWISE_DATABASE_URL" not in os.environ:
        db = tmp_path_factory.mktemp("data") / "diary.sqlite3"
        monkeypatch.setenv("CRAMPWISE_DATABASE_URL", f"sqlite:///{db}")
    # Nor the user's data folder, where the web app keeps its signing key.
    monkeypatch.setenv("CRAMPWISE_DATA_DIR", str(tmp_path_factory.mktemp("data-dir")))
