"""The JSON API under /api/v1, described by the OpenAPI document at /openapi.json."""

from __future__ import annotations

from fastapi import APIRouter

from crampwise.knowledge import KnowledgeBase


def routers(kb: KnowledgeBase, multi_user: bool = False) -> list[APIRouter]:
    """The API's routers. Multi-user mode adds the account API and leaves CDS Hooks out
    (a CDS client speaks for a clinic's patients, which map to no account here)."""
    from crampwise.web.api.assessments import make_router
    from crampwise.web.api.diary import router as diary_router
    from crampwise.web.api.experiments import router as experiments_router
    from crampwise.web.api.exports import router as exports_router
    from crampwise.web.api.report import router as report_router
    from crampwise.web.api.understand import router as understand_router
    from crampwise.web.cds_hooks import router as cds_hooks_router

    shared = [
        make_router(kb),
        diary_router,
        exports_router,
        understand_router,
        experiments_router,
        report_router,
    ]
    if multi_user:
        from crampwise.web.api.accounts import router as accounts_router

        return [*shared, accounts_router]
    return [*shared, cds_hooks_router]
