"""Cases: what an investigation gathered (addresses, traces, transfers with their parameters), its notes
and its read-only share links. Every change is audit-logged (:mod:`tracing.audit`)."""

from tracing.cases.markdown import render_markdown
from tracing.cases.model import ITEM_KINDS, STATUSES, Case, CaseItem, Note, ShareLink
from tracing.cases.repository import Cases, parse_tags
from tracing.cases.share import DEFAULT_DAYS, ShareLinks

__all__ = [
    "DEFAULT_DAYS",
    "ITEM_KINDS",
    "STATUSES",
    "Case",
    "CaseItem",
    "Cases",
    "Note",
    "ShareLink",
    "ShareLinks",
    "parse_tags",
    "render_markdown",
]
