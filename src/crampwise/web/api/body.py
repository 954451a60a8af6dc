"""Reading a JSON body by hand, for endpoints whose input is validated by the library.

FastAPI would validate a pydantic model; the case and interview formats are defined by the
library's own parsers instead, so these endpoints take the raw object and let them speak.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.web.security import require_json


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object; 415 unless sent as JSON, 422 if it is not an object.

    Its size and nesting depth were already checked as it came in (``web/limits.py``).
    """
    require_json(request)
    raw = await request.body()
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        where = (
            f" at line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InvalidInputError(
            f"the body is not valid JSON{where}", [FieldProblem("(body)", "must be a JSON object")]
        ) from None
    if not isinstance(value, dict):
        raise InvalidInputError(
            "the body must be a JSON object", [FieldProblem("(body)", "must be a JSON object")]
        )
    return value
