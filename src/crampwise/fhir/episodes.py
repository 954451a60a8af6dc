"""One cramp as an HL7 Symptoms IG Observation, and back.

The Observation: category symptom, code LOINC 75325-1 "Symptom", valueCodeableConcept SNOMED
CT 55300003 "Cramp", the first site in ``bodySite`` (R4 allows one) and each further site as a
"finding site" component, ``effectivePeriod`` from the start and the duration, the 0-10 rating
as a LOINC 72514-3 component, the note in ``note``; side, activity (the IG's otherEvents),
actions, whether they helped and the exact duration as components. Codes: data/codes.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from crampwise.diary.records import Episode
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.fhir.codes import Codes
from crampwise.fhir.common import (
    SYMPTOM_PROFILE,
    Problems,
    fhir_datetime,
    has_coding,
    is_number,
    role_of,
    shown,
    wall_clock,
)

# The end written from a start and a float duration is rounded to the microsecond; the
# duration component keeps the exact value, and the two must agree within this.
_END_TOLERANCE = timedelta(seconds=1)


def episode_observation(ep: Episode, codes: Codes, patient: str) -> dict[str, Any]:
    """The Symptoms IG Observation of one cramp; ``patient`` is the Patient's fullUrl."""
    start = ep.started_at
    end = start + timedelta(minutes=ep.duration_minutes)
    components: list[dict[str, Any]] = [
        {"code": codes.concept("severity_rating"), "valueInteger": ep.severity},
        {
            "code": codes.concept("duration"),
            "valueQuantity": {
                "value": ep.duration_minutes,
                "unit": "minutes",
                "system": "http://unitsofmeasure.org",
                "code": "min",
            },
        },
    ]
    for site in ep.sites[1:]:
        components.append(
            {
                "code": codes.concept("finding_site"),
                "valueCodeableConcept": codes.concept(f"site.{site}"),
            }
        )
    if ep.side is not None:
        components.append(
            {
                "code": codes.concept("laterality"),
                "valueCodeableConcept": codes.concept(f"side.{ep.side}"),
            }
        )
    if ep.activity is not None:
        components.append(
            {
                "code": codes.concept("other_event"),
                "valueCodeableConcept": codes.concept(f"activity.{ep.activity}"),
            }
        )
    for action in ep.actions:
        components.append(
            {
                "code": codes.concept("action_taken"),
                "valueCodeableConcept": codes.concept(f"action.{action}"),
            }
        )
    if ep.helped is not None:
        components.append({"code": codes.concept("helped"), "valueBoolean": ep.helped})
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "meta": {"profile": [SYMPTOM_PROFILE]},
        "status": "final",
        "category": [codes.concept("symptom_category")],
        "code": codes.concept("symptom_code"),
        "subject": {"reference": patient},
        "effectivePeriod": {"start": fhir_datetime(start), "end": fhir_datetime(end)},
        "performer": [{"reference": patient}],
        "valueCodeableConcept": codes.concept("cramp"),
        "bodySite": codes.concept(f"site.{ep.sites[0]}"),
        "component": components,
    }
    if ep.note is not None:
        obs["note"] = [{"text": ep.note}]
    return obs


def is_cramp_observation(resource: Mapping[str, Any], codes: Codes) -> bool:
    """A symptom Observation whose symptom is a cramp (what the export writes per cramp)."""
    cramp = codes.get("cramp")
    return (
        resource.get("resourceType") == "Observation"
        and is_symptom_observation(resource, codes)
        and has_coding(resource.get("valueCodeableConcept"), codes.url(cramp), cramp.code)
    )


def is_symptom_observation(resource: Mapping[str, Any], codes: Codes) -> bool:
    symptom = codes.get("symptom_code")
    return has_coding(resource.get("code"), codes.url(symptom), symptom.code)


def episode_fields(
    obs: Mapping[str, Any], codes: Codes, where: str, problems: Problems
) -> dict[str, Any]:
    """The diary fields of a cramp Observation (checked by the diary's rules afterwards).

    Every problem is added to ``problems`` with its path below ``where`` (``entry[3].resource.``).
    """
    out: dict[str, Any] = {}
    check_symptom_ig(obs, codes, where, problems)
    period = obs.get("effectivePeriod")
    start = wall_clock(period.get("start")) if isinstance(period, Mapping) else None
    if start is None:
        problems.add(
            where + "effectivePeriod",
            "is required, with a start date and time: when the cramp started",
        )
    sites: list[str] = []
    site = role_of(codes, obs.get("bodySite"), "site.")
    if site is None:
        problems.add(where + "bodySite", _unknown("body site", obs.get("bodySite"), codes, "site."))
    else:
        sites.append(site.removeprefix("site."))
    duration: float | None = None
    actions: list[str] = []
    components = obs.get("component", [])
    for i, comp in enumerate(components if isinstance(components, list) else []):
        at = f"{where}component[{i}]."
        kind = role_of(codes, comp.get("code"), "") if isinstance(comp, Mapping) else None
        if not isinstance(comp, Mapping) or kind not in _COMPONENTS:
            got = shown(comp.get("code") if isinstance(comp, Mapping) else None)
            allowed = _allowed_components(codes)
            problems.add(at + "code", f"unknown component code ({got}); allowed: {allowed}")
            continue
        if kind == "severity_rating":
            value = comp.get("valueInteger")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                problems.add(
                    at + "valueInteger", f"must be a whole number from 0 to 10, got {value!r}"
                )
            else:
                out["severity"] = value
        elif kind == "duration":
            quantity = comp.get("valueQuantity")
            value = quantity.get("value") if isinstance(quantity, Mapping) else None
            if (
                not is_number(value)
                or not isinstance(quantity, Mapping)
                or quantity.get("code") != "min"
            ):
                problems.add(at + "valueQuantity", "must be a number of minutes (UCUM code min)")
            else:
                duration = float(value) if isinstance(value, int) else value
        elif kind == "helped":
            value = comp.get("valueBoolean")
            if not isinstance(value, bool):
                problems.add(at + "valueBoolean", f"must be true or false, got {value!r}")
            else:
                out["helped"] = value
        else:
            prefix, field = _CODED[kind]
            found = role_of(codes, comp.get("valueCodeableConcept"), prefix)
            if found is None:
                problems.add(
                    at + "valueCodeableConcept",
                    _unknown(field, comp.get("valueCodeableConcept"), codes, prefix),
                )
                continue
            word = found.removeprefix(prefix)
            if kind == "finding_site":
                sites.append(word)
            elif kind == "action_taken":
                actions.append(word)
            else:
                out[field] = word
    if "severity" not in out and not any(p.field.endswith("valueInteger") for p in problems.items):
        problems.add(where + "component", "needs the severity: a LOINC 72514-3 component, 0 to 10")
    end = wall_clock(period.get("end")) if isinstance(period, Mapping) else None
    if start is not None:
        if duration is None and end is None:
            problems.add(
                where + "effectivePeriod.end",
                "is required (or the duration component): how long the cramp lasted",
            )
        elif duration is None and end is not None:
            duration = (end - start).total_seconds() / 60
        elif duration is not None and end is not None:
            if abs(end - start - timedelta(minutes=duration)) > _END_TOLERANCE:
                problems.add(where + "effectivePeriod.end", "disagrees with the duration component")
        out["started_at"] = start
    if duration is not None:
        out["duration_minutes"] = duration
    out["sites"] = sites
    if actions:
        out["actions"] = actions
    notes = obs.get("note")
    if isinstance(notes, list) and notes:
        texts = [n.get("text") for n in notes if isinstance(n, Mapping)]
        if all(isinstance(t, str) for t in texts):
            out["note"] = "\n\n".join(str(t) for t in texts)
        else:
            problems.add(where + "note", "each note must have a text")
    return out


_COMPONENTS = (
    "severity_rating",
    "duration",
    "finding_site",
    "laterality",
    "other_event",
    "action_taken",
    "helped",
)
# component -> (the concept-id prefix of its values, the diary's word for it)
_CODED = {
    "finding_site": ("site.", "body site"),
    "laterality": ("side.", "side"),
    "other_event": ("activity.", "activity"),
    "action_taken": ("action.", "action"),
}


def _allowed_components(codes: Codes) -> str:
    return ", ".join(f"{codes.url(codes.get(k))}|{codes.get(k).code}" for k in _COMPONENTS)


def _unknown(noun: str, value: object, codes: Codes, prefix: str) -> str:
    allowed = ", ".join(
        f"{c.code} ({c.display})" for c in codes.concepts.values() if c.id.startswith(prefix)
    )
    return f"unknown {noun} ({shown(value)}); allowed: {allowed}"


def check_symptom_ig(obs: Mapping[str, Any], codes: Codes, where: str, problems: Problems) -> None:
    """The Symptoms IG's SHALLs that FHIR's own rules (and fhir.resources) leave open."""
    category = codes.get("symptom_category")
    if not any(
        has_coding(c, codes.url(category), category.code) for c in _list(obs.get("category"))
    ):
        problems.add(
            where + "category",
            f"must include {codes.url(category)}|{category.code} (the Symptoms IG)",
        )
    subject = obs.get("subject")
    if not isinstance(subject, Mapping) or not isinstance(subject.get("reference"), str):
        problems.add(where + "subject", "is required: a reference to the Patient")
    performers = _list(obs.get("performer"))
    if len(performers) != 1:
        problems.add(where + "performer", "must be exactly one: the Patient who reported the cramp")
    for name in ("dataAbsentReason", "interpretation", "specimen", "device", "referenceRange"):
        if name in obs:
            problems.add(where + name, "is not allowed in a symptom Observation (Symptoms IG)")
    if "effectiveDateTime" in obs:
        problems.add(
            where + "effectiveDateTime", "use effectivePeriod: a cramp has a start and a length"
        )


# diary field -> the FHIR path it came from, for the diary's own rules' messages
_EPISODE_PATHS = {
    "started_at": "effectivePeriod.start",
    "duration_minutes": "effectivePeriod",
    "sites": "bodySite",
    "severity": "component",
    "note": "note",
    "side": "component",
    "activity": "component",
    "actions": "component",
}


def fhir_named(problems: Sequence[FieldProblem], where: str) -> list[FieldProblem]:
    """The diary's own problems with an episode, named by where the value is in the resource."""
    out = []
    for p in problems:
        name = p.field.removeprefix(where)
        out.append(FieldProblem(where + _EPISODE_PATHS.get(name, name), p.message))
    return out


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def episodes_from_observations(
    resources: Sequence[Mapping[str, Any]],
    *,
    prefix: str = "",
    now: datetime | None = None,
    codes: Codes | None = None,
) -> list[Episode]:
    """The cramps among FHIR resources (JSON dicts), as validated diary Episodes.

    Resources that are not cramp symptom Observations, or that were entered in error, are
    skipped. InvalidInputError lists every problem, each named ``{prefix}[i].<path>``.
    """
    from crampwise.diary.validate import episode_from_dict
    from crampwise.fhir.codes import load_codes

    codes = codes or load_codes()
    problems, episodes = Problems(), []
    for i, resource in enumerate(resources):
        if not isinstance(resource, Mapping) or not is_cramp_observation(resource, codes):
            continue
        if resource.get("status") == "entered-in-error":
            continue
        where = f"{prefix}[{i}]."
        before = len(problems.items)
        fields = episode_fields(resource, codes, where, problems)
        if len(problems.items) > before:
            continue
        try:
            episodes.append(episode_from_dict(fields, prefix=where, now=now))
        except InvalidInputError as exc:
            problems.items.extend(fhir_named(exc.problems, where))
    if problems:
        raise InvalidInputError("invalid cramp Observations", problems.items)
    return episodes
