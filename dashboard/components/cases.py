"""Builders of the cases pages' pieces: data in, components out (testable without a browser).

Dash escapes every text it renders; notes go through ``dcc.Markdown`` with raw HTML off.
"""

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components import WIDE_ONLY
from dashboard.components.flow import FILTER_LABELS
from dashboard.components.forms import PARAM_LABELS
from dashboard.components.report_jobs import report_controls
from dashboard.urls import address_path, trace_path
from tracing.audit import AuditEntry
from tracing.cases import Case, CaseItem, Note, ShareLink
from tracing.flow import TraceParameters
from tracing.params import Parameters
from tracing.report.sections import when

__all__ = [
    "address_report_links",
    "audit_table",
    "case_header",
    "cases_table",
    "items_list",
    "key_values",
    "notes_list",
    "share_list",
]

_STATUS_COLOUR = {"open": "success", "closed": "secondary"}


def _table(head: list[str], rows: list[list], table_id: str, empty: str, wide: tuple[int, ...] = ()) -> html.Div:
    """A small table of ``rows``; the columns ``wide`` (indexes) show from md widths up, not on a phone."""
    if not rows:
        return html.P(empty, className="text-muted", id=table_id)
    cls = [WIDE_ONLY if j in wide else None for j in range(len(head))]
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h, className=c) for h, c in zip(head, cls)])),
            html.Tbody([html.Tr([html.Td(v, className=c) for v, c in zip(r, cls)]) for r in rows]),
        ],
        size="sm",
        hover=True,
        responsive=True,
        id=table_id,
        className="small",
    )


def cases_table(cases: Iterable[Case], empty: str = "No case matches.") -> html.Div:
    """The search results: title (linked), status, owner, tags, last change; ``empty`` when there are none."""
    rows = [
        [
            dcc.Link(c.title, href=f"/case/{c.id}", className="fw-semibold"),
            dbc.Badge(c.status, color=_STATUS_COLOUR.get(c.status, "light")),
            c.owner,
            ", ".join(c.tags),
            when(c.updated_at),
        ]
        for c in cases
    ]
    return _table(["case", "status", "owner", "tags", "last change"], rows, ids.CASES_TABLE, empty)


def case_header(case: Case) -> html.Div:
    """Title, status, owner, tags and the description (Markdown, raw HTML shown as text)."""
    return html.Div(
        [
            html.H1(
                [case.title, " ", dbc.Badge(case.status, color=_STATUS_COLOUR.get(case.status, "light"))],
                className="h3",
            ),
            html.P(
                f"Case #{case.id} · owner {case.owner} · opened {when(case.created_at)} · "
                f"last change {when(case.updated_at)}" + (f" · tags: {', '.join(case.tags)}" if case.tags else ""),
                className="text-muted small",
            ),
            dcc.Markdown(case.description, className="case-description") if case.description else None,
        ]
    )


def _item_link(item: CaseItem):
    if item.kind == "trace":
        params = TraceParameters.from_mapping(item.params)
        return dcc.Link(f"trace from {item.address}", href=trace_path(item.chain, item.address, params))
    return dcc.Link(item.address, href=address_path(item.chain, item.address), className="font-monospace text-break")


_TIMES = ("since", "until")  # trace parameters in unix seconds


def key_values(pairs: Mapping, labels: Mapping[str, tuple[str, str]] | None = None) -> html.Div:
    """``pairs`` as one "label: value" line each (labels from ``labels``, else the key in words); times as dates;
    empty values left out."""
    labels = labels or {}
    lines = [
        html.Div(
            [
                html.Span(labels[k][0] if k in labels else k.replace("_", " "), className="text-muted"),
                ": ",
                when(v) if k in _TIMES and isinstance(v, int) else str(v),
            ]
        )
        for k, v in pairs.items()
        if v not in (None, "")
    ]
    return html.Div(lines, className="small text-break")


def items_list(items: Iterable[CaseItem]) -> html.Div:
    """Addresses, traces and transfers of the case with the parameters used."""
    rows = [
        [
            item.kind,
            _item_link(item),
            html.Span(item.ref, className="font-monospace small text-break"),
            key_values(item.params, FILTER_LABELS if item.kind == "trace" else PARAM_LABELS),
            f"{item.added_by}, {when(item.added_at)}",
        ]
        for item in items
    ]
    head = ["kind", "what", "transaction", "parameters used", "added"]
    return _table(head, rows, "case-items", "Nothing added yet.", wide=(2, 3, 4))  # a phone: kind and what


def notes_list(notes: Iterable[Note]) -> html.Div:
    """Notes, oldest first, with author, time and the address they are about."""
    cards = [
        dbc.Card(
            dbc.CardBody(
                [
                    html.P(
                        [
                            html.B(note.author),
                            f" · {when(note.at)}",
                            *(
                                [" · on ", dcc.Link(note.address, href=address_path(note.chain, note.address))]
                                if note.address
                                else []
                            ),
                        ],
                        className="small text-muted mb-1",
                    ),
                    dcc.Markdown(note.body, className="case-note-body mb-0"),  # raw HTML stays text
                ]
            ),
            className="mb-2",
        )
        for note in notes
    ]
    return html.Div(cards or html.P("No notes yet.", className="text-muted"), id="case-notes")


def share_list(links: Iterable[ShareLink], url_of: Callable[[ShareLink], str], now: float, can_revoke: bool):
    """The case's share links: state, expiry, creator, the URL of active ones and a revoke button."""
    rows = []
    for link in links:
        state = link.state(now)
        rows.append(
            [
                f"#{link.id}",
                dbc.Badge(state, color={"active": "success", "expired": "secondary"}.get(state, "danger")),
                f"{link.created_by}, {when(link.created_at)}",
                when(link.expires_at),
                html.A("open", href=url_of(link), target="_blank", className="share-url") if state == "active" else "",
                dbc.Button(
                    "Revoke", id={"type": ids.CASE_REVOKE, "link": link.id}, size="sm", color="danger", outline=True
                )
                if state == "active" and can_revoke
                else (f"by {link.revoked_by}, {when(link.revoked_at)}" if link.revoked_at else ""),
            ]
        )
    return _table(["link", "state", "created", "expires", "URL", ""], rows, "case-share-links", "Not shared.")


def audit_table(entries: Iterable[AuditEntry], table_id: str, *, show_object: bool = False) -> html.Div:
    """Audit entries, newest first."""
    head = ["when", "who", "action", *(["object"] if show_object else []), "detail"]
    rows = []
    for e in entries:
        target = (
            [
                dcc.Link(f"case #{e.object_id}", href=f"/case/{quote(e.object_id)}")
                if e.object_type == "case"
                else f"{e.object_type} {e.object_id}"
            ]
            if show_object
            else []
        )
        detail = key_values(e.detail_dict) if e.detail else ""
        rows.append([when(e.at), e.actor, e.action, *target, detail])
    return _table(head, rows, table_id, "Nothing recorded.")


def address_report_links(chain: str, address: str, params: Parameters) -> html.Span:
    """Buttons building the address's HTML and PDF reports (scored with the page's parameters), and its cases."""
    target = {"kind": "address", "chain": chain, "address": address, "params": params.changed()}
    return html.Span(
        [
            "Report: ",
            *report_controls(
                "address", target, {"html": "HTML", "pdf": "PDF"}, color="link", className="p-0 align-baseline me-2"
            ),
            " · ",
            dcc.Link("Open a case with it", href=f"/cases?{urlencode({'new': address})}", id=ids.ADDRESS_NEW_CASE),
            " · ",
            dcc.Link("Cases holding it", href=f"/cases?{urlencode({'address': address})}"),
        ],
        className="small d-inline-block mt-2 ms-3",
    )
