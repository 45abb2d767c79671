"""Case and address reports: the evidence document, a self-contained HTML file, a PDF, and their verification."""

from tracing.report.evidence import Evidence, address_evidence, canonical_hash, case_evidence
from tracing.report.html import render_html
from tracing.report.pdf import render_pdf
from tracing.report.seal import Verification, verify

__all__ = [
    "Evidence",
    "Verification",
    "address_evidence",
    "canonical_hash",
    "case_evidence",
    "render_html",
    "render_pdf",
    "verify",
]
