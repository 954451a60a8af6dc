"""CDS Hooks 2.0 routes: discovery, and the ``patient-view`` service (``crampwise.cds``).

Every service call must carry a bearer JWT from a client listed in the file
``CRAMPWISE_CDS_CLIENTS`` names; the JSON errors use the API's one error shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from crampwise.errors import NotFoundError
from crampwise.web.api.body import json_object
from crampwise.web.app import app_state

# Not in /openapi.json (the /api/v1 API): the discovery document describes this service.
router = APIRouter(prefix="/cds-services", include_in_schema=False)


@router.get("", summary="CDS Hooks discovery: the services this app offers")
def discovery() -> dict[str, Any]:
    from crampwise.cds import discovery as services

    return services()


@router.post(
    "/{service_id}",
    summary="Call a CDS service (bearer JWT required; 412 when prefetch is missing)",
    responses={
        401: {"description": "No token, or one that is not from a trusted client"},
        412: {"description": "The prefetch the service needs is missing"},
    },
)
async def call_service(service_id: str, request: Request) -> dict[str, Any]:
    from crampwise.cds import SERVICE_ID, hook_response, verify_call

    if service_id != SERVICE_ID:
        raise NotFoundError(f"no CDS service {service_id!r}")
    state = app_state(request)
    # aud must name exactly the endpoint called: this request's own URL without a query.
    audience = str(request.url.replace(query="", fragment=""))
    verify_call(
        request.headers.get("authorization"), state.cds_clients, audience, state.cds_replays
    )
    body = await json_object(request)
    base = str(request.base_url).rstrip("/")
    today = state.settings.today()
    return await run_in_threadpool(hook_response, body, state.kb, today, base)
