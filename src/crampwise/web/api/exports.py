"""GET /api/v1/insights and GET /api/v1/export: what the diary says, and all of it to take away
(crampwise JSON, CSV, or a FHIR R4 Bundle for a health record)."""

from __future__ import annotations

import io
import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from starlette.requests import Request
from starlette.responses import Response

from crampwise.diary.store import DiaryStore
from crampwise.web.api.diary import From, To, query_range
from crampwise.web.api.models import InsightsOut
from crampwise.web.app import app_state
from crampwise.web.errors import ERROR_RESPONSES
from crampwise.web.insights_cache import app_cache

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["diary"])


def _store(request: Request) -> DiaryStore:
    return app_state(request).store()


Store = Annotated[DiaryStore, Depends(_store)]


def finite(value: Any) -> Any:
    """JSON has no NaN or infinity: an estimate that could not be made becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


@router.get("/insights", response_model=InsightsOut)
def insights(request: Request, store: Store, start: From = None, end: To = None) -> dict[str, Any]:
    """Summary, possible triggers (rate ratios) and the trend, from ``from`` to ``to``
    (inclusive days; default the whole diary)."""
    first, last = query_range(start, end)

    def compute() -> dict[str, Any]:
        from crampwise.analysis.insights import build_insights  # statistics: on demand
        from crampwise.diary.factors import load_factors

        episodes, days = store.list_episodes(first, last), store.list_days(first, last)
        result = build_insights(episodes, days, factors=load_factors(), today=last)
        out: dict[str, Any] = finite(result.to_dict())
        return out

    # Kept per owner and diary revision (web/insights_cache.py); FastAPI copies it into
    # the response model, so the kept dict is never changed by a request.
    return app_cache(request.app).get(store, "api", (first, last), compute)


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The diary: a crampwise-diary/1 JSON document, a CSV table, or "
        "(format=fhir) a FHIR R4 Bundle of type collection",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
            "application/fhir+json": {
                "schema": {
                    "type": "object",
                    "required": ["resourceType", "type", "entry"],
                    "properties": {
                        "resourceType": {"const": "Bundle"},
                        "type": {"const": "collection"},
                        "timestamp": {"type": "string"},
                        "entry": {"type": "array", "items": {"type": "object"}},
                    },
                }
            },
        },
    }
}


@router.get("/export", response_class=Response, responses=EXPORT_RESPONSES)
def export(
    store: Store,
    format: Annotated[
        Literal["json", "csv", "fhir"],
        Query(description="json, csv, or fhir (a FHIR R4 Bundle, application/fhir+json)"),
    ] = "json",
    table: Annotated[
        Literal["episodes", "days"], Query(description="which table, for CSV only")
    ] = "episodes",
) -> Response:
    """Everything in the diary. JSON holds episodes, days and saved assessments; CSV one table;
    FHIR all of it as Symptoms IG Observations, factor Observations, and each saved check as a
    QuestionnaireResponse and a RiskAssessment."""
    from crampwise.diary import transfer

    if format == "json":
        return JSONResponse(finite(transfer.export_document(store)))
    if format == "fhir":
        from crampwise.fhir import FHIR_JSON, export_bundle  # fhir.resources: loaded on demand

        return JSONResponse(export_bundle(store), media_type=FHIR_JSON)
    out = io.StringIO()
    if table == "episodes":
        transfer.write_episodes_csv(store.list_episodes(), out)
    else:
        transfer.write_days_csv(store.list_days(), out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
