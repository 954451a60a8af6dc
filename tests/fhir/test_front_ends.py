"""FHIR through every front end: `crampwise export --format fhir`, `crampwise import`, the API's
export, the Export and import page (its link and its upload), and start-up without
fhir.resources."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.diary.store import open_store
from crampwise.web.app import WebSettings, create_app
from tests.web.helpers import TEST_HOST, TestClient, hidden

Records = tuple[list[Episode], list[DayFactors], list[SavedAssessment]]


@pytest.fixture
def diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, records: Records) -> str:
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    with open_store(url) as store:
        store.add_episodes(records[0])
        store.set_days(records[1])
        store.add_assessments(records[2])
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", url)
    return url


def test_cli_export_then_import_into_another_diary(
    diary: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "bundle.json"
    result = CliRunner().invoke(main, ["export", "--format", "fhir", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Exported 3 episodes, 3 days and 2 assessments as a FHIR bundle" in result.output
    bundle = json.loads(out.read_text())
    assert bundle["resourceType"] == "Bundle"
    monkeypatch.setenv("CRAMPWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'target.sqlite3'}")
    result = CliRunner().invoke(main, ["import", str(out)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 episodes, 3 days and 2 assessments from bundle.json" in result.output
    again = CliRunner().invoke(main, ["import", str(out)])
    assert "were already in your diary and were skipped" in again.output


def test_cli_export_to_stdout(diary: str) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "fhir"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "collection"


@pytest.fixture
def client(diary: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = WebSettings(
        database_url=diary, allowed_hosts=(TEST_HOST,), data_dir=tmp_path / "data"
    )
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.mark.slow
def test_api_export_is_fhir_json(client: TestClient) -> None:
    response = client.get("/api/v1/export?format=fhir")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    bundle: dict[str, Any] = response.json()
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("RiskAssessment") == 2 and kinds[0] == "Patient"
    schema = client.get("/openapi.json").json()["paths"]["/api/v1/export"]["get"]
    assert "application/fhir+json" in schema["responses"]["200"]["content"]
    assert "fhir" in json.dumps(schema["parameters"])


@pytest.mark.slow
def test_the_page_offers_fhir_and_imports_it(client: TestClient, tmp_path: Path) -> None:
    page = client.get("/transfer").text
    assert 'href="/api/v1/export?format=fhir"' in page
    body = client.get("/api/v1/export?format=fhir").content
    settings = WebSettings(
        database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}",
        allowed_hosts=(TEST_HOST,),
        data_dir=tmp_path / "data2",
    )
    with TestClient(create_app(settings)) as other:
        token = hidden(other.get("/transfer").text, "csrf_token")
        done = other.post(
            "/transfer/import",
            data={"csrf_token": token},
            files={"file": ("health-record.json", body, "application/fhir+json")},
        )
        assert done.status_code == 200, done.text
        assert "Imported 3 cramps, 3 days and 2 saved checks" in done.text
        broken = json.loads(body)
        cramp = next(e for e in broken["entry"] if "bodySite" in e["resource"])
        cramp["resource"]["component"][0]["valueInteger"] = 16
        bad = json.dumps(broken).encode()
        refused = other.post(
            "/transfer/import",
            data={"csrf_token": token},
            files={"file": ("bad.json", bad, "application/json")},
        )
        assert refused.status_code == 422
        assert "component[0].valueInteger" in refused.text and "0 to 10, got 16" in refused.text


@pytest.mark.parametrize(
    "args", [["--help"], ["log", "--help"], ["export", "--help"], ["import", "--help"]]
)
def test_start_up_does_not_load_fhir_resources(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from crampwise.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('LOADED=' + str('fhir.resources' in sys.modules or 'fhir_core' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "LOADED=False"
