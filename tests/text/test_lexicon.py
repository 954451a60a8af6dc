"""lexicon.yaml and context_rules.yaml: validated, complete, and errors that name the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from crampwise.errors import KnowledgeError
from crampwise.knowledge import KnowledgeBase
from crampwise.text.lexicon import _data_dir, _load_files, check_against, load_reader_data
from crampwise.text.patterns import PatternError, compile_phrases, phrase_regex


def test_every_finding_has_phrases_or_is_interview_only(kb: KnowledgeBase) -> None:
    lexicon, _ = load_reader_data(kb)
    covered = (
        {f.id for f in lexicon.findings}
        | {n.id for n in lexicon.numbers}
        | {i.id for i in lexicon.interview_only}
    )
    assert set(kb.findings) <= covered
    for item in lexicon.findings:
        assert all(rule.phrases for rule in item.rules), item.id


def test_every_warning_sign_can_be_read_as_present(kb: KnowledgeBase) -> None:
    lexicon, _ = load_reader_data(kb)
    affirming = {
        f.id for f in lexicon.findings for r in f.rules if r.value is True and not r.negated_only
    }
    serious = {fid for fid, f in kb.findings.items() if f.group == "serious"}
    interview_only = {i.id for i in lexicon.interview_only}
    assert serious - interview_only <= affirming


def _copy_data(tmp_path: Path) -> Path:
    for name in ("lexicon.yaml", "context_rules.yaml"):
        shutil.copy(_data_dir() / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text())
    assert callable(change)
    change(data)
    path.write_text(yaml.safe_dump(data))


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        ("lexicon.yaml", lambda d: d["findings"][0].update(colour="red"), "colour"),
        ("lexicon.yaml", lambda d: d["findings"][0]["rules"][0].update(phrases=["Calf"]), "Calf"),
        (
            "lexicon.yaml",
            lambda d: d["findings"][0]["rules"][0].update(phrases=["(calf"]),
            "parentheses",
        ),
        ("context_rules.yaml", lambda d: d["rules"][0].update(category="maybe"), "category"),
        ("context_rules.yaml", lambda d: d.pop("terminators"), "terminators"),
    ],
)
def test_schema_errors_name_the_file_and_field(
    tmp_path: Path, file: str, change: object, expected: str, kb: KnowledgeBase
) -> None:
    directory = _copy_data(tmp_path)
    _edit(directory / file, change)
    with pytest.raises(KnowledgeError) as exc:
        load_reader_data(kb, directory)
    assert file in exc.value.render()
    assert expected in exc.value.render()
    _load_files.cache_clear()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["findings"][0].update(id="site_elbow"), "unknown finding 'site_elbow'"),
        (lambda d: d["findings"].pop(0), "has no phrases"),
        (lambda d: d["findings"][1].update(id=d["findings"][0]["id"]), "already listed"),
        (lambda d: d.update(sources=["NOPE"]), "unknown source 'NOPE'"),
        (lambda d: d["findings"][0]["rules"][0].update(value="left"), "not a value"),
    ],
)
def test_cross_checks_against_the_knowledge_base(
    tmp_path: Path, change: object, expected: str, kb: KnowledgeBase
) -> None:
    directory = _copy_data(tmp_path)
    _edit(directory / "lexicon.yaml", change)
    lexicon, context = _load_files(directory)
    problems = check_against(lexicon, context, kb)
    assert any(expected in p.message for p in problems), [p.render() for p in problems]
    _load_files.cache_clear()


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("calf|calves", "my calves ache", "calves"),
        ("(i'm|i am) sitting", "when i am sitting", "i am sitting"),
        ("cramp*", "cramping again", "cramping"),
        ("the? arch", "arch of", "arch"),
        ("night time", "night-time cramps", "night-time"),
        ("toes ... cramp", "toes and the soles of my feet cramp", None),
        ("toes ... cramp", "toes cramp", "toes cramp"),
        ("calf", "calfskin", ""),
        ("toes ... cramp", "my toes. then a cramp", ""),
    ],
)
def test_phrase_syntax(phrase: str, text: str, matches: str | None) -> None:
    regex = compile_phrases([phrase])
    assert regex is not None
    found = regex.search(text)
    if matches == "":
        assert found is None
    elif matches is None:
        assert found is not None
    else:
        assert found is not None and found.group(0) == matches


@pytest.mark.parametrize("bad", ["", "... calf", "calf ...", "Calf", "(a|b", "a||b", "x$"])
def test_bad_phrases_are_refused(bad: str) -> None:
    with pytest.raises(PatternError):
        phrase_regex(bad)
