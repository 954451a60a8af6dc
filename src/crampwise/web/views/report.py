"""The "Report for my doctor" page: a preview of the report, with the PDF and HTML links.

The preview is the report's own content (``report_body.html``, shared with the document);
the downloads are ``GET /api/v1/report``, with the same period.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.history import page_range

router = APIRouter(include_in_schema=False)


@router.get("/report")
def report_page(request: Request) -> Response:
    from crampwise.report import load_report, pdf_available

    period = page_range(request)  # one date-range rule: from after to is a 422 page
    state = app_state(request)
    context = load_report(state.store(), state.kb, period)
    dates = [(k, v.isoformat()) for k, v in (("from", period.start), ("to", period.end)) if v]
    page = {
        "r": context,
        "period": period,
        "pdf_available": pdf_available(),
        "query": f"?{urlencode(dates)}" if dates else "",
        "query_html": f"?{urlencode([('format', 'html'), *dates])}",
    }
    response = render(request, "report_page.html", page)
    response.headers["cache-control"] = "no-store"  # health data: never in a shared cache
    return response
