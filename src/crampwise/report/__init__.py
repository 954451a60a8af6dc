"""The clinician report: a typed context built from the diary and the latest saved check,
rendered from the web's templates as HTML, and as an A4 PDF when WeasyPrint is installed.

Nothing here imports WeasyPrint, numpy or matplotlib at import time.
"""

from __future__ import annotations

from crampwise.report.context import (
    TITLE,
    ExperimentSummary,
    ReportContext,
    build_report,
    load_report,
)
from crampwise.report.render import (
    FORMATS,
    MEDIA_TYPES,
    Format,
    PdfUnavailableError,
    format_of,
    pdf_available,
    render_html,
    render_pdf,
    report_filename,
    require_pdf,
)

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "TITLE",
    "ExperimentSummary",
    "Format",
    "PdfUnavailableError",
    "ReportContext",
    "build_report",
    "format_of",
    "load_report",
    "pdf_available",
    "render_html",
    "render_pdf",
    "report_filename",
    "require_pdf",
]
