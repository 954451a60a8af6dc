"""Small helpers shared by the HTML views: a CSRF-checked form and typed field access."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from crampwise.web.security import CSRF_FIELD, check_csrf


async def verified_form(request: Request) -> FormData:
    """The posted form, after the CSRF check (ForbiddenError -> a friendly 403 page)."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    return form


def text(form: FormData, name: str, default: str = "") -> str:
    """A text field, stripped; a file or a missing field gives ``default``."""
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        return default
    return value.strip()


def texts(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]
