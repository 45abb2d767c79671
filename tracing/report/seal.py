"""Sealing a report file and verifying it: the SHA-256 of the content, and of the evidence embedded in it.

A report ends with one seal line: ``<!-- tracing-report-seal v1 sha256=... evidence=... -->``
(HTML) or ``%tracing-report-seal v1 sha256=... evidence=...`` after the PDF's ``%%EOF``
(PDF readers ignore it). ``sha256`` covers every byte before the line; ``evidence`` is the
canonical hash of the embedded evidence document, which :func:`verify` recomputes.
"""

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from tracing.report.evidence import canonical_hash

__all__ = ["Verification", "seal", "verify"]

_SEAL = re.compile(rb"\n(?:<!-- |%)tracing-report-seal v1 sha256=([0-9a-f]{64}) evidence=([0-9a-f]{64})(?: -->)?\n?\Z")
_EVIDENCE_SCRIPT = re.compile(rb'<script type="application/json" id="evidence">(.*?)</script>', re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def seal(content: bytes, evidence_sha256: str, kind: str) -> bytes:
    """``content`` with its seal line appended."""
    digest = hashlib.sha256(content).hexdigest()
    body = f"tracing-report-seal v1 sha256={digest} evidence={evidence_sha256}"
    line = f"\n<!-- {body} -->\n" if kind == "html" else f"\n%{body}\n"
    return content + line.encode()


@dataclass
class Verification:
    """What :func:`verify` found: ``ok`` when every check passed; ``problems`` says what failed."""

    kind: str
    evidence_sha256: str = ""
    report_id: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _embedded_pdf_evidence(content: bytes) -> dict | None:
    """The evidence.json attachment of a PDF (its compressed streams searched for the document)."""
    for match in _STREAM.finditer(content):
        data = match.group(1)
        for attempt in (lambda d: zlib.decompress(d), lambda d: d):
            try:
                doc = _json(attempt(data))
            except zlib.error:
                continue
            if doc is not None and "report" in doc and "addresses" in doc:
                return doc
    return None


def _json(data: bytes) -> dict | None:
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def verify(path: str | Path) -> Verification:
    """Recompute a report's seal and evidence hash; the result lists every mismatch."""
    content = Path(path).read_bytes()
    kind = "pdf" if content.startswith(b"%PDF") else "html"
    result = Verification(kind)
    match = _SEAL.search(content)
    if match is None:
        result.problems.append("no report seal at the end of the file: not a report of this tool, or cut short")
        return result
    body = content[: match.start()]
    sealed, evidence = match.group(1).decode(), match.group(2).decode()
    result.evidence_sha256 = evidence
    if hashlib.sha256(body).hexdigest() != sealed:
        result.problems.append("the content changed after the report was made (the seal's SHA-256 does not match)")
    if kind == "html":
        found = _EVIDENCE_SCRIPT.search(body)
        doc = _json(found.group(1)) if found else None
        visible = body.replace(found.group(0), b"") if found else body
        if evidence.encode() not in visible:
            result.problems.append("the evidence hash shown in the report is missing or differs from the seal")
    else:
        doc = _embedded_pdf_evidence(body)
    if doc is None:
        result.problems.append("the embedded evidence data is missing")
        return result
    result.report_id = str(doc.get("report", {}).get("report_id", ""))
    if canonical_hash(doc) != evidence:
        result.problems.append("the embedded evidence data changed (its SHA-256 does not match the report's)")
    return result
