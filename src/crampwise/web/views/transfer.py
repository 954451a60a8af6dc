"""Export the whole diary (JSON or CSV), and import a file exported before."""

from __future__ import annotations

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


@router.get("/transfer")
def transfer_page(request: Request) -> Response:
    counts = app_state(request).store().counts()
    return render(request, "transfer.html", {"counts": counts, "imported": None, "problems": []})


@router.post("/transfer/import")
async def import_file(request: Request) -> Response:
    from crampwise.diary import transfer

    form = await verified_form(request)
    upload = form.get("file")
    store = app_state(request).store
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInputError("choose a file to import", [FieldProblem("file", "required")])
        raw = await upload.read(MAX_IMPORT + 1)
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
        name = upload.filename
        plan = (
            transfer.parse_json_document(text, name)
            if text.lstrip().startswith("{")
            else transfer.parse_csv(text, name)
        )
        imported = await run_in_threadpool(lambda: transfer.write_plan(store(), plan))
    except InvalidInputError as exc:
        counts = await run_in_threadpool(lambda: store().counts())
        context = {
            "counts": counts,
            "imported": None,
            "problems": exc.problems,
            "message": exc.message,
        }
        return render(request, "transfer.html", context, 422)
    counts = await run_in_threadpool(lambda: store().counts())
    return render(
        request, "transfer.html", {"counts": counts, "imported": imported, "problems": []}
    )
