"""Saved checks in FHIR: a Questionnaire generated from the knowledge base's questions, each
check's answers as a QuestionnaireResponse (answers by finding id), and its result as a
RiskAssessment (the triage level and the ranked causes).

The crampwise JSON of the result always travels in an extension of the RiskAssessment, so an
import gets back exactly what was saved (plan, references and all); the case travels as JSON
too only when some of it does not fit the Questionnaire (an answer from an older knowledge
base, say). The CodeSystems of causes, triage levels and choice answers are generated from
the knowledge files, whose ids they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crampwise.case.model import FORMAT as CASE_FORMAT
from crampwise.case.model import check_finding_value
from crampwise.diary.records import SavedAssessment
from crampwise.fhir.codes import Codes
from crampwise.fhir.common import (
    ANSWER_SYSTEM,
    CAUSE_SYSTEM,
    EXT_CASE,
    EXT_RESULT,
    EXT_TRIAGE,
    QUESTIONNAIRE_URL,
    TRIAGE_SYSTEM,
    fhir_datetime,
)
from crampwise.knowledge.schema import SEXES

if TYPE_CHECKING:
    from crampwise.knowledge import KnowledgeBase
    from crampwise.knowledge.schema import Finding, Question

_CASE_KEYS = ("format", "age", "sex", "findings")


def generated_code_systems(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """CodeSystems of the knowledge base's causes, triage levels and choice answers."""
    causes = [{"code": c.id, "display": c.name} for c in kb.causes]
    levels = [{"code": lv, "display": info.name} for lv, info in kb.levels.items()]
    answers = [
        {"code": f"{f.id}.{choice}", "display": _choice_label(kb, f, choice)}
        for f in kb.findings.values()
        for choice in f.choices
    ]
    return [
        _code_system(
            CAUSE_SYSTEM,
            "cause",
            "crampwise contributing causes",
            kb.version,
            causes,
            "Contributing causes of cramps that the crampwise check ranks "
            "(knowledge/data/causes.yaml).",
        ),
        _code_system(
            TRIAGE_SYSTEM,
            "triage-level",
            "crampwise triage levels",
            kb.version,
            levels,
            "How urgently to seek care, as the crampwise check says it "
            "(knowledge/data/triage_rules.yaml).",
        ),
        _code_system(
            ANSWER_SYSTEM,
            "finding-answer",
            "crampwise check answers",
            kb.version,
            answers,
            "Answers of the check's choice questions, as <finding>.<answer> "
            "(knowledge/data/findings.yaml).",
        ),
    ]


def static_code_systems(codes: Codes) -> list[dict[str, Any]]:
    """CodeSystems of crampwise's own codes in data/codes.yaml."""
    out = []
    for system in codes.systems.values():
        if not system.defined_here:
            continue
        concepts = [{"code": c.code, "display": c.display} for c in codes.in_system(system.id)]
        name = system.url.rsplit("/", 1)[-1]
        out.append(
            _code_system(system.url, name, system.title, None, concepts, system.description or "")
        )
    return out


def _code_system(
    url: str,
    name: str,
    title: str,
    version: str | None,
    concepts: list[dict[str, str]],
    description: str,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "CodeSystem",
        "url": url,
        "name": "Crampwise" + "".join(p.capitalize() for p in name.replace("_", "-").split("-")),
        "title": title,
        "status": "active",
        "description": description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }
    if version is not None:
        resource["version"] = version
    return resource


def _choice_label(kb: KnowledgeBase, finding: Finding, choice: str) -> str:
    for q in kb.questions:
        if q.finding == finding.id and choice in q.option_labels:
            return q.option_labels[choice]
    return choice.replace("_", " ")


def questionnaire(kb: KnowledgeBase, codes: Codes) -> dict[str, Any]:
    """The check's questions as a Questionnaire: a group per question, an item per finding."""
    sexes = [{"valueCoding": codes.coding(f"sex.{s}")} for s in SEXES]
    items: list[dict[str, Any]] = [
        {"linkId": "age", "text": "Age in years", "type": "decimal", "required": True},
        {"linkId": "sex", "text": "Sex", "type": "choice", "answerOption": sexes},
    ]
    items += [_question_group(kb, q) for q in kb.questions]
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": kb.version,
        "name": "CrampwiseCheck",
        "title": "crampwise check of leg and foot cramps",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "Generated from crampwise's knowledge/data/questions.yaml and "
        "findings.yaml: each item's linkId is a finding id of the case format crampwise-case/1.",
        "item": items,
    }


def _question_group(kb: KnowledgeBase, q: Question) -> dict[str, Any]:
    if q.kind == "checklist":
        children = [_finding_item(kb.findings[i.finding], i.label) for i in q.items]
    else:
        assert q.finding is not None
        children = [_finding_item(kb.findings[q.finding], q.text, q.option_labels)]
    return {"linkId": group_link(q.id), "text": q.text, "type": "group", "item": children}


def group_link(question_id: str) -> str:
    """A question's group linkId: linkIds are unique in a Questionnaire, and a question may
    share its id with the one finding it asks (``side``)."""
    return f"question/{question_id}"


_ITEM_TYPES = {"bool": "boolean", "number": "decimal", "integer": "integer", "choice": "choice"}


def _finding_item(
    finding: Finding, text: str, labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": finding.id, "text": text, "type": _ITEM_TYPES[finding.type]}
    if finding.type == "choice":
        item["answerOption"] = [
            {
                "valueCoding": {
                    "system": ANSWER_SYSTEM,
                    "code": f"{finding.id}.{c}",
                    "display": (labels or {}).get(c, c.replace("_", " ")),
                }
            }
            for c in finding.choices
        ]
    return item


def check_resources(
    saved: SavedAssessment, kb: KnowledgeBase, codes: Codes, patient: str, response_url: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The QuestionnaireResponse and the RiskAssessment of one saved check."""
    authored = fhir_datetime(saved.created_at)
    items, fits = _answer_items(saved.case, kb, codes)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{saved.knowledge_version}",
        "status": "completed",
        "subject": {"reference": patient},
        "authored": authored,
        "author": {"reference": patient},
        "source": {"reference": patient},
        "item": items,
    }
    if not fits:
        response["extension"] = [{"url": EXT_CASE, "valueString": _json(saved.case)}]
    risk: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "code": codes.concept("check"),
        "subject": {"reference": patient},
        "occurrenceDateTime": authored,
        "basis": [{"reference": response_url}],
        "extension": [{"url": EXT_RESULT, "valueString": _json(saved.result)}],
    }
    level = _get(saved.result, "triage", "level")
    if isinstance(level, str) and level in kb.levels:
        risk["extension"].insert(
            0,
            {
                "url": EXT_TRIAGE,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": TRIAGE_SYSTEM, "code": level, "display": kb.levels[level].name}
                    ]
                },
            },
        )
        action = _get(saved.result, "triage", "action")
        if isinstance(action, str) and action:
            risk["mitigation"] = action
    predictions = []
    for cause in (
        saved.result.get("causes", []) if isinstance(saved.result.get("causes"), list) else []
    ):
        cause_id = cause.get("id") if isinstance(cause, Mapping) else None
        if cause_id not in kb.cause_by_id:
            continue
        name = kb.cause_by_id[cause_id].name
        prediction: dict[str, Any] = {
            "outcome": {"coding": [{"system": CAUSE_SYSTEM, "code": cause_id, "display": name}]}
        }
        explanation = cause.get("explanation")
        if isinstance(explanation, str) and explanation:
            prediction["rationale"] = explanation
        predictions.append(prediction)
    if predictions:
        risk["prediction"] = predictions
    return response, risk


def _get(data: Mapping[str, Any], *keys: str) -> object:
    node: object = data
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _answer_items(
    case: Mapping[str, Any], kb: KnowledgeBase, codes: Codes
) -> tuple[list[dict[str, Any]], bool]:
    """The answer items of a case, and whether they hold all of it exactly."""
    fits = set(case) <= set(_CASE_KEYS) and case.get("format") == CASE_FORMAT
    items: list[dict[str, Any]] = []
    age = case.get("age")
    if isinstance(age, int | float) and not isinstance(age, bool):
        items.append({"linkId": "age", "answer": [{"valueDecimal": age}]})
    else:
        fits = False
    sex = case.get("sex")
    if isinstance(sex, str) and sex in SEXES:
        items.append({"linkId": "sex", "answer": [{"valueCoding": codes.coding(f"sex.{sex}")}]})
    elif "sex" in case:
        fits = False
    findings = case.get("findings")
    if not isinstance(findings, Mapping):
        return items, False
    placed: set[str] = set()
    for q in kb.questions:
        ids = [i.finding for i in q.items] if q.kind == "checklist" else [q.finding or ""]
        children = []
        for fid in ids:
            if fid in findings:
                answer = _answer(kb.findings[fid], findings[fid])
                if answer is not None:
                    children.append({"linkId": fid, "answer": [answer]})
                    placed.add(fid)
        if children:
            items.append({"linkId": group_link(q.id), "item": children})
    return items, fits and placed == set(findings)


def _answer(finding: Finding, value: object) -> dict[str, Any] | None:
    checked = check_finding_value(finding, value)
    if checked is None or type(checked) is not type(value):
        return None  # not this finding's kind of value: only the case JSON can carry it
    if finding.type == "bool":
        return {"valueBoolean": value}
    if finding.type == "integer":
        return {"valueInteger": value}
    if finding.type == "number":
        return {"valueDecimal": value}
    return {"valueCoding": {"system": ANSWER_SYSTEM, "code": f"{finding.id}.{value}"}}
