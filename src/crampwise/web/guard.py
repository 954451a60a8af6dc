"""Only this computer's own pages may talk to the app: a Host and an Origin check.

DNS rebinding: a hostile web page can make its own name resolve to 127.0.0.1, and the browser
then lets it read this app's answers, because to the browser it is that page's own origin.
The ``Host`` header still names the hostile site, so every request whose Host is not one the
server was started for is refused (421). Every state-changing request must also come from the
app's own origin (``Origin`` and ``Sec-Fetch-Site``), forms and JSON API alike (403), even
when it carries a valid CSRF token.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from crampwise.errors import CrampwiseError, ForbiddenError, HostNotAllowedError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""This computer's names as a Host header spells them."""
LOOPBACK_ADDRESSES = ("127.0.0.1", "localhost", "::1")
"""This computer's addresses as ``--host`` spells them (the only ones single-user mode binds)."""
LOCAL_REFUSAL = (
    "This server only answers requests for this computer's own address "
    "(127.0.0.1, localhost or [::1] with the port it was started on)."
)
SERVICE_REFUSAL = (
    "This server only answers requests for the host names it was set up for "
    "(CRAMPWISE_ALLOWED_HOSTS)."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def loopback_hosts(port: int) -> tuple[str, ...]:
    """The Host values a browser sends to this computer's loopback addresses on ``port``."""
    hosts = tuple(f"{name}:{port}" for name in LOOPBACK_NAMES)
    return hosts + LOOPBACK_NAMES if port == 80 else hosts


def split_host(host: str) -> tuple[str, str]:
    """``name:port`` (``[v6]:port``) as (name, port); port is "" when absent."""
    if host.startswith("["):
        name, _, rest = host.partition("]")
        return name + "]", rest.removeprefix(":")
    name, _, port = host.partition(":")
    return name, port


class HostGuardMiddleware:
    """Refuses foreign Host headers, and state-changing requests from foreign origins.

    ``allowed_hosts`` holds exact ``name:port`` values, or bare names that match on any port.
    """

    def __init__(
        self, app: ASGIApp, allowed_hosts: Iterable[str], refusal: str = LOCAL_REFUSAL
    ) -> None:
        self.app = app
        self.refusal = refusal
        self.exact = frozenset(h.lower() for h in allowed_hosts if split_host(h)[1])
        self.any_port = frozenset(h.lower() for h in allowed_hosts if not split_host(h)[1])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope_headers(scope, (b"host", b"origin", b"sec-fetch-site"))
        host = headers.get("host", "").lower()
        error: CrampwiseError | None = None
        if not self.host_allowed(host):
            error = HostNotAllowedError(self.refusal)
        elif scope["method"] not in SAFE_METHODS:
            reason = foreign_origin(scope.get("scheme", "http"), host, headers)
            if reason:
                error = ForbiddenError(f"This request came from {reason}, so nothing was done.")
        if error is None:
            await self.app(scope, receive, send)
            return
        from crampwise.web.errors import error_response  # avoid an import cycle

        response = error_response(scope["path"], error.http_status, error.message)
        await response(scope, receive, send)

    def host_allowed(self, host: str) -> bool:
        name, port = split_host(host)
        if host in self.exact:
            return True
        return name in self.any_port and (port == "" or port.isdigit())


def foreign_origin(scheme: str, host: str, headers: dict[str, str]) -> str | None:
    """Why the request is not from this app's own pages, or None if it may be."""
    fetch_site = headers.get("sec-fetch-site")
    # Sec-Fetch-Site is set by the browser alone; "none" = typed by the user, not a page.
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return f"another site (Sec-Fetch-Site: {fetch_site})"
    origin = headers.get("origin")
    if origin is None:
        return None  # not a browser (curl, a script): CSRF needs a browser
    if origin == "null":
        # An opaque origin: a sandboxed frame, a data: URL, a file. Only trust it when the
        # browser vouches that the request is same-origin.
        return None if fetch_site == "same-origin" else "a page without an origin"
    name, port = split_host(host)
    own = f"{scheme}://{name}" if port in ("", _DEFAULT_PORTS.get(scheme)) else f"{scheme}://{host}"
    if origin.lower().rstrip("/") != own:
        return "another site (Origin: " + origin[:100] + ")"
    return None


def scope_headers(scope: Scope, wanted: tuple[bytes, ...]) -> dict[str, str]:
    """The ``wanted`` headers (lower-case names) of an ASGI request, read without building a
    Request; the first value wins, as in Starlette's Headers."""
    found: dict[str, str] = {}
    for key, value in scope["headers"]:
        if key in wanted and key.decode() not in found:
            found[key.decode()] = value.decode("latin-1")
    return found
