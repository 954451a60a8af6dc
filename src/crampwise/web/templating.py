"""The Jinja2 environment (autoescape on) and the one way a page is rendered."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from crampwise.web.security import CSRF_FIELD, csrf_token_for, set_csrf_cookie

NAV = (
    ("/", "Home"),
    ("/check", "Check my cramps"),
    ("/diary", "Diary"),
    ("/diary/history", "History"),
    ("/diary/insights", "Insights"),
    ("/checks", "Saved checks"),
    ("/experiments", "Experiments"),
    ("/report", "Report for my doctor"),
    ("/transfer", "Export and import"),
    ("/sources", "Sources"),
)


def _label(value: str) -> str:
    """A machine id as words: 'after_exercise' -> 'after exercise'."""
    return value.replace("_", " ")


def _level_labels(request: Request) -> dict[str, str]:
    """The web's word for each triage level, from the app's knowledge base (triage_rules.yaml)."""
    from crampwise.web.app import app_state  # the app module imports this one

    return {level: info.label for level, info in app_state(request).kb.levels.items()}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crampwise.web", "templates"),
        autoescape=True,  # every template is HTML; escaping is never optional
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = _label
    env.globals["nav"] = NAV
    env.globals["csrf_field"] = CSRF_FIELD
    return env


def render_page(
    name: str, context: dict[str, Any], status_code: int = 200, path: str = "/"
) -> HTMLResponse:
    """Render a template that has no form (error pages rendered outside a request)."""
    html = environment().get_template(name).render(csrf_token="", current_path=path, **context)
    return HTMLResponse(html, status_code=status_code)


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page; hands out the CSRF token its forms need and sets the cookie if new."""
    token, is_new = csrf_token_for(request)
    html = (
        environment()
        .get_template(name)
        .render(
            csrf_token=token,
            current_path=request.url.path,
            level_labels=_level_labels(request),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if is_new:
        set_csrf_cookie(request, response, token)
    return response
