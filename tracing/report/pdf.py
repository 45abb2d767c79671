"""The PDF report (WeasyPrint): vector charts, the flow graph as a picture, page numbers, a table of contents.

The evidence document is attached to the PDF as ``evidence.json`` (readers list it
under attachments) and the file is sealed like the HTML report.
"""

import json

from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from tracing.report.evidence import Evidence
from tracing.report.html import print_html
from tracing.report.seal import seal

__all__ = ["render_pdf"]


def render_pdf(evidence: Evidence, *, base_url: str = "") -> bytes:
    """The sealed PDF report of ``evidence``; nothing is fetched from anywhere (only ``data:`` URLs load)."""
    source = print_html(evidence, base_url=base_url)
    attachment = Attachment(
        string=json.dumps(evidence.doc, sort_keys=True, ensure_ascii=False),
        name="evidence.json",
        description=f"Evidence data, SHA-256 {evidence.sha256}",
    )
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf = HTML(string=source, url_fetcher=fetcher).write_pdf(attachments=[attachment])
    return seal(pdf, evidence.sha256, "pdf")
