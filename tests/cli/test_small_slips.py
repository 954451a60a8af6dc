"""Small slips people saw: citations run together, seed articles shown as file paths, a
question naming a choice the terminal does not have, a confusing checklist message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.engine.answers import parse_reply
from crampwise.engine.result import SourceRef
from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.web.templating import environment


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_web_citations_are_separated_by_a_semicolon_and_a_space() -> None:
    template = environment().from_string(
        '{% from "_macros.html" import source_list %}{{ source_list(refs) }}'
    )
    refs = [
        SourceRef("R4", "NHS. Leg cramps", "https://example.org/a", "C"),
        SourceRef("R16", "Schwellnus MP. Cramps", "https://example.org/b", "B"),
        SourceRef("S9", "A title without an address", "", "D"),
    ]
    text = re.sub(r"<[^>]+>", "", template.render(refs=refs))
    words = " ".join(text.split())
    assert words == (
        "Sources: NHS. Leg cramps (grade C); Schwellnus MP. Cramps (grade B); "
        "A title without an address (grade D)"
    )


def test_every_source_has_a_web_address_and_the_seeds_their_titles(kb: KnowledgeBase) -> None:
    for source in kb.sources.values():
        address = urlsplit(source.url)
        assert address.scheme in ("http", "https") and "." in address.netloc, source.id
        assert "shared/" not in source.citation and ".txt" not in source.citation
    seeds = [s for s in kb.sources.values() if s.kind == "seed"]
    assert [s.id for s in seeds] == ["S1", "S2"]
    assert seeds[0].citation.startswith("Byrdie. What causes toe cramps?")
    assert seeds[1].citation.startswith("Prevention Australia. 5 reasons your toes keep cramping")


def test_sources_command_shows_titles_and_addresses_never_file_paths() -> None:
    result = CliRunner().invoke(main, ["sources"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "shared/seeds" not in result.output and ".txt" not in result.output
    assert "https://www.byrdie.com/what-causes-toe-cramps-4795832" in result.output
    assert max(len(line) for line in result.output.splitlines() if "://" not in line) <= 80


def test_the_current_cramp_question_names_no_choice_a_front_end_lacks(
    kb: KnowledgeBase,
) -> None:
    question = kb.question_by_id["current_cramp"]
    # The web has a "Does not apply" button and the terminal a key (n): the question's own
    # words must not tell people to "choose" either one.
    assert "choose" not in question.text.lower()
    assert question.help is not None and "does not apply" in question.help
    answers = ["40", "", "0", "0", "0", "n"] + ["?"] * 40
    out = CliRunner().invoke(main, ["check"], input="\n".join(answers) + "\n").output
    assert "Choose 'does not apply'" not in out
    assert "n if it does not apply" in out


@pytest.mark.parametrize("reply", ["0 1", "1 0", "0,?2"])
def test_zero_with_numbers_says_what_zero_means(kb: KnowledgeBase, reply: str) -> None:
    question = kb.question_by_id["emergency_signs"]
    with pytest.raises(InvalidInputError) as info:
        parse_reply(question, kb, reply)
    (problem,) = info.value.problems
    assert problem.message == (
        "0 means none of these, so type it alone, or only the numbers 1 to 7 that apply"
    )
    assert problem.field == "answer.values"


def test_zero_alone_and_numbers_alone_still_work(kb: KnowledgeBase) -> None:
    question = kb.question_by_id["emergency_signs"]
    assert not any(parse_reply(question, kb, "0").values.values())
    ticked = parse_reply(question, kb, "1 3").values
    assert sum(v is True for v in ticked.values()) == 2


def test_every_kind_of_source_has_words_and_the_pages_use_them(tmp_path: Path) -> None:
    from crampwise.knowledge.schema import Source
    from crampwise.knowledge.source_kinds import SOURCE_KIND_WORDS
    from crampwise.web.app import WebSettings, create_app
    from tests.web.helpers import TEST_HOST, TestClient

    assert set(SOURCE_KIND_WORDS) == set(get_args(Source.model_fields["kind"].annotation))
    out = CliRunner().invoke(main, ["sources"]).output
    assert "[S1] grade D · consumer article" in out and "· seed" not in out
    settings = WebSettings(
        database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}",
        allowed_hosts=(TEST_HOST,),
        data_dir=tmp_path / "data",
    )
    with TestClient(create_app(settings)) as client:
        page = client.get("/sources").text
    assert '<span class="kind">consumer article</span>' in page
    assert '<span class="kind">seed</span>' not in page
