"""Read a FHIR R4 Bundle (as crampwise exports it) into a checked import plan.

Nothing in the file is trusted: its nesting depth is checked before it is parsed, its number
of entries is bounded, its structure is checked with fhir.resources, its status codes against
FHIR's required value sets, and every resource against what crampwise writes. Every problem
is named by its path in the bundle (``entry[4].resource.component[0].valueInteger``) and
nothing is imported unless all of it is right. The plan then goes through the same import
rules as any other file (:mod:`crampwise.diary.transfer`), so duplicates are skipped and days
merged in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from crampwise.diary.records import DayFactors, Episode, SavedAssessment
from crampwise.diary.transfer.plan import MAX_REPORTED, ImportPlan
from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.fhir.checks_in import saved_check
from crampwise.fhir.codes import Codes, load_codes
from crampwise.fhir.common import MAX_ENTRIES, Problems, fhir_date, is_number, role_of, shown
from crampwise.fhir.episodes import episode_fields, fhir_named, is_symptom_observation
from crampwise.json_depth import load_json_file_text

if TYPE_CHECKING:
    from crampwise.knowledge import KnowledgeBase

RESOURCE_TYPES = (
    "Patient",
    "Observation",
    "QuestionnaireResponse",
    "RiskAssessment",
    "Questionnaire",
    "CodeSystem",
)


def parse_fhir_bundle(text: str, source: str = "file") -> ImportPlan:
    """A checked import plan from the text of a FHIR Bundle, or InvalidInputError."""
    return plan_from_bundle(load_json_file_text(text, source, "a FHIR bundle"), source)


def plan_from_bundle(
    doc: object, source: str = "file", *, kb: KnowledgeBase | None = None
) -> ImportPlan:
    """A checked import plan from a parsed Bundle, or InvalidInputError naming each problem."""
    from crampwise.knowledge import load_knowledge

    if not isinstance(doc, Mapping) or doc.get("resourceType") != "Bundle":
        found = doc.get("resourceType") if isinstance(doc, Mapping) else type(doc).__name__
        raise InvalidInputError(
            f"{source}: not a FHIR bundle",
            [FieldProblem("resourceType", f"must be 'Bundle', got {found!r}")],
        )
    entries = doc.get("entry", [])
    if isinstance(entries, list) and len(entries) > MAX_ENTRIES:
        raise InvalidInputError(
            f"{source}: the bundle is too large",
            [FieldProblem("entry", f"has {len(entries)} entries; at most {MAX_ENTRIES}")],
        )
    codes, kb = load_codes(), kb or load_knowledge()
    _raise(source, _shape_problems(doc, codes))
    reader = _Reader(codes, kb)
    plan = reader.read(doc["entry"] if isinstance(doc.get("entry"), list) else [])
    _raise(source, reader.problems.items)
    plan.source = source
    return plan


def _shape_problems(doc: Mapping[str, Any], codes: Codes) -> list[FieldProblem]:
    from crampwise.fhir.validate import structure_problems

    problems: list[FieldProblem] = []
    if doc.get("type") != "collection":
        problems.append(FieldProblem("type", f"must be 'collection', got {doc.get('type')!r}"))
    entries = doc.get("entry", [])
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        rtype = resource.get("resourceType") if isinstance(resource, Mapping) else None
        if rtype not in RESOURCE_TYPES:
            problems.append(
                FieldProblem(
                    f"entry[{i}].resource.resourceType",
                    f"crampwise does not import {rtype!r}; allowed: {', '.join(RESOURCE_TYPES)}",
                )
            )
    if problems:  # a resource of another type makes the model's errors noise
        return problems
    return structure_problems(doc, codes)


def _raise(source: str, problems: list[FieldProblem]) -> None:
    if not problems:
        return
    shown_problems = problems[:MAX_REPORTED]
    more = len(problems) - len(shown_problems)
    tail = f" (first {MAX_REPORTED} of {len(problems)} problems shown)" if more else ""
    raise InvalidInputError(
        f"{source}: nothing imported: the FHIR bundle is invalid{tail}", shown_problems
    )


class _Reader:
    def __init__(self, codes: Codes, kb: KnowledgeBase) -> None:
        self.codes, self.kb, self.problems = codes, kb, Problems()
        self.now, self.today = datetime.now(), date.today()
        # (day, the diary's field) -> where its value is in the bundle
        self.value_at: dict[tuple[date, str], str] = {}

    def read(self, entries: list[Any]) -> ImportPlan:
        from crampwise.diary.validate import day_from_dict, episode_from_dict

        resources = [(i, e["resource"]) for i, e in enumerate(entries)]
        by_url = {e.get("fullUrl"): e["resource"] for e in entries if e.get("fullUrl")}
        self._one_patient(resources, entries)
        episodes: list[tuple[int, Episode]] = []
        days: dict[date, dict[str, Any]] = {}
        day_index: dict[date, int] = {}
        responses: dict[str, tuple[int, Mapping[str, Any]]] = {}
        risks: list[tuple[int, Mapping[str, Any]]] = []
        for i, res in resources:
            where = f"entry[{i}].resource."
            rtype = res["resourceType"]
            if rtype == "Observation" and res.get("status") == "entered-in-error":
                continue
            if rtype == "Observation" and is_symptom_observation(res, self.codes):
                ep = self._episode(res, where, episode_from_dict)
                if ep is not None:
                    episodes.append((i, ep))
            elif rtype == "Observation":
                self._day_part(res, where, days, day_index, i)
            elif rtype == "QuestionnaireResponse":
                responses[str(entries[i].get("fullUrl"))] = (i, res)
            elif rtype == "RiskAssessment":
                risks.append((i, res))
        saved = self._checks(responses, risks, by_url)
        plan_days: list[tuple[int, DayFactors]] = []
        for day, fields in days.items():
            where = f"entry[{day_index[day]}].resource."
            try:
                plan_days.append(
                    (day_index[day], day_from_dict(fields, prefix=where, today=self.today))
                )
            except InvalidInputError as exc:
                for p in exc.problems:  # named where the value is, not by the diary's field
                    name = p.field.removeprefix(where)
                    self.problems.add(self.value_at.get((day, name), where + name), p.message)
        order = [i for i, _ in episodes], [i for i, _ in plan_days], [i for i, _ in saved]

        def locate(section: str, index: int) -> tuple[str, int | None]:
            at = {"episodes": order[0], "days": order[1], "assessments": order[2]}[section]
            return (
                f"entry[{at[index]}].resource." if index < len(at) else f"{section}[{index}]."
            ), None

        return ImportPlan(
            episodes=[e for _, e in episodes],
            days=[d for _, d in plan_days],
            assessments=[s for _, s in saved],
            locate=locate,
        )

    def _one_patient(self, resources: list[tuple[int, Any]], entries: list[Any]) -> None:
        patients = [i for i, r in resources if r["resourceType"] == "Patient"]
        if len(patients) > 1:
            self.problems.add(
                f"entry[{patients[1]}]", "a bundle holds one person's diary: one Patient"
            )
        if not patients:
            return
        url = entries[patients[0]].get("fullUrl")
        for i, res in resources:
            subject = res.get("subject")
            ref = subject.get("reference") if isinstance(subject, Mapping) else None
            if ref is not None and ref != url:
                self.problems.add(
                    f"entry[{i}].resource.subject",
                    f"refers to {ref!r}, not the bundle's Patient ({url}): "
                    "a bundle holds one person's diary",
                )

    def _episode(self, res: Mapping[str, Any], where: str, build: Any) -> Episode | None:
        before = len(self.problems.items)
        if role_of(self.codes, res.get("valueCodeableConcept"), "cramp") != "cramp":
            got = shown(res.get("valueCodeableConcept"))
            self.problems.add(
                where + "valueCodeableConcept",
                f"crampwise imports cramps only (SNOMED CT 55300003 Cramp), got {got}",
            )
            return None
        fields = episode_fields(res, self.codes, where, self.problems)
        if len(self.problems.items) > before:
            return None
        try:
            episode: Episode = build(fields, prefix=where, now=self.now)
            return episode
        except InvalidInputError as exc:
            self.problems.items.extend(fhir_named(exc.problems, where))
            return None

    def _day_part(
        self,
        res: Mapping[str, Any],
        where: str,
        days: dict[date, dict[str, Any]],
        day_index: dict[date, int],
        i: int,
    ) -> None:
        """A day's panel (its note) or one factor's Observation, gathered by date."""
        kind = role_of(self.codes, res.get("code"), "")
        if kind != "diary_day" and (kind is None or not kind.startswith("factor.")):
            allowed = "LOINC 75325-1 (a symptom), the diary-day panel, or a daily factor"
            self.problems.add(
                where + "code",
                f"unknown Observation code ({shown(res.get('code'))}); allowed: {allowed}",
            )
            return
        day = fhir_date(res.get("effectiveDateTime"))
        if day is None:
            self.problems.add(where + "effectiveDateTime", "is required: the day, as YYYY-MM-DD")
            return
        fields = days.setdefault(day, {"date": day.isoformat(), "values": {}, "note": None})
        day_index.setdefault(day, i)
        if kind == "diary_day":
            notes = res.get("note")
            if isinstance(notes, list) and notes:
                texts = [n.get("text") if isinstance(n, Mapping) else None for n in notes]
                if not all(isinstance(t, str) for t in texts):
                    self.problems.add(where + "note", "each note must have a text")
                elif fields["note"] is not None:
                    self.problems.add(where, f"a second diary-day panel for {day}")
                else:
                    fields["note"] = "\n\n".join(str(t) for t in texts)
            return
        factor_id = kind.removeprefix("factor.")
        if factor_id in fields["values"]:
            self.problems.add(where + "code", f"{factor_id} is recorded twice for {day}")
            return
        value = self._factor_value(res, factor_id, where)
        if value is not None:
            fields["values"][factor_id] = value
            key = next(k for k in res if k.startswith("value"))
            suffix = ".value" if key == "valueQuantity" else ""
            self.value_at[(day, f"values.{factor_id}")] = where + key + suffix

    def _factor_value(self, res: Mapping[str, Any], factor_id: str, where: str) -> object:
        if "valueBoolean" in res:
            value = res["valueBoolean"]
            if isinstance(value, bool):
                return value
            self.problems.add(where + "valueBoolean", f"must be true or false, got {value!r}")
            return None
        if "valueCodeableConcept" in res:
            prefix = f"choice.{factor_id}."
            found = role_of(self.codes, res["valueCodeableConcept"], prefix)
            if found is None:
                allowed = ", ".join(
                    c.code for c in self.codes.concepts.values() if c.id.startswith(prefix)
                )
                got = shown(res["valueCodeableConcept"])
                self.problems.add(
                    where + "valueCodeableConcept",
                    f"unknown answer ({got}); allowed: {allowed or 'none'}",
                )
                return None
            return found.removeprefix(prefix)
        quantity = res.get("valueQuantity")
        unit = self.codes.units.get(factor_id)
        if isinstance(quantity, Mapping) and unit is not None:
            value = quantity.get("value")
            if quantity.get("code") != unit.code:
                self.problems.add(
                    where + "valueQuantity.code",
                    f"must be the UCUM unit {unit.code!r}, got {quantity.get('code')!r}",
                )
            elif isinstance(value, int | float) and is_number(value):
                return float(value)
            else:
                self.problems.add(where + "valueQuantity.value", f"must be a number, got {value!r}")
            return None
        self.problems.add(where + "value[x]", f"is required for {factor_id}: the day's value")
        return None

    def _checks(
        self,
        responses: dict[str, tuple[int, Mapping[str, Any]]],
        risks: list[tuple[int, Mapping[str, Any]]],
        by_url: Mapping[Any, Any],
    ) -> list[tuple[int, SavedAssessment]]:
        """Each RiskAssessment with the QuestionnaireResponse it is based on: a saved check."""
        out: list[tuple[int, SavedAssessment]] = []
        used: set[str] = set()
        for i, risk in risks:
            where = f"entry[{i}].resource."
            basis = risk.get("basis")
            refs = (
                [b.get("reference") for b in basis if isinstance(b, Mapping)]
                if isinstance(basis, list)
                else []
            )
            matched = [r for r in refs if r in responses]
            if len(matched) != 1:
                self.problems.add(
                    where + "basis", "must refer to exactly one QuestionnaireResponse in the bundle"
                )
                continue
            used.add(matched[0])
            j, response = responses[matched[0]]
            found = saved_check(
                response, risk, f"entry[{j}].resource.", where, self.kb, self.codes, self.problems
            )
            if found is not None:
                out.append((j, found))
        for url, (j, _response) in responses.items():
            if url not in used:
                self.problems.add(
                    f"entry[{j}]",
                    "a saved check's answers need the RiskAssessment that holds its result",
                )
        return out
