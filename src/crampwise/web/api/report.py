"""GET /api/v1/report: the clinician report as a PDF download (or HTML with ?format=html).

The file name holds only the day the report is made: no health data in names or URLs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from crampwise.diary.dates import date_range
from crampwise.diary.store import DiaryStore
from crampwise.errors import field_path
from crampwise.report import MEDIA_TYPES, Format, report_filename
from crampwise.web.api.diary import From, To
from crampwise.web.app import app_state
from crampwise.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["report"])

REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report: an A4 PDF (attachment), or one HTML document",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    503: {"description": "PDF asked for, but WeasyPrint is not installed on this computer"},
}


def _store(request: Request) -> DiaryStore:
    return app_state(request).store()


@router.get("/report", response_class=Response, responses=REPORT_RESPONSES)
def report(
    request: Request,
    store: Annotated[DiaryStore, Depends(_store)],
    start: From = None,
    end: To = None,
    format: Annotated[Format, Query(description="pdf (default) or html")] = "pdf",
) -> Response:
    """A report for a clinician: the latest check saved in the period and the diary from
    ``from`` to ``to`` (inclusive days; default the whole diary)."""
    from crampwise.report import load_report, render_html, render_pdf, require_pdf

    period = date_range(
        start,
        end,
        start_field=field_path(["query", "from"]),
        end_field=field_path(["query", "to"]),
    )
    require_pdf(format)
    today = date.today()
    context = load_report(store, app_state(request).kb, period, made_on=today)
    name = report_filename(today, format)
    if format == "pdf":
        body: bytes | str = render_pdf(context)
        disposition = f'attachment; filename="{name}"'
    else:
        body = render_html(context)
        disposition = f'inline; filename="{name}"'
    headers = {"content-disposition": disposition, "cache-control": "no-store"}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
