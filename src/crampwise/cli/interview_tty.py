"""The interview in a plain terminal: keyboard only, line by line, works over any stdin."""

from __future__ import annotations

from collections.abc import Mapping

import click

from crampwise.case.model import AGE_MAX, AGE_MIN, SEXES, FindingValue, allowed_for
from crampwise.cli.text import echo_wrapped
from crampwise.engine.answers import describe_answer, parse_reply
from crampwise.engine.interview import Answer, InterviewState, next_question, remaining_estimate
from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question

BACK = "b"
HELP_LINE = "(? = don't know, b = back)"
FROM_DIARY = " (your diary shows this)"


def _ask(prompt: str) -> str:
    try:
        return str(click.prompt(prompt, default="", show_default=False, prompt_suffix="> ")).strip()
    except click.Abort:
        raise InvalidInputError("interview cancelled: nothing was saved") from None


def _show(
    question: Question,
    kb: KnowledgeBase,
    number: int,
    remaining: int,
    known: Mapping[str, FindingValue],
) -> str:
    click.echo("")
    click.secho(f"Question {number} (at most {remaining} to go)", bold=True)
    echo_wrapped(question.text)
    if question.help:
        echo_wrapped(question.help)
    if question.kind == "checklist":
        for i, item in enumerate(question.items, start=1):
            # A yes from the diary stays a yes even when its number is not typed.
            diary = FROM_DIARY if known.get(item.finding) is True else ""
            echo_wrapped(item.label + diary, "     ", f"  {i}. ")
        return "Numbers that apply (e.g. 1 3), 0 for none, ?N if unsure of N " + HELP_LINE
    if question.kind == "choice":
        assert question.finding is not None
        for i, choice in enumerate(kb.findings[question.finding].choices, start=1):
            label = question.option_labels.get(choice, choice.replace("_", " "))
            echo_wrapped(label, "     ", f"  {i}. ")
        return "Number of your answer " + HELP_LINE
    if question.kind == "yes_no":
        return "y / n " + HELP_LINE
    assert question.finding is not None
    allowed = allowed_for(kb.findings[question.finding]).capitalize()
    if question.not_applicable:
        return f"{allowed}, n if it does not apply {HELP_LINE}"
    return f"{allowed} {HELP_LINE}"


def _ask_about_you() -> tuple[float, str | None]:
    while True:
        text = _ask("How old are you (years)")
        try:
            age = float(text)
        except ValueError:
            click.echo("Please type your age as a number, for example 54.")
            continue
        if AGE_MIN <= age <= AGE_MAX:
            break
        click.echo(f"Please type an age from {AGE_MIN} to {AGE_MAX}.")
    while True:
        text = _ask("Sex: 1 female, 2 male, 3 other, or press Enter to skip").lower()
        if text == "":
            return age, None
        if text in ("1", "2", "3"):
            return age, SEXES[int(text) - 1]
        if text in SEXES:
            return age, text
        click.echo("Please type 1, 2 or 3, or press Enter to skip.")


def run_interview(
    kb: KnowledgeBase, known: Mapping[str, FindingValue] | None = None, diary_note: str = ""
) -> InterviewState:
    """Ask questions until no answer could change the outcome; returns the final state.

    ``known`` are findings taken from the diary, described to the person by ``diary_note``.
    """
    click.echo("crampwise asks about warning signs first, then only what could change the advice.")
    click.echo("It gives guidance, not a diagnosis. If you feel very unwell, call for help now.\n")
    if diary_note:
        echo_wrapped(f"{diary_note} The questions it answers are skipped (--no-diary: ask all).")
        click.echo("")
    age, sex = _ask_about_you()
    state = InterviewState(age=age, sex=sex, known=dict(known or {}))
    from crampwise.analysis.prefill import keep_diary  # the analysis package is not light

    while True:
        question = next_question(state, kb)
        if question is None:
            return state
        hint = _show(
            question, kb, len(state.answers) + 1, remaining_estimate(state, kb), state.known
        )
        answer = _read_answer(question, kb, hint, len(state.answers))
        if answer is None:
            if state.answers:
                previous = state.answers[-1]
                state = state.back()
                asked = kb.question_by_id[previous.question_id]
                click.echo(f"Your answer before: {describe_answer(asked, previous)}.")
            else:
                click.echo("This is the first question; there is nothing to go back to.")
            continue
        state = state.answer(keep_diary(question, answer, state.known))


def _read_answer(question: Question, kb: KnowledgeBase, hint: str, index: int) -> Answer | None:
    """Ask until the reply parses; None means go back."""
    while True:
        text = _ask(hint)
        if text.lower() == BACK:
            return None
        try:
            return parse_reply(question, kb, text, ("answers", index))
        except InvalidInputError as exc:
            echo_wrapped(f"Sorry, {exc.problems[0].message}.")
