"""The sources page: every source the knowledge base cites, with its grade."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crampwise.knowledge.source_kinds import SOURCE_KIND_WORDS
from crampwise.web.app import app_state
from crampwise.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/sources")
def sources(request: Request) -> Response:
    kb = app_state(request).kb
    context = {
        "sources": list(kb.sources.values()),  # the knowledge file's order
        "grades": kb.grades,
        "version": kb.version,
        "kinds": SOURCE_KIND_WORDS,
    }
    return render(request, "sources.html", context)
