"""JSON Schemas for the bodies the library validates itself, generated from the knowledge base.

They document the API (and let schemathesis generate valid cases); the library's parsers stay
the authority, so the document can never accept less than the case format allows.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from crampwise.case.model import AGE_MAX, AGE_MIN, FORMAT, SEXES
from crampwise.diary.factors import FactorDefinition, load_factors
from crampwise.diary.fields import DIARY_DATE_PATTERN, Note
from crampwise.engine.screening import warning_signs_question
from crampwise.knowledge import KnowledgeBase
from crampwise.knowledge.schema import Finding
from crampwise.web.interview_codec import MAX_ANSWERS


def finding_schema(finding: Finding) -> dict[str, Any]:
    schema: dict[str, Any]
    if finding.type == "bool":
        schema = {"type": "boolean"}
    elif finding.type == "choice":
        schema = {"type": "string", "enum": list(finding.choices)}
    else:
        schema = {"type": "integer" if finding.type == "integer" else "number"}
        if finding.minimum is not None:
            schema["minimum"] = finding.minimum
        if finding.maximum is not None:
            schema["maximum"] = finding.maximum
    schema["description"] = finding.meaning
    return schema


def _age() -> dict[str, Any]:
    return {"type": "number", "minimum": AGE_MIN, "maximum": AGE_MAX, "description": "years"}


def case_schema(kb: KnowledgeBase) -> dict[str, Any]:
    """crampwise-case/1: a finding left out is unknown, not false."""
    return {
        "title": "Case",
        "type": "object",
        "required": ["age"],
        "additionalProperties": False,
        "properties": {
            "format": {"type": "string", "enum": [FORMAT]},
            "age": _age(),
            "sex": {"anyOf": [{"type": "string", "enum": list(SEXES)}, {"type": "null"}]},
            "findings": {
                "type": "object",
                "additionalProperties": False,
                "properties": {fid: finding_schema(f) for fid, f in kb.findings.items()},
            },
        },
    }


def interview_schema(kb: KnowledgeBase) -> dict[str, Any]:
    """The answers so far; each answer names a question and sets only that question's findings.

    ``known`` pre-fills findings, which the answers may override."""
    answers = []
    # After a description the warning signs still open are asked as one generated checklist.
    for q in (*kb.questions, warning_signs_question(kb)):
        values = {
            fid: {"anyOf": [finding_schema(kb.findings[fid]), {"type": "null"}]}
            for fid in q.finding_ids()
        }
        answers.append(
            {
                "type": "object",
                "required": ["question_id", "values"],
                "additionalProperties": False,
                "properties": {
                    "question_id": {"type": "string", "enum": [q.id]},
                    "values": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": values,
                        "description": "finding id -> value; null = don't know",
                    },
                },
            }
        )
    return {
        "title": "InterviewState",
        "type": "object",
        "required": ["age"],
        "additionalProperties": False,
        "properties": {
            "age": _age(),
            "sex": {"anyOf": [{"type": "string", "enum": list(SEXES)}, {"type": "null"}]},
            "answers": {"type": "array", "maxItems": MAX_ANSWERS, "items": {"oneOf": answers}},
            "known": {
                **case_schema(kb)["properties"]["findings"],
                "description": "findings known before the interview (for example the case "
                "POST /api/v1/understand read): they are not asked again; a finding left "
                "out is unknown",
            },
            "described": {
                "type": "boolean",
                "default": False,
                "description": "true when known is what the person's own description settled "
                "(POST /api/v1/understand): the warning signs it left open are asked first as "
                "one checklist (question id warning_signs_open), then only what could change "
                "the level or the plan",
            },
        },
    }


ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DIARY_DATE = DIARY_DATE_PATTERN
# A note as the diary's records define it (length, no control characters).
NOTE = TypeAdapter(Note).json_schema()


def factor_schema(factor: FactorDefinition) -> dict[str, Any]:
    if factor.type == "bool":
        return {"type": "boolean", "description": factor.label}
    if factor.type == "choice":
        return {"type": "string", "enum": list(factor.choices), "description": factor.label}
    schema: dict[str, Any] = {"type": "number", "description": factor.label}
    if factor.minimum is not None:
        schema["minimum"] = factor.minimum
    if factor.maximum is not None:
        schema["maximum"] = factor.maximum
    return schema


def day_schema(with_date: bool = True) -> dict[str, Any]:
    """A day's factors (factors.yaml): leave a factor out when it was not recorded."""
    properties: dict[str, Any] = {
        "values": {
            "anyOf": [
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {f.id: factor_schema(f) for f in load_factors()},
                },
                {"type": "null", "description": "nothing recorded"},
            ]
        },
        "note": NOTE,
    }
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if with_date:
        properties = {
            "date": {"type": "string", "format": "date", "pattern": DIARY_DATE},
            **properties,
        }
        schema["required"] = ["date"]
    schema["properties"] = properties
    return {"title": "Day" if with_date else "DayUpdate", **schema}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """openapi_extra for an operation whose JSON body the view reads itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    }
