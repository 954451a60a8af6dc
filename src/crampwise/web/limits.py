"""Request bodies are limited while they stream in, before anything buffers them.

A body whose declared ``Content-Length`` is over the limit is refused before a byte of it is
read; a chunked body is counted as it arrives and refused (413) as soon as it passes the limit,
and the connection is closed rather than read to the end. JSON bodies (small by then) are also
checked for nesting depth before anything parses them: a deep ``[[[[…`` would otherwise make
the parser recurse until Python gives up.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crampwise.errors import (
    CrampwiseError,
    FieldProblem,
    NestingTooDeepError,
    PayloadTooLargeError,
)
from crampwise.json_depth import MAX_JSON_DEPTH, nesting_exceeds


class _TooLarge(Exception):
    """Raised into the app from receive() to stop it reading an oversized body."""


class BodyLimitMiddleware:
    """413 for a body over ``max_body`` (``per_path`` gives some paths their own limit)."""

    def __init__(self, app: ASGIApp, max_body: int, per_path: Mapping[str, int]) -> None:
        self.app = app
        self.max_body = max_body
        self.per_path = dict(per_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.max_body)
        length, content_type = _length_and_type(scope)
        if length is not None and length > limit:
            await _refuse(scope, receive, send, _too_large(limit))
            return
        if scope["method"] in ("POST", "PUT", "PATCH", "DELETE") and _is_json(content_type):
            await self._json(scope, receive, send, limit)
        else:
            await self._streamed(scope, receive, send, limit)

    async def _json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the (small) JSON body whole, check its depth, then hand it on as one message."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(scope, receive, send, _too_large(limit))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if nesting_exceeds(body):
            problem = FieldProblem("(body)", f"nests deeper than {MAX_JSON_DEPTH} levels")
            await _refuse(scope, receive, send, NestingTooDeepError(_DEEP, [problem]))
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass chunks on as they come; past the limit, stop the app and answer 413 instead."""
        size = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal size, over
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    over = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # whatever the app made of the interruption; the 413 goes instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _refuse(scope, receive, send, _too_large(limit))


_DEEP = "the body is not valid: it nests too deeply"


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"The request is too large: this address accepts at most {limit / 1e6:g} MB."
    )


async def _refuse(scope: Scope, receive: Receive, send: Send, error: CrampwiseError) -> None:
    from crampwise.web.errors import error_response  # avoid an import cycle

    response = error_response(scope["path"], error.http_status, error.message, error.problems)
    if error.http_status == 413:
        # Close rather than read the rest of a body nobody wants.
        response.headers["connection"] = "close"
    await response(scope, receive, send)


def _length_and_type(scope: Scope) -> tuple[int | None, str]:
    length: int | None = None
    content_type = ""
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None  # the server itself rejects a malformed length
        elif key == b"content-type":
            content_type = value.decode("latin-1")
    return length, content_type


def _is_json(content_type: str) -> bool:
    """JSON as FastAPI reads it: application/json, application/*+json, or no type at all."""
    main = content_type.split(";", 1)[0].strip().lower()
    return main in ("", "application/json") or (
        main.startswith("application/") and main.endswith("+json")
    )
