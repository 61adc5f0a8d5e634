"""Reading generated reports back: the text of a PDF (pypdf), and a report built straight from the services."""

import io

from pypdf import PdfReader

from exports.reports import gather, render
from exports.reports.parameters import ReportParameters


def pdf_text(content: bytes) -> str:
    """Every page's text, pages joined by newlines, runs of whitespace made single spaces."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return " ".join("\n".join(pages).split())


def build(viewer, period, scope="company", scope_id=None) -> bytes:
    return render.render(gather.gather(viewer, ReportParameters(scope, scope_id, *period)))
