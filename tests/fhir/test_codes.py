"""codes.yaml: every code with its system, display and source; the loader refuses a broken
file, naming the field, and a diary word without a code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crampwise.errors import KnowledgeError
from crampwise.fhir.codes import load_codes

PACKAGED = Path(__file__).resolve().parents[2] / "src/crampwise/fhir/data/codes.yaml"


def test_every_code_has_a_display_and_a_source_unless_it_is_ours() -> None:
    codes = load_codes()
    for concept in codes.concepts.values():
        assert concept.display and concept.code
        if concept.checked == "defined_here":
            assert codes.systems[concept.system].defined_here
        else:
            assert concept.source in codes.references
    assert codes.coding("cramp") == {
        "system": "http://snomed.info/sct",
        "code": "55300003",
        "display": "Cramp",
    }
    assert codes.coding("symptom_code")["code"] == "75325-1"
    assert codes.coding("severity_rating")["code"] == "72514-3"


def _broken(tmp_path: Path, change: object) -> Path:
    raw = yaml.safe_load(PACKAGED.read_text())
    change(raw)  # type: ignore[operator]
    path = tmp_path / "codes.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda r: r["concepts"][0].__setitem__("colour", "red"),
            "codes.yaml: concepts.0.colour",
            "Extra inputs",
        ),
        (
            lambda r: r["concepts"].__setitem__(
                slice(None), [c for c in r["concepts"] if c["id"] != "site.calf"]
            ),
            "codes.yaml: concepts",
            "no code for 'site.calf'",
        ),
        (
            lambda r: r["concepts"][0].__setitem__("source", "nowhere"),
            "codes.yaml: concepts[symptom_category].source",
            "unknown reference",
        ),
        (lambda r: r["concepts"][0].pop("source"), "codes.yaml: concepts.0", "names its source"),
        (lambda r: r["units"].pop("water_litres"), "codes.yaml: units", "water_litres"),
    ],
)
def test_a_broken_codes_file_is_refused(
    tmp_path: Path, change: object, field: str, message: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_codes(_broken(tmp_path, change))
    assert any(p.field.startswith(field) and message in p.message for p in caught.value.problems), [
        p.render() for p in caught.value.problems
    ]
