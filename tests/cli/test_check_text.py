"""`crampwise check --text`: what was understood, the person's corrections, then what is missing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.web.interview_codec import MAX_DESCRIPTION_CHARS
from tests.web.understand_fake import fake_reader  # noqa: F401  (a fixture)

TEXT = "Cramps in my calf at night, no swelling, twice a week, for a month."
DONT_KNOW = "?\n" * 40
HOW_OFTEN = "About how many cramps do you get in a typical week?"


def run(args: list[str], stdin: str = "") -> tuple[int, str]:
    """The exit code and the output, its wrapped lines joined again (one space each)."""
    result = CliRunner().invoke(main, args, input=stdin)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.usefixtures("fake_reader")
def test_understood_is_listed_with_the_words_then_only_the_rest_is_asked() -> None:
    code, out = run(["check", "--no-diary", "--text", TEXT], "50\n\n\n" + DONT_KNOW)
    assert code == 0, out
    assert "From your words, crampwise understood:" in out
    assert '1. Cramps in the calf: Yes (from "my calf")' in out
    assert '3. One calf or leg is more swollen than the other: No (from "no swelling")' in out
    assert "4. Usual number of cramps a week (0.25 is about once a month): 2 cramps a week" in out
    # Red flags first, and what the words settled is not asked again.
    assert out.index("crampwise understood") < out.index("First, a safety check")
    assert HOW_OFTEN not in out
    # One checklist of the warning signs the words left open: the swelling is not on it.
    assert "did not already answer" in out
    interview = out[out.index("First, a safety check") :]
    assert "One calf or leg is more swollen than the other" not in interview
    assert "The painful calf is warm, red or darker than usual" in out
    assert "And any of these?" not in out  # the three lists are one
    assert "From your diary" not in out


@pytest.mark.usefixtures("fake_reader")
def test_remove_and_correct_by_number() -> None:
    # 4 removed (asked again, never "no"), 2 corrected to no, 5 to 8 weeks.
    code, out = run(["check", "--no-diary", "--text", TEXT], "50\n\n4, 2=n 5=8\n" + DONT_KNOW)
    assert code == 0, out
    assert "Usual number of cramps a week (0.25 is about once a month): will be asked" in out
    assert "Starts at night in bed or when lying down: No" in out
    assert ": 8 weeks" in out
    assert HOW_OFTEN in out


@pytest.mark.usefixtures("fake_reader")
@pytest.mark.parametrize(
    ("reply", "says"),
    [
        ("9", "'9' is not a number from 1 to 5"),
        ("2,3", "'2,3' is not a number from 1 to 5"),
        ("x", "'x' is not a number from 1 to 5"),
        ("4=lots", "Sorry, 4 must be a number of at least 0, or not sure."),
        ("1=maybe", "Sorry, 1 must be yes or no, or not sure."),
    ],
)
def test_a_bad_correction_is_asked_again(reply: str, says: str) -> None:
    code, out = run(["check", "--no-diary", "--text", TEXT], f"50\n\n{reply}\n\n" + DONT_KNOW)
    assert code == 0, out
    assert says in out
    assert HOW_OFTEN not in out  # then Enter kept what was read


@pytest.mark.usefixtures("fake_reader")
def test_a_decimal_comma_in_a_correction() -> None:
    code, out = run(["check", "--no-diary", "--text", TEXT], "50\n\n4=0,25\n" + DONT_KNOW)
    assert code == 0, out
    assert "(0.25 is about once a month): 0.25 cramps a week" in out


@pytest.mark.usefixtures("fake_reader")
def test_a_bad_age_is_asked_again_before_reading() -> None:
    code, out = run(["check", "--no-diary", "--text", TEXT], "abc\n130\n50\n\n\n" + DONT_KNOW)
    assert code == 0, out
    assert "Please type your age as a number" in out
    assert "Please type an age from 0 to 120" in out
    assert out.index("Please type an age") < out.index("crampwise understood")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("x" * (MAX_DESCRIPTION_CHARS + 1), f"at most {MAX_DESCRIPTION_CHARS}"),
        ("my calf \x1b[2J hurts", "no other control character"),
    ],
)
def test_a_bad_text_is_refused_before_any_question(text: str, says: str) -> None:
    code, out = run(["check", "--text", text], "50\n\n" + DONT_KNOW)
    assert code == 2
    assert "--text" in out and says in out
    assert "How old are you" not in out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--text", TEXT, "--case", "a.json"],
        ["check", "--text", TEXT, "--simulate", "a.jsonl"],
        ["check", "--from-text"],
        ["check", "--from-text", "--case", "a.json"],
    ],
)
def test_text_options_that_do_not_go_together(args: list[str]) -> None:
    code, out = run(args)
    assert code == 2 and "Usage:" in out


@pytest.mark.usefixtures("fake_reader")
def test_at_a_terminal_the_first_prompt_asks_for_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crampwise.cli.check.interactive", lambda: True)
    code, out = run(["check", "--no-diary"], f"{TEXT}\n50\n\n\n" + DONT_KNOW)
    assert code == 0, out
    assert "Describe it in your own words (Enter to skip)" in out
    assert "crampwise understood" in out and HOW_OFTEN not in out


@pytest.mark.usefixtures("fake_reader")
def test_enter_skips_the_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crampwise.cli.check.interactive", lambda: True)
    code, out = run(["check", "--no-diary"], "\n50\n\n" + DONT_KNOW)
    assert code == 0, out
    assert "crampwise understood" not in out and HOW_OFTEN in out


@pytest.mark.usefixtures("fake_reader")
def test_a_bad_description_at_the_prompt_is_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crampwise.cli.check.interactive", lambda: True)
    long = "x" * (MAX_DESCRIPTION_CHARS + 1)
    code, out = run(["check", "--no-diary"], f"{long}\n{TEXT}\n50\n\n\n" + DONT_KNOW)
    assert code == 0, out
    assert f"Sorry, your description is {MAX_DESCRIPTION_CHARS + 1} characters long" in out
    assert "crampwise understood" in out


def test_piped_answers_keep_their_order_without_the_prompt() -> None:
    # Not a terminal: no description prompt, so scripts that pipe answers still work.
    code, out = run(["check", "--no-diary"], "74\n\n1\n")
    assert code == 0, out
    assert "Describe it in your own words" not in out
    assert "emergency" in out.lower()


@pytest.mark.usefixtures("fake_reader")
def test_a_serious_sign_in_the_words_ends_at_once() -> None:
    code, out = run(["check", "--no-diary", "--text", "My foot went white and cold."], "74\n\n\n")
    assert code == 0, out
    assert "First, a safety check" not in out
    assert "emergency" in out.lower()


def test_the_real_reader_behind_check_text() -> None:
    code, out = run(["check", "--no-diary", "--text", TEXT], "50\n\n\n" + DONT_KNOW)
    assert code == 0, out
    assert "crampwise understood" in out or "could not read an answer" in out


@pytest.mark.usefixtures("fake_reader")
def test_back_to_the_warning_sign_list_shows_the_answer_given() -> None:
    # None of the open warning signs (0), then back: the list is shown again with that answer,
    # which names no sign as "not sure" (the settled swelling is not on the list at all).
    code, out = run(["check", "--no-diary", "--text", TEXT], "50\n\n\n0\nb\n" + DONT_KNOW)
    assert code == 0, out
    assert "Your answer before: none of these." in out
    assert out.count("did not already answer") == 2
