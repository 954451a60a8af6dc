"""The CDS Hooks 2.0 ``patient-view`` service: the person's cramp record as a card.

The EHR sends the patient and their cramp Observations (as ``crampwise export --format
fhir`` writes them) in ``prefetch``; the service reads them with the FHIR importer's own
functions, runs the diary analysis (``diary_prefill``: how often, the trend, when cramps
come) and the assessment on what it was given, and answers with one card. Pure: the
caller passes the knowledge base and today's date, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from crampwise.errors import FieldProblem, InvalidInputError, PreconditionFailedError

if TYPE_CHECKING:
    from crampwise.analysis.prefill import DiaryPrefill
    from crampwise.diary.records import Episode
    from crampwise.engine.view import ResultView
    from crampwise.knowledge import KnowledgeBase

SERVICE_ID = "crampwise-cramps"
HOOK = "patient-view"
SUMMARY_MAX = 139
"""A card's summary must be under 140 characters."""
RECENT_DAYS = 28
INDICATORS = {"emergency": "critical", "urgent": "warning", "doctor": "info", "self_care": "info"}
"""Card indicator per triage level (the issue's mapping; a test checks every level has one)."""
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "cramps": "Observation?patient={{context.patientId}}&code=http://loinc.org|75325-1",
}
"""What the service needs, as FHIR query templates; the EHR sends the results."""


def discovery() -> dict[str, Any]:
    """The document ``GET /cds-services`` returns."""
    return {
        "services": [
            {
                "hook": HOOK,
                "id": SERVICE_ID,
                "title": "crampwise: toe, foot and leg cramps",
                "description": (
                    "Triage level, likely contributing causes and the cramp diary's frequency "
                    "and trend, from the patient's cramp symptom Observations."
                ),
                "prefetch": dict(PREFETCH),
            }
        ]
    }


def _resources(bundle: object, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise InvalidInputError(
            "the prefetch is not valid", [FieldProblem(where, "must be a FHIR Bundle")]
        )
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise InvalidInputError(
            "the prefetch is not valid", [FieldProblem(f"{where}.entry", "must be a list")]
        )
    return [e["resource"] for e in entries if isinstance(e, Mapping) and "resource" in e]


def _check_request(body: object) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The request's prefetch entries (patient, cramps), or a clear 422 / 412."""
    if not isinstance(body, Mapping):
        raise InvalidInputError(
            "the hook request is not valid", [FieldProblem("(body)", "must be a JSON object")]
        )
    problems = []
    if body.get("hook") != HOOK:
        problems.append(FieldProblem("hook", f"must be {HOOK!r}"))
    if not isinstance(body.get("hookInstance"), str) or not body["hookInstance"]:
        problems.append(FieldProblem("hookInstance", "is required: a UUID for this call"))
    context = body.get("context")
    if not isinstance(context, Mapping) or not isinstance(context.get("patientId"), str):
        problems.append(FieldProblem("context.patientId", "is required"))
    if problems:
        raise InvalidInputError("the hook request is not valid", problems)
    prefetch = body.get("prefetch")
    prefetch = prefetch if isinstance(prefetch, Mapping) else {}
    missing = [key for key in PREFETCH if prefetch.get(key) is None]
    if missing:
        # The service fetches nothing itself (no network), so it cannot fill the gap.
        raise PreconditionFailedError(
            "the prefetch this service needs is missing",
            [FieldProblem(f"prefetch.{key}", f"is required: {PREFETCH[key]}") for key in missing],
        )
    return prefetch, context  # type: ignore[return-value]


def hook_response(body: object, kb: KnowledgeBase, today: date, base_url: str) -> dict[str, Any]:
    """The cards for a ``patient-view`` call; ``base_url`` is this app's own address, which
    the card's source and report links point at."""
    from crampwise.analysis.prefill import diary_prefill
    from crampwise.case.model import Case
    from crampwise.checks import trusted
    from crampwise.engine.assess import assess
    from crampwise.engine.view import result_view
    from crampwise.fhir import episodes_from_observations, patient_facts

    prefetch, _context = _check_request(body)
    facts = patient_facts(prefetch["patient"], today=today, prefix="prefetch.patient.")
    observations = _resources(prefetch["cramps"], "prefetch.cramps")
    end_of_today = datetime.combine(today, time(23, 59, 59))
    episodes = episodes_from_observations(
        observations, prefix="prefetch.cramps.entry", now=end_of_today
    )
    recent = [e for e in episodes if today - timedelta(days=RECENT_DAYS - 1) <= e.day <= today]
    diary = diary_prefill(episodes, (), today)
    counted = f"{_cramps(len(recent))} in the last 4 weeks"
    if facts.age is None:
        summary = f"crampwise: {counted}; no triage without the patient's birth date"
        lines = [f"**{_cramps(len(episodes))} recorded**, {counted}.", ""]
        if diary is not None:
            lines += [_diary_words(diary.sentence), ""]
        lines.append("crampwise needs the patient's age to assess the cramps.")
        return {"cards": [_card(summary, "info", lines, base_url)]}
    findings = dict(diary.findings) if diary is not None else {}
    case = trusted(Case, age=float(facts.age), sex=facts.sex, findings=findings)
    view = result_view(assess(case, kb), kb)
    summary = f"crampwise triage: {view.level.name} — {counted}"
    lines = _detail(view, diary, episodes)
    return {"cards": [_card(summary, INDICATORS[view.level.level], lines, base_url)]}


def _diary_words(sentence: str) -> str:
    # The diary sentence speaks to the person ("your diary"); a clinician reads "the diary".
    return sentence.replace("From your diary:", "From the cramp diary:")


def _detail(view: ResultView, diary: DiaryPrefill | None, episodes: Sequence[Episode]) -> list[str]:
    lines = [f"**{view.level.label}.** Based on {_cramps(len(episodes))} recorded."]
    if diary is not None:
        lines.append(_diary_words(diary.sentence))
    lines.append("")
    if view.reasons or view.other_reasons:
        lines.append("Why:")
        lines += [f"- {r.text}" for r in (*view.reasons, *view.other_reasons)]
        lines.append("")
    if view.top_causes:
        lines.append("Likely contributing causes:")
        lines += [f"- {c.name} ({c.strength})" for c in view.top_causes]
        lines.append("")
    if view.unknown_warning_signs:
        lines.append(
            f"{len(view.unknown_warning_signs)} warning signs were not asked about: "
            "the symptom record alone cannot rule them out."
        )
        lines.append("")
    lines.append("Guidance from the patient's own record, not a diagnosis.")
    return lines


def _card(summary: str, indicator: str, lines: list[str], base_url: str) -> dict[str, Any]:
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1].rstrip() + "…"
    return {
        "summary": summary,
        "indicator": indicator,
        "detail": "\n".join(lines).strip(),
        "source": {"label": "crampwise (sources of its advice)", "url": f"{base_url}/sources"},
        "links": [
            {
                "label": "Clinician report from the patient's own crampwise diary",
                "url": f"{base_url}/report",
                "type": "absolute",
            }
        ],
    }


def _cramps(n: int) -> str:
    return f"{n} cramp" if n == 1 else f"{n} cramps"


__all__ = ["INDICATORS", "PREFETCH", "SERVICE_ID", "discovery", "hook_response"]
