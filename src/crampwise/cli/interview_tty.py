"""The interview in a plain terminal: keyboard only, line by line, works over any stdin."""

from __future__ import annotations

import re

import click

from crampwise.case.model import SEXES
from crampwise.case.parse import allowed_for, check_finding_value
from crampwise.engine.interview import (
    Answer,
    InterviewState,
    checklist_answer,
    dont_know,
    next_question,
    remaining_estimate,
    value_answer,
)
from crampwise.errors import InvalidInputError
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question

BACK = object()
HELP_LINE = "(? = don't know, b = back)"


class _Retry(Exception):
    """The typed answer cannot be used; say why and ask again."""


def _ask(prompt: str) -> str:
    try:
        return str(click.prompt(prompt, default="", show_default=False, prompt_suffix="> ")).strip()
    except click.Abort:
        raise InvalidInputError("interview cancelled: nothing was saved") from None


def _parse_checklist(question: Question, text: str) -> Answer | object:
    if text.lower() == "b":
        return BACK
    if text == "?":
        return dont_know(question)
    ids = question.finding_ids()
    if text in ("0", ""):
        if text == "":
            raise _Retry("type 0 for none of these, or the numbers that apply")
        return checklist_answer(question, ())
    ticked: list[str] = []
    unsure: list[str] = []
    for token in re.split(r"[\s,]+", text):
        match = re.fullmatch(r"(\?)?(\d+)", token)
        if not match or not 1 <= int(match.group(2)) <= len(ids):
            raise _Retry(f"'{token}' is not one of the numbers 1 to {len(ids)}")
        (unsure if match.group(1) else ticked).append(ids[int(match.group(2)) - 1])
    return checklist_answer(question, ticked, unsure)


def _parse_single(question: Question, kb: KnowledgeBase, text: str) -> Answer | object:
    low = text.lower()
    if low == "b":
        return BACK
    if text == "?":
        return dont_know(question)
    assert question.finding is not None
    finding = kb.findings[question.finding]
    if question.kind == "yes_no":
        if low in ("y", "yes"):
            return value_answer(question, True)
        if low in ("n", "no"):
            return value_answer(question, False)
        raise _Retry("type y for yes or n for no")
    if question.kind == "choice":
        choices = finding.choices
        if text.isdigit() and 1 <= int(text) <= len(choices):
            return value_answer(question, choices[int(text) - 1])
        raise _Retry(f"type a number from 1 to {len(choices)}")
    if low in ("n", "none", "-"):
        return value_answer(question, None)  # does not apply: stays unknown
    try:
        number: float = float(text)
    except ValueError:
        raise _Retry(f"type {allowed_for(finding)}") from None
    checked = check_finding_value(finding, int(number) if number.is_integer() else number)
    if checked is None:
        raise _Retry(f"type {allowed_for(finding)}")
    return value_answer(question, checked)


def _show(question: Question, kb: KnowledgeBase, number: int, remaining: int) -> str:
    click.echo("")
    click.secho(f"Question {number} (at most {remaining} to go)", bold=True)
    click.echo(question.text)
    if question.help:
        click.echo(question.help)
    if question.kind == "checklist":
        for i, item in enumerate(question.items, start=1):
            click.echo(f"  {i}. {item.label}")
        return "Numbers that apply (e.g. 1 3), 0 for none, ?N if unsure of N " + HELP_LINE
    if question.kind == "choice":
        assert question.finding is not None
        for i, choice in enumerate(kb.findings[question.finding].choices, start=1):
            click.echo(f"  {i}. {question.option_labels.get(choice, choice)}")
        return "Number of your answer " + HELP_LINE
    if question.kind == "yes_no":
        return "y / n " + HELP_LINE
    assert question.finding is not None
    finding = kb.findings[question.finding]
    return f"{allowed_for(finding).capitalize()}, n if it does not apply {HELP_LINE}"


def _ask_about_you() -> tuple[float, str | None]:
    while True:
        text = _ask("How old are you (years)")
        try:
            age = float(text)
        except ValueError:
            click.echo("Please type your age as a number, for example 54.")
            continue
        if 0 <= age <= 120:
            break
        click.echo("Please type an age from 0 to 120.")
    while True:
        text = _ask("Sex: 1 female, 2 male, 3 other, or press Enter to skip").lower()
        if text == "":
            return age, None
        if text in ("1", "2", "3"):
            return age, SEXES[int(text) - 1]
        if text in SEXES:
            return age, text
        click.echo("Please type 1, 2 or 3, or press Enter to skip.")


def run_interview(kb: KnowledgeBase) -> InterviewState:
    """Ask questions until no answer could change the outcome; returns the final state."""
    click.echo("crampwise asks about warning signs first, then only what could change the advice.")
    click.echo("It gives guidance, not a diagnosis. If you feel very unwell, call for help now.\n")
    age, sex = _ask_about_you()
    state = InterviewState(age=age, sex=sex)
    while True:
        question = next_question(state, kb)
        if question is None:
            return state
        hint = _show(question, kb, len(state.answers) + 1, remaining_estimate(state, kb))
        while True:
            text = _ask(hint)
            try:
                parsed = (
                    _parse_checklist(question, text)
                    if question.kind == "checklist"
                    else _parse_single(question, kb, text)
                )
            except _Retry as retry:
                click.echo(f"Sorry, {retry}.")
                continue
            break
        if parsed is BACK:
            if state.answers:
                state = state.back()
            else:
                click.echo("This is the first question; there is nothing to go back to.")
            continue
        assert isinstance(parsed, Answer)
        state = state.answer(parsed)
