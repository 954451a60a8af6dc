"""The report as HTML (the web's Jinja2 templates) and as PDF (WeasyPrint, loaded on demand).

The PDF is the same HTML laid out for A4 by ``web/static/report.css``. WeasyPrint may fetch
nothing from the network: its URL fetcher serves the packaged static files and ``data:``
URIs (the chart) and refuses every other address. The PDF's metadata is the title and the
date only (not even WeasyPrint's producer line).
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from crampwise.errors import CrampwiseError, FieldProblem, InvalidInputError

if TYPE_CHECKING:
    from crampwise.report.context import ReportContext

Format = Literal["pdf", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "html")
TEMPLATE = "report.html"
STYLESHEET = "report.css"
STATIC_URL = "/static/"
# A base address that can never resolve (.invalid is reserved): relative links in the
# HTML become addresses under it, which the fetcher maps to the packaged static files.
PDF_BASE = "https://crampwise.invalid/"
MEDIA_TYPES: dict[Format, str] = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


class PdfUnavailableError(CrampwiseError):
    """The PDF needs WeasyPrint, which is not installed; the HTML report works without it."""

    http_status = 503
    exit_code = 1


PDF_UNAVAILABLE = (
    "the PDF report needs WeasyPrint, which is not installed here: install it with "
    "`pip install weasyprint` (it uses the Pango library), or make the HTML report "
    "(--out FILE.html; on the web, the HTML version) and print that"
)


def pdf_available() -> bool:
    """Whether WeasyPrint can be imported (checked without importing it)."""
    if "weasyprint" in sys.modules:  # None there means "cannot be imported"
        return sys.modules["weasyprint"] is not None
    return importlib.util.find_spec("weasyprint") is not None


def require_pdf(fmt: Format) -> None:
    """Fail before any work when a PDF is asked for and WeasyPrint is not installed."""
    if fmt == "pdf" and not pdf_available():
        raise PdfUnavailableError(PDF_UNAVAILABLE)


def report_filename(made_on: date, fmt: Format) -> str:
    """A file name with no health data in it: only the day the report was made."""
    return f"crampwise-report-{made_on.isoformat()}.{fmt}"


def format_of(name: str, field: str) -> Format:
    """The format a file name asks for by its extension, or InvalidInputError on ``field``."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for fmt in FORMATS:
        if suffix == fmt:
            return fmt
    raise InvalidInputError(
        "unknown report format",
        [FieldProblem(field, f"{name!r} must end in .pdf or .html")],
    )


def _stylesheet() -> str:
    return (resources.files("crampwise.web") / "static" / STYLESHEET).read_text("utf-8")


def render_html(report: ReportContext, *, standalone: bool = False) -> str:
    """The report as one HTML document.

    ``standalone`` puts the stylesheet inside the file, for a file opened on its own; the web
    app links it instead, as its Content-Security-Policy allows no inline styles.
    """
    from crampwise.web.templating import environment

    # Our own stylesheet, not user input: marked safe so it is not HTML-escaped.
    css = Markup(_stylesheet()) if standalone else None  # noqa: S704
    context: dict[str, Any] = {
        "r": report,
        "inline_css": css,
        "stylesheet_url": STATIC_URL + STYLESHEET,
        "csrf_token": "",
        "current_path": "/report",
    }
    return environment().get_template(TEMPLATE).render(**context)


def render_pdf(report: ReportContext) -> bytes:
    """The report as an A4 PDF; PdfUnavailableError when WeasyPrint is not installed."""
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError:
        raise PdfUnavailableError(PDF_UNAVAILABLE) from None
    except OSError as exc:  # WeasyPrint is there but cannot load Pango
        raise PdfUnavailableError(f"WeasyPrint cannot start here: {exc}") from None
    _quiet_data_uris()
    html = render_html(report)
    document = weasyprint.HTML(string=html, base_url=PDF_BASE, url_fetcher=_offline_fetcher())
    pdf: bytes = document.write_pdf(finisher=_title_and_date_only)
    return pdf


def _title_and_date_only(_document: Any, pdf: Any) -> None:
    """Drop the producer WeasyPrint always writes: the metadata is the title and date only."""
    for key in list(pdf.info):
        if key not in ("Title", "CreationDate"):
            del pdf.info[key]


class _NoDataUris(logging.Filter):
    """Cut data: URIs out of WeasyPrint's log lines: the chart's holds the diary's counts."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "data:" in message:
            record.msg, record.args = _DATA_URI.sub("data:(left out)", message), ()
        return True


_DATA_URI = re.compile(r"data:[^\s'\"]+")


def _quiet_data_uris() -> None:
    logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _NoDataUris) for f in logger.filters):
        logger.addFilter(_NoDataUris())


def _offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the packaged static files and data: URIs only."""
    from weasyprint.urls import (  # type: ignore[import-untyped]
        URLFetcher,
        URLFetcherResponse,
    )

    static = resources.files("crampwise.web") / "static"
    allowed = {entry.name: entry for entry in static.iterdir() if entry.is_file()}
    prefix = PDF_BASE.rstrip("/") + STATIC_URL

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
            name = url[len(prefix) :] if url.startswith(prefix) else None
            if name is None or name not in allowed:
                raise ValueError("the report may load only its own packaged files")
            kind = "text/css" if name.endswith(".css") else "image/svg+xml"
            return URLFetcherResponse(url, allowed[name].read_bytes(), {"Content-Type": kind})

    return OfflineFetcher(allowed_protocols=("data", "https"), allow_redirects=False)
