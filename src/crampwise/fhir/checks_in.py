"""A saved check back from its QuestionnaireResponse (the case) and RiskAssessment (the result).

The case is rebuilt from the answers (linkId = finding id), each value checked against the
knowledge base's findings, unless the response carries the case as crampwise JSON (the export
adds it only when the answers cannot hold all of it). The result must be the crampwise JSON in
the RiskAssessment's extension, and its triage level must agree with the level the
RiskAssessment states.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from crampwise.case.model import FORMAT as CASE_FORMAT
from crampwise.case.model import check_finding_value
from crampwise.diary.records import SavedAssessment
from crampwise.fhir.codes import Codes
from crampwise.fhir.common import (
    ANSWER_SYSTEM,
    EXT_CASE,
    EXT_RESULT,
    EXT_TRIAGE,
    QUESTIONNAIRE_URL,
    TRIAGE_SYSTEM,
    Problems,
    codings,
    is_number,
    role_of,
    wall_clock,
)

if TYPE_CHECKING:
    from crampwise.knowledge import KnowledgeBase


def saved_check(
    response: Mapping[str, Any],
    risk: Mapping[str, Any],
    rwhere: str,
    kwhere: str,
    kb: KnowledgeBase,
    codes: Codes,
    problems: Problems,
) -> SavedAssessment | None:
    before = len(problems.items)
    created = wall_clock(response.get("authored"))
    if created is None:
        problems.add(rwhere + "authored", "is required: when the check was saved (date and time)")
    canonical = response.get("questionnaire")
    url, _, version = canonical.partition("|") if isinstance(canonical, str) else ("", "", "")
    if url != QUESTIONNAIRE_URL or not version:
        problems.add(
            rwhere + "questionnaire",
            f"must be {QUESTIONNAIRE_URL}|<knowledge version>, got {canonical!r}",
        )
    case = _json_extension(response, EXT_CASE, rwhere, problems)
    if case is None:
        case = _case_from_items(response, rwhere, kb, codes, problems)
    result = _json_extension(risk, EXT_RESULT, kwhere, problems)
    if result is None:
        problems.add(
            kwhere + "extension",
            f"needs the check's result ({EXT_RESULT}): only crampwise's own checks can be imported",
        )
    else:
        _same_level(risk, result, kwhere, problems)
    if len(problems.items) > before or created is None or result is None:
        return None
    return SavedAssessment(created, case, result, version)


def _json_extension(
    resource: Mapping[str, Any], url: str, where: str, problems: Problems
) -> dict[str, Any] | None:
    extensions = resource.get("extension")
    for i, ext in enumerate(extensions if isinstance(extensions, list) else []):
        if not isinstance(ext, Mapping) or ext.get("url") != url:
            continue
        try:
            value = json.loads(ext.get("valueString") or "")
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, dict):
            problems.add(f"{where}extension[{i}].valueString", "must be a JSON object")
            return None
        return value
    return None


def _same_level(
    risk: Mapping[str, Any], result: Mapping[str, Any], where: str, problems: Problems
) -> None:
    triage = result.get("triage")
    level = triage.get("level") if isinstance(triage, Mapping) else None
    extensions = risk.get("extension")
    for i, ext in enumerate(extensions if isinstance(extensions, list) else []):
        if isinstance(ext, Mapping) and ext.get("url") == EXT_TRIAGE:
            stated = [
                c.get("code")
                for c in codings(ext.get("valueCodeableConcept"))
                if c.get("system") == TRIAGE_SYSTEM
            ]
            if stated != [level]:
                problems.add(
                    f"{where}extension[{i}]",
                    f"states the triage level {stated}, but the result says {level!r}",
                )


def _case_from_items(
    response: Mapping[str, Any], where: str, kb: KnowledgeBase, codes: Codes, problems: Problems
) -> dict[str, Any]:
    case: dict[str, Any] = {"format": CASE_FORMAT}
    findings: dict[str, Any] = {}
    for path, item in _items(response.get("item"), where + "item"):
        link = item.get("linkId")
        answers = item.get("answer")
        if not isinstance(answers, list) or not answers:
            continue  # a group
        if len(answers) != 1 or not isinstance(answers[0], Mapping):
            problems.add(path + ".answer", "must hold exactly one answer")
            continue
        answer = answers[0]
        if link == "age":
            age = answer.get("valueDecimal", answer.get("valueInteger"))
            if not is_number(age):
                problems.add(path + ".answer[0]", f"age must be a number of years, got {age!r}")
            else:
                case["age"] = age
        elif link == "sex":
            sex = role_of(
                codes, answer.get("valueCoding") and {"coding": [answer["valueCoding"]]}, "sex."
            )
            if sex is None:
                problems.add(
                    path + ".answer[0].valueCoding",
                    "must be female, male or other (administrative-gender)",
                )
            else:
                case["sex"] = sex.removeprefix("sex.")
        elif link in kb.findings:
            value = _finding_value(kb, str(link), answer)
            if value is None:
                problems.add(path + ".answer[0]", f"is not a valid answer for {link}")
            else:
                findings[str(link)] = value
        else:
            problems.add(path + ".linkId", f"unknown finding id {link!r}")
    if "age" not in case:
        problems.add(where + "item", "needs the age (linkId 'age')")
    case["findings"] = findings
    return case


def _items(items: object, where: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, Mapping):
            yield f"{where}[{i}]", item
            yield from _items(item.get("item"), f"{where}[{i}].item")


def _finding_value(kb: KnowledgeBase, finding_id: str, answer: Mapping[str, Any]) -> object:
    finding = kb.findings[finding_id]
    if finding.type == "bool":
        value: object = answer.get("valueBoolean")
    elif finding.type == "integer":
        value = answer.get("valueInteger")
    elif finding.type == "number":
        value = answer.get("valueDecimal", answer.get("valueInteger"))
    else:
        coding = answer.get("valueCoding")
        code = (
            coding.get("code")
            if isinstance(coding, Mapping) and coding.get("system") == ANSWER_SYSTEM
            else None
        )
        value = (
            code.removeprefix(f"{finding_id}.")
            if isinstance(code, str) and code.startswith(f"{finding_id}.")
            else None
        )
    checked = check_finding_value(finding, value)
    return None if checked is None else value
