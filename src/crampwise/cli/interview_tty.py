"""The interview in a plain terminal: keyboard only, line by line, works over any stdin.

A description in the person's own words (``check --text``, or the first prompt at a terminal)
is read first; what was understood is listed with the words it came from, the person removes
or corrects any of it, and the interview then asks only what is missing, warning signs first.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

import click

from crampwise.case.model import AGE_MAX, AGE_MIN, SEXES, FindingValue, allowed_for
from crampwise.cli.text import echo_wrapped
from crampwise.engine.answers import describe_answer, parse_reply
from crampwise.engine.interview import Answer, InterviewState, next_question, remaining_estimate
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Question

BACK = "b"
HELP_LINE = "(? = don't know, b = back)"
FROM_DIARY = " (your diary shows this)"
SAID_YES, SAID_NO = " (you said so)", " (you said not)"
DESCRIBE_PROMPT = "Describe it in your own words (Enter to skip)"
CORRECT_HINT = (
    "Is this right? To remove one (it will be asked), type its number, e.g. 2; to correct one, "
    "its number = the answer, e.g. 1=no or 3=4. Several are fine: 2 1=no."
)
CORRECT_PROMPT = "Corrections (Enter if it is right)"


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
    said: Mapping[str, FindingValue] | None = None,
) -> str:
    click.echo("")
    click.secho(f"Question {number} (at most {remaining} to go)", bold=True)
    echo_wrapped(question.text)
    if question.help:
        echo_wrapped(question.help)
    if question.kind == "checklist":
        for i, item in enumerate(question.items, start=1):
            # A yes from the diary (or the description) stays a yes even when its number is
            # not typed; a "no" the description gave stays a no.
            note = FROM_DIARY if known.get(item.finding) is True else ""
            if said and item.finding in said:
                note = SAID_YES if said[item.finding] is True else SAID_NO
            echo_wrapped(item.label + note, "     ", f"  {i}. ")
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


def interactive() -> bool:
    """Whether a person is typing (stdin is a terminal): only then is the description asked
    for, so answers piped into ``crampwise check`` keep their order."""
    return sys.stdin.isatty()


def run_interview(
    kb: KnowledgeBase,
    known: Mapping[str, FindingValue] | None = None,
    diary_note: str = "",
    text: str | None = None,
    ask_text: bool = False,
) -> InterviewState:
    """Ask questions until no answer could change the outcome; returns the final state.

    ``known`` are findings taken from the diary, described to the person by ``diary_note``.
    ``text`` is a description in the person's own words (``ask_text``: ask for one first);
    what is read from it, as the person corrects it, is known before the first question.
    """
    click.echo("crampwise asks about warning signs first, then only what could change the advice.")
    click.echo("It gives guidance, not a diagnosis. If you feel very unwell, call for help now.\n")
    if diary_note:
        echo_wrapped(f"{diary_note} The questions it answers are skipped (--no-diary: ask all).")
        click.echo("")
    if text is None and ask_text:
        text = _ask_description()
    age, sex = _ask_about_you()
    said: dict[str, FindingValue] = {}
    if text:
        said = _understood(kb, text, age, sex)
    # What the description settled is known, and makes this the interview after a description.
    state = InterviewState(
        age=age, sex=sex, known={**(known or {}), **said}, described=frozenset(said)
    )
    from crampwise.analysis.prefill import keep_diary  # the analysis package is not light

    while True:
        question = next_question(state, kb)
        if question is None:
            return state
        hint = _show(
            question, kb, len(state.answers) + 1, remaining_estimate(state, kb), state.known, said
        )
        answer = _read_answer(question, kb, hint, len(state.answers))
        if answer is None:
            if state.answers:
                previous = state.answers[-1]
                state = state.back()
                # The question as it is shown again (after a description, the checklist of
                # the warning signs still open holds only those).
                asked = next_question(state, kb)
                if asked is not None and asked.id == previous.question_id:
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


def _ask_description() -> str | None:
    """The first prompt: a few sentences, or Enter to skip (None)."""
    from crampwise.web.interview_codec import check_description

    while True:
        text = _ask(DESCRIBE_PROMPT)
        if not text:
            return None
        try:
            return check_description(text)
        except InvalidInputError as exc:
            echo_wrapped(f"Sorry, your description {exc.problems[0].message}.")


def _understood(
    kb: KnowledgeBase, text: str, age: float, sex: str | None
) -> dict[str, FindingValue]:
    """Read the description, list what was understood, and take the person's corrections."""
    from crampwise.text import read_text
    from crampwise.web.interview_codec import corrected_findings, finding_words, value_words

    reading = read_text(text, age=age, sex=sex, kb=kb)
    read = dict(reading.case.findings)
    click.echo("")
    if not read:
        echo_wrapped("crampwise could not read an answer from your words: it asks everything.")
        return {}
    ids = sorted(
        read, key=lambda f: (min((s.start for s in reading.spans.get(f, ())), default=len(text)), f)
    )
    click.secho("From your words, crampwise understood:", bold=True)
    for i, fid in enumerate(ids, start=1):
        words = "; ".join(f'"{s.words}"' for s in reading.spans.get(fid, ()))
        said = f"{finding_words(kb, fid)}: {value_words(kb, fid, read[fid])}"
        echo_wrapped(f"{said}{f' (from {words})' if words else ''}", "     ", f"  {i}. ")
    echo_wrapped(CORRECT_HINT)
    while True:
        reply = _ask(CORRECT_PROMPT)
        if not reply:
            return read
        try:
            values, removed = _corrections(reply, ids)
            corrected = corrected_findings(kb, read, values, removed)
        except InvalidInputError as exc:
            problem = exc.problems[0]
            where = f"{ids.index(problem.field) + 1} " if problem.field in ids else ""
            echo_wrapped(f"Sorry, {where}{problem.message}.")
            continue
        if corrected != read:
            for i, fid in enumerate(ids, start=1):
                now = value_words(kb, fid, corrected[fid]) if fid in corrected else "will be asked"
                echo_wrapped(f"{finding_words(kb, fid)}: {now}", "     ", f"  {i}. ")
        return corrected


_SAY = {"y": "yes", "n": "no", "?": "unsure"}


def _corrections(reply: str, ids: list[str]) -> tuple[dict[str, str], list[str]]:
    """``2 1=no 3=4``: the numbers to remove, and number = answer to correct."""
    values: dict[str, str] = {}
    removed: list[str] = []
    # Spaces (or ", ") separate; a comma inside an answer is a decimal comma: 4=0,25.
    for token in filter(None, (t.strip(",") for t in reply.split())):
        match = re.fullmatch(r"(\d+)(?:=(.+))?", token)
        if not match or not 1 <= int(match.group(1)) <= len(ids):
            raise InvalidInputError(
                "not a correction",
                [FieldProblem("", f"'{token}' is not a number from 1 to {len(ids)}, or N=answer")],
            )
        fid = ids[int(match.group(1)) - 1]
        if match.group(2) is None:
            removed.append(fid)
        else:
            answer = match.group(2).strip().lower()
            values[fid] = _SAY.get(answer, answer)
    return values, removed
