"""The JSON API under /api/v1, described by the OpenAPI document at /openapi.json."""

from __future__ import annotations

from fastapi import APIRouter

from crampwise.knowledge import KnowledgeBase


def routers(kb: KnowledgeBase) -> list[APIRouter]:
    from crampwise.web.api.assessments import make_router
    from crampwise.web.api.diary import router as diary_router
    from crampwise.web.api.experiments import router as experiments_router
    from crampwise.web.api.exports import router as exports_router
    from crampwise.web.api.report import router as report_router
    from crampwise.web.api.understand import router as understand_router
    from crampwise.web.cds_hooks import router as cds_hooks_router

    return [
        make_router(kb),
        diary_router,
        exports_router,
        understand_router,
        experiments_router,
        report_router,
        cds_hooks_router,
    ]
