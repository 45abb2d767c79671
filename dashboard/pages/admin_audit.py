"""Admin: the whole audit log, filtered by the URL (``?actor=..&action=..&object_type=..&object_id=..``)."""

import dash
from dash import html

from dashboard import ids
from dashboard.components.cases import audit_table
from dashboard.services import services
from tracing.audit import AuditLog

dash.register_page(__name__, required_role="admin", path="/admin/audit", title="Audit log · Tracing", name="Audit")

FILTERS = ("actor", "action", "object_type", "object_id")


def layout(**query) -> html.Div:
    """The newest 500 entries that match the URL's filters."""
    filters = {k: v for k, v in query.items() if k in FILTERS and v}
    log = AuditLog(services().store)
    shown = ", ".join(f"{k} = {v}" for k, v in filters.items()) or "all entries"
    return html.Div(
        [
            html.H1("Audit log", className="h3"),
            html.P(f"{log.count(**filters):,} entries ({shown}); the newest 500 below.", className="text-muted"),
            audit_table(log.entries(limit=500, **filters), ids.ADMIN_AUDIT_TABLE, show_object=True),
        ]
    )
