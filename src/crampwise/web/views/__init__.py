"""The HTML pages: one module per page kind, each a thin layer over one library call."""

from __future__ import annotations

from fastapi import APIRouter


def routers(multi_user: bool = False) -> list[APIRouter]:
    from crampwise.web.views import (
        checks,
        diary,
        experiments,
        history,
        home,
        insights,
        interview,
        report,
        sources,
        transfer,
    )

    pages = [
        home.router,
        interview.router,
        diary.router,
        history.router,
        insights.router,
        transfer.router,
        sources.router,
        checks.router,
        experiments.router,
        report.router,
    ]
    if multi_user:
        from crampwise.web.views import accounts

        pages.append(accounts.router)
    return pages
