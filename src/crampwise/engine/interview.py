"""The adaptive interview, as pure functions over an explicit state (no I/O, no hidden state).

Red-flag screening questions come first, in the knowledge file's order, while they can still
raise the triage level. After that each next question is the one whose answer could most change
the outcome — the triage level first, then the top cause, then the top three — and the interview
stops when no remaining answer could change it. Past a budget, questions that could only change
the leading cause are skipped unless the plan depends on them. "Don't know" leaves findings
unknown.

After a description in the person's own words (``InterviewState.described``, the findings it
settled) the interview is shorter, and screening is not: the warning-sign checklists become one
checklist of the signs the description left open (``screening.py``), asked first while it could
raise the level; the description counts as the questions it spoke to (a non-screening question
whose findings it settled is asked only if an answer could still raise the level to urgent or
emergency: what the person left unsaid there is unknown, not no); and it
uses up the cause-question budget, so only what could change the level, or what the plan
depends on, is asked after screening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crampwise.case.model import Case, FindingValue
from crampwise.engine.assess import facts_of
from crampwise.engine.causes import suspect_boosts, top_cause_ids
from crampwise.engine.compiled import CompiledKnowledge
from crampwise.engine.screening import WARNING_SIGNS_ID, warning_signs_question
from crampwise.engine.triage import fired_rules, triage_rank
from crampwise.knowledge import LEVEL_RANK, KnowledgeBase
from crampwise.knowledge.schema import Question

# How much each kind of change is worth when choosing the next question.
TRIAGE_CHANGE = 100
TOP_CAUSE_CHANGE = 10
TOP_THREE_CHANGE = 0
EMERGENCY_RANK = LEVEL_RANK["emergency"]
# After a description, a question it spoke of is asked again only for a level this high.
SPOKEN_OF_ASKED_FROM = LEVEL_RANK["urgent"]
# Questions that could only change the leading cause are asked within this budget; after it,
# only a question that could still change the triage level is asked.
CAUSE_QUESTION_BUDGET = 9


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to one question: a value per finding it asks (None = don't know)."""

    question_id: str
    values: Mapping[str, FindingValue | None]


@dataclass(frozen=True, slots=True)
class InterviewState:
    age: float
    sex: str | None = None
    answers: tuple[Answer, ...] = ()
    known: Mapping[str, FindingValue] = field(default_factory=dict)
    """Findings known before the interview (for example from the diary)."""
    described: frozenset[str] = frozenset()
    """The findings in ``known`` that the person's own description settled (as they corrected
    it). Empty: the interview without a description, exactly as before."""

    @property
    def asked(self) -> frozenset[str]:
        return frozenset(a.question_id for a in self.answers)

    def findings(self) -> dict[str, FindingValue]:
        out: dict[str, FindingValue] = dict(self.known)
        for answer in self.answers:
            for fid, value in answer.values.items():
                if value is None:
                    out.pop(fid, None)
                else:
                    out[fid] = value
        return out

    def case(self) -> Case:
        return Case(age=self.age, sex=self.sex, findings=self.findings())

    def answer(self, answer: Answer) -> InterviewState:
        return InterviewState(
            self.age, self.sex, (*self.answers, answer), self.known, self.described
        )

    def back(self) -> InterviewState:
        """Undo the last answer (the question will be asked again)."""
        return InterviewState(self.age, self.sex, self.answers[:-1], self.known, self.described)


def dont_know(question: Question) -> Answer:
    return Answer(question.id, {fid: None for fid in question.finding_ids()})


def checklist_answer(
    question: Question, ticked: Iterable[str], unsure: Iterable[str] = ()
) -> Answer:
    """Ticked items are yes, unsure items unknown, every other item no."""
    ticked_set, unsure_set = set(ticked), set(unsure)
    values: dict[str, FindingValue | None] = {}
    for fid in question.finding_ids():
        values[fid] = None if fid in unsure_set else fid in ticked_set
    return Answer(question.id, values)


def value_answer(question: Question, value: FindingValue | None) -> Answer:
    assert question.finding is not None
    return Answer(question.id, {question.finding: value})


@dataclass(frozen=True)
class _Outcome:
    rank: int
    top: tuple[str, ...]

    def change(self, other: _Outcome) -> int:
        score = 0
        if other.rank != self.rank:
            score += TRIAGE_CHANGE * abs(other.rank - self.rank)
        if other.top[:1] != self.top[:1]:
            score += TOP_CAUSE_CHANGE
        if set(other.top) != set(self.top):
            score += TOP_THREE_CHANGE
        return score


def _outcome(ck: CompiledKnowledge, facts: Mapping[str, Any]) -> _Outcome:
    fired = fired_rules(ck, facts)
    rank = max((r.rank for r in fired), default=0)
    return _Outcome(rank, top_cause_ids(ck, facts, suspect_boosts(fired), 3))


def _facts(state: InterviewState) -> dict[str, Any]:
    return facts_of(state.case())


def _now(ck: CompiledKnowledge, state: InterviewState) -> tuple[dict[str, Any], _Outcome]:
    """The state's facts and the outcome they give (the baseline every probe is weighed
    against)."""
    facts = _facts(state)
    return facts, _outcome(ck, facts)


def _relevant(ck: CompiledKnowledge, question: Question, facts: Mapping[str, Any]) -> bool:
    test = ck.relevance.get(question.id)
    if test is None:
        return True
    value = test(facts)
    return value is True or (value is None and question.ask_if_unknown)


def _probe_answers(ck: CompiledKnowledge, question: Question) -> list[dict[str, FindingValue]]:
    """Answers worth trying to see whether a question could change the outcome."""
    if question.kind == "checklist":
        ids = question.finding_ids()
        probes: list[dict[str, FindingValue]] = [{fid: True} for fid in ids]
        probes.append(dict.fromkeys(ids, False))
        probes.append(dict.fromkeys(ids, True))
        return probes
    fid = question.finding
    assert fid is not None
    finding = ck.kb.findings[fid]
    if finding.type == "bool":
        return [{fid: True}, {fid: False}]
    if finding.type == "choice":
        return [{fid: choice} for choice in finding.choices]
    return [{fid: value} for value in ck.numeric_probes.get(fid, ())]


def eligible_questions(state: InterviewState, kb: KnowledgeBase) -> list[Question]:
    """The questions not yet asked, relevant now, with a finding still unknown.

    After a description the screening checklists are one, of the warning signs still open,
    in the place of the first.
    """
    ck = kb.compiled
    facts = _facts(state)
    asked = state.asked
    open_now = [
        q
        for q in kb.questions
        if q.id not in asked
        and _relevant(ck, q, facts)
        and any(fid not in facts for fid in q.finding_ids())
    ]
    if not state.described:
        return open_now
    merged_asked = WARNING_SIGNS_ID in asked
    out: list[Question] = []
    signs: list[str] = []
    for q in open_now:
        if q.screening and q.kind == "checklist":
            if not merged_asked:
                if not signs:
                    out.append(q)  # a placeholder where the merged checklist goes
                signs.extend(fid for fid in q.finding_ids() if fid not in facts)
            continue
        out.append(q)
    if signs:
        merged = warning_signs_question(kb, frozenset(signs))
        out = [merged if q.screening and q.kind == "checklist" else q for q in out]
    return out


def _spoken_of(state: InterviewState, question: Question) -> bool:
    """A non-screening question whose findings the description settled in part: the person
    has spoken of it already."""
    return not question.screening and bool(state.described.intersection(question.finding_ids()))


def pending_explanations(ck: CompiledKnowledge, facts: Mapping[str, Any]) -> frozenset[str]:
    """Unknown findings that could complete the explanation of a rule firing now.

    An explanation (new shoes *and* foot cramps…) may need two answers, so no single answer
    shows it could change the level; the questions that ask these findings still matter.
    """
    out: set[str] = set()
    for when, unless, fids in ck.explained:
        if when(facts) is not True or unless(facts) is not None:
            continue
        out.update(
            fid for fid in fids if fid not in facts and unless({**facts, fid: True}) is not False
        )
    return frozenset(out)


def question_impact(
    ck: CompiledKnowledge,
    state: InterviewState,
    question: Question,
    pending: frozenset[str] = frozenset(),
    *,
    now: tuple[dict[str, Any], _Outcome] | None = None,
) -> int:
    """How much the most telling answer to this question could change the outcome.

    ``pending`` are findings that could, with other answers, explain away a rule that fires
    now (``pending_explanations``): a question asking one could change the level. ``now``
    is the state's facts and outcome (:func:`_now`) when the caller weighs many questions
    of one state: computing them once per question was most of an interview step.
    """
    if pending.intersection(question.finding_ids()):
        return TRIAGE_CHANGE
    facts, current = now if now is not None else _now(ck, state)
    best = 0
    for probe in _probe_answers(ck, question):
        trial = dict(facts)
        for fid, value in probe.items():
            trial.setdefault(fid, value)  # never overwrite what is already known
        best = max(best, current.change(_outcome(ck, trial)))
    return best


def next_question(state: InterviewState, kb: KnowledgeBase) -> Question | None:
    """The next question to ask, or None when no answer could change the outcome."""
    ck = kb.compiled
    # An emergency is time-critical: stop and tell the person to get help now.
    if triage_rank(ck, _facts(state)) >= EMERGENCY_RANK:
        return None
    candidates = eligible_questions(state, kb)
    now = _now(ck, state)
    pending = pending_explanations(ck, now[0])
    # Red-flag screening first, in order, while it could still raise the level.
    for q in candidates:
        if q.screening and question_impact(ck, state, q, now=now) >= TRIAGE_CHANGE:
            return q
    best: Question | None = None
    best_impact = 0
    for q in candidates:
        impact = question_impact(ck, state, q, pending, now=now)
        if impact > best_impact and _worth_asking(kb, state, q, impact):
            best, best_impact = q, impact
    return best


def _spoken_of_worth_asking(kb: KnowledgeBase, state: InterviewState, question: Question) -> bool:
    """After a description, whether a question it spoke of is asked all the same: an answer
    could raise the level to urgent or higher. (One that could only lower it, by completing
    an explanation, is not: the level stays on the safe side.)"""
    ck = kb.compiled
    facts = _facts(state)
    now = triage_rank(ck, facts)
    for probe in _probe_answers(ck, question):
        rank = triage_rank(ck, {**probe, **facts})  # never overwrite what is already known
        if rank > now and rank >= SPOKEN_OF_ASKED_FROM:
            return True
    return False


def _worth_asking(
    kb: KnowledgeBase, state: InterviewState, question: Question, impact: int
) -> bool:
    """Whether a question that could change the outcome this much is asked at all.

    Past the budget (a description uses it up) a question must be able to change the level,
    or be one the plan depends on. After a description, a question it spoke of must be able
    to raise the level to urgent or higher: the person chose what to say about it, and what
    could only add a routine doctor's visit, or lower the level, is not asked again.
    """
    if state.described and _spoken_of(state, question):
        return impact >= TRIAGE_CHANGE and _spoken_of_worth_asking(kb, state, question)
    if impact >= TRIAGE_CHANGE:
        return True
    past_budget = bool(state.described) or len(state.answers) >= CAUSE_QUESTION_BUDGET
    return not past_budget or question.plan_depends


def remaining_estimate(state: InterviewState, kb: KnowledgeBase) -> int:
    """Questions that could still matter now: an upper bound for a progress display."""
    ck = kb.compiled
    now = _now(ck, state)
    pending = pending_explanations(ck, now[0])
    impacts = (
        (q, question_impact(ck, state, q, pending, now=now)) for q in eligible_questions(state, kb)
    )
    if not state.described:
        return sum(1 for _, impact in impacts if impact > 0)
    return sum(1 for q, impact in impacts if impact > 0 and _worth_asking(kb, state, q, impact))


@dataclass(frozen=True)
class Simulation:
    """An interview answered from a case file, for measuring interview length."""

    asked: tuple[str, ...]
    state: InterviewState


def simulate(case: Case, kb: KnowledgeBase, limit: int = 100) -> Simulation:
    """Run the interview answering each question from the case; silent means 'don't know'."""
    state = InterviewState(age=case.age, sex=case.sex)
    asked: list[str] = []
    for _ in range(limit):
        question = next_question(state, kb)
        if question is None:
            break
        asked.append(question.id)
        values = {fid: case.findings.get(fid) for fid in question.finding_ids()}
        state = state.answer(Answer(question.id, values))
    return Simulation(tuple(asked), state)
