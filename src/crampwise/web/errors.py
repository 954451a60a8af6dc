"""Every error, one shape: JSON for the API, a friendly page for the HTML site.

``error_body()`` is the only place the JSON error shape is built::

    {"error": {"status": 422, "message": "...", "problems": [{"field": "...", "message": "..."}]}}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match

from crampwise.errors import CrampwiseError, FieldProblem, field_path


class ProblemOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str
    message: str
    line: int | None = None


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: int
    message: str
    problems: list[ProblemOut]


class ErrorOut(BaseModel):
    """The one JSON error shape (documented in the OpenAPI document for every operation)."""

    model_config = ConfigDict(extra="forbid")
    error: ErrorDetail


def error_body(status: int, message: str, problems: Iterable[FieldProblem] = ()) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "message": message,
            "problems": [p.to_dict() for p in problems],
        }
    }


def is_api_path(path: str) -> bool:
    return path.startswith(("/api/", "/cds-services")) or path == "/openapi.json"


def error_response(
    path: str, status: int, message: str, problems: Sequence[FieldProblem] = ()
) -> Response:
    if is_api_path(path):
        return JSONResponse(error_body(status, message, problems), status_code=status)
    from crampwise.web.templating import render_page  # the HTML side only when needed

    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    context = {"status": status, "title": title, "message": message, "problems": problems}
    return render_page("error.html", context, status_code=status, path=path)


def _validation_problems(exc: RequestValidationError) -> list[FieldProblem]:
    problems = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            # loc holds a character offset, not a field: name the body instead.
            reason = err.get("ctx", {}).get("error", "")
            problems.append(FieldProblem("(body)", f"is not valid JSON: {reason}".rstrip(": ")))
            continue
        # ("body", "episodes", 0, "severity") -> episodes[0].severity; ("query", "from") stays
        # query.from, so a query parameter is never mistaken for a body field.
        loc = list(err.get("loc", ()))
        parts = loc[1:] if loc[:1] == ["body"] else loc
        problems.append(FieldProblem(field_path(parts) or "(body)", str(err.get("msg", "invalid"))))
    return problems


async def _crampwise_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CrampwiseError)
    response = error_response(request.url.path, exc.http_status, exc.message, exc.problems)
    response.headers.update(exc.headers)  # e.g. WWW-Authenticate on a 401
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = _validation_problems(exc)
    return error_response(request.url.path, 422, "the request is not valid", problems)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = {
        404: "There is nothing at this address.",
        405: "This address does not accept that method.",
    }.get(exc.status_code, str(exc.detail))
    if exc.status_code == 400:
        # FastAPI's "error parsing the body" (e.g. bytes that are not UTF-8): invalid input,
        # reported like every other invalid body.
        problem = FieldProblem("(body)", "must be a JSON object in UTF-8")
        return error_response(request.url.path, 422, "the body could not be read", [problem])
    response = error_response(request.url.path, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:
        response.headers["allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in _leaf_routes(request.app.router.routes):
        match, _ = route.matches(request.scope)  # PARTIAL: the path matches, not the method
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _leaf_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    # FastAPI keeps an included router whole (its routes inside, with their full paths:
    # every router here carries its own prefix), so look inside it.
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _leaf_routes(inner.routes)
        else:
            yield route


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CrampwiseError, _crampwise_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "A change sent from another site's page"},
    404: {"model": ErrorOut, "description": "No such entry"},
    413: {"model": ErrorOut, "description": "The body is larger than 1 MB"},
    415: {"model": ErrorOut, "description": "The body is not sent as JSON"},
    421: {"model": ErrorOut, "description": "The Host is not this computer's own address"},
    422: {"model": ErrorOut, "description": "Invalid input: every offending field is listed"},
}
