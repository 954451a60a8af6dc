"""Export the whole diary (JSON or CSV), and import a file exported before."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from crampwise.errors import FieldProblem, InvalidInputError
from crampwise.web.app import app_state
from crampwise.web.templating import render
from crampwise.web.views.common import verified_form

if TYPE_CHECKING:
    from crampwise.diary.importer import ImportCounts

router = APIRouter(include_in_schema=False)
MAX_IMPORT = 20_000_000  # bytes
ALLOW_LABEL = "Dates far before the rest of my diary are right"


def _page(
    request: Request,
    counts: dict[str, int],
    status: int = 200,
    imported: ImportCounts | None = None,
    error: InvalidInputError | None = None,
) -> Response:
    context: dict[str, Any] = {
        "counts": counts,
        "imported": imported,
        "problems": error.problems if error else [],
        "allow_label": ALLOW_LABEL,
    }
    if error:
        context["message"] = error.message
    return render(request, "transfer.html", context, status)


@router.get("/transfer")
def transfer_page(request: Request) -> Response:
    return _page(request, app_state(request).store().counts())


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
        return _page(request, counts, 422, error=exc)
    counts = await run_in_threadpool(lambda: store().counts())
    return _page(request, counts, imported=imported)
