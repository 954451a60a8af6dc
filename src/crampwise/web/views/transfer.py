"""Export the whole diary (JSON or CSV), and import a file exported before."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import verified_form

router = APIRouter(include_in_schema=False)
MAX_IMPORT = 20_000_000  # bytes
ALLOW_LABEL = "Dates far before the rest of my diary are right"


@router.get("/transfer")
def transfer_page(request: Request) -> Response:
    counts = app_state(request).store().counts()
    context: dict[str, Any] = {
        "counts": counts,
        "imported": None,
        "problems": [],
        "allow_label": ALLOW_LABEL,
    }
    return render(request, "transfer.html", context)


@router.post("/transfer/import")
async def import_file(request: Request) -> Response:
    from crampwise.diary import transfer

    form = await verified_form(request)
    upload = form.get("file")
    store = app_state(request).store
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInputError("choose a file to import", [FieldProblem("file", "required")])
        try:
            raw = await upload.read(MAX_IMPORT + 1)
        finally:
            await upload.close()  # its spooled temporary file
        if len(raw) > MAX_IMPORT:
            raise InvalidInputError(
                "the file is too large", [FieldProblem("file", "at most 20 MB")]
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInputError(
                "the file is not UTF-8 text", [FieldProblem("file", "save it as UTF-8")]
            ) from None
        plan = transfer.parse_import_text(text, upload.filename)
        allow = form.get("allow_far_before") == "yes"
        imported = await run_in_threadpool(
            lambda: transfer.write_plan(
                store(), plan, allow_far_before=allow, confirm=f"tick “{ALLOW_LABEL}”"
            )
        )
    except InvalidInputError as exc:
        counts = await run_in_threadpool(lambda: store().counts())
        context: dict[str, Any] = {
            "counts": counts,
            "imported": None,
            "problems": exc.problems,
            "message": exc.message,
            "allow_label": ALLOW_LABEL,
        }
        return render(request, "transfer.html", context, 422)
    counts = await run_in_threadpool(lambda: store().counts())
    done: dict[str, Any] = {
        "counts": counts,
        "imported": imported,
        "problems": [],
        "allow_label": ALLOW_LABEL,
    }
    return render(request, "transfer.html", done)
