"""One case: what it holds, its notes, reports, share links and audit trail.

Viewers read it; investigators add addresses, traces, transfers and notes, close or
reopen it and share it. Every change is audit-logged by the engine (:mod:`tracing.cases`).
"""

import time
from urllib.parse import parse_qsl

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.components.cases import audit_table, case_header, items_list, notes_list, share_list
from dashboard.components.report_jobs import report_controls
from dashboard.errors import error_alert
from dashboard.reports import share_links, share_url
from dashboard.roles import may, requires
from dashboard.services import services
from tracing.audit import AuditLog
from tracing.cases import DEFAULT_DAYS, ITEM_KINDS, Cases
from tracing.errors import BadParameters, CaseNotFound, TracingError

dash.register_page(
    __name__, required_role="viewer", path_template="/case/<case_id>", title="Case · Tracing", name="Case"
)


def _forms() -> dbc.Row:
    add_item = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Add to the case", className="h6"),
                dbc.Select(id=ids.CASE_ITEM_KIND, options=list(ITEM_KINDS), value="address", className="mb-2"),
                dbc.Input(id=ids.CASE_ITEM_ADDRESS, placeholder="address", className="mb-2 font-monospace"),
                dbc.Input(
                    id=ids.CASE_ITEM_REF,
                    placeholder="transaction (trace: theft tx; transfer: TX:INDEX)",
                    className="mb-2 font-monospace",
                ),
                dbc.Input(
                    id=ids.CASE_ITEM_PARAMS, placeholder="parameters, e.g. model=poison&hops=4", className="mb-2"
                ),
                dbc.Button("Add", id=ids.CASE_ITEM_ADD, color="primary", size="sm"),
            ]
        )
    )
    add_note = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Add a note", className="h6"),
                dbc.Textarea(id=ids.CASE_NOTE_BODY, placeholder="Markdown", rows=4, className="mb-2"),
                dbc.Input(
                    id=ids.CASE_NOTE_ADDRESS,
                    placeholder="about the address (optional)",
                    className="mb-2 font-monospace",
                ),
                dbc.Button("Add note", id=ids.CASE_NOTE_ADD, color="primary", size="sm"),
            ]
        )
    )
    share = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Share read-only", className="h6"),
                dbc.InputGroup(
                    [
                        dbc.Input(id=ids.CASE_SHARE_DAYS, type="number", value=DEFAULT_DAYS, min=1, max=90),
                        dbc.InputGroupText("days"),
                    ],
                    size="sm",
                    className="mb-2",
                ),
                dbc.Button("Create share link", id=ids.CASE_SHARE, color="secondary", size="sm", className="me-2"),
                dbc.Button("Close / reopen case", id=ids.CASE_STATUS, color="dark", outline=True, size="sm"),
            ]
        )
    )
    return dbc.Row([dbc.Col(add_item, md=5), dbc.Col(add_note, md=4), dbc.Col(share, md=3)], className="g-2 mb-3")


def build_body(case_id: int, role: str | None) -> html.Div:
    """Everything the page shows of the case (rebuilt after each change)."""
    store = services().store
    cases = Cases(store)
    case = cases.get(case_id)
    links = share_links()
    reports = html.Div(
        report_controls(
            "case",
            {"kind": "case", "case_id": case.id},
            {"html": "Download HTML report", "pdf": "Download PDF report"},
            color="primary",
            outline=True,
            className="me-2",
        ),
        className="mb-3",
    )
    can_edit = may(role, "investigator")
    return html.Div(
        [
            case_header(case),
            reports,
            _forms() if can_edit else None,
            html.H2("Addresses, traces and transfers", className="h5"),
            items_list(cases.items(case.id)),
            html.H2("Notes", className="h5 mt-3"),
            notes_list(cases.notes(case.id)),
            html.H2("Share links", className="h5 mt-3"),
            share_list(links.links(case.id), lambda x: share_url(case.id, links.token(x)), time.time(), can_edit),
            html.H2("Audit trail", className="h5 mt-3"),
            audit_table(AuditLog(store).entries(object_type="case", object_id=case.id), "case-audit"),
        ]
    )


def layout(case_id: str = "", **_query) -> html.Div:
    """The case of the URL, or why it cannot be shown."""
    role = getattr(flask_login.current_user, "role", None)
    try:
        if not case_id.isdigit():
            raise CaseNotFound(f"no case {case_id[:20]!r}: a case is a number")
        body = build_body(int(case_id), role)
    except TracingError as err:
        return html.Div([error_alert(err), dcc.Link("All cases", href="/cases")])
    return html.Div(
        [
            dcc.Store(id=ids.CASE_ID, data=int(case_id)),
            html.Div(id=ids.CASE_ALERT),
            html.Div(body, id=ids.CASE_BODY),
        ]
    )


def _params(text: str | None) -> dict:
    pairs = parse_qsl((text or "").strip(), keep_blank_values=False, strict_parsing=False)
    if text and text.strip() and not pairs:
        raise BadParameters("parameters", "write them as name=value&name=value")
    return dict(pairs)


def _act(trigger, case_id: int, user: str, values: dict) -> str:
    """Carry out the action ``trigger`` names; return what to tell the user."""
    cases = Cases(services().store)
    if trigger == ids.CASE_ITEM_ADD:
        params = _params(values["params"])
        kind, ref = values["kind"] or "address", (values["ref"] or "").strip()
        if kind == "trace" and ref:
            params["tx"] = ref
        item = cases.add_item(user, case_id, kind, values["address"] or "", ref=ref, params=params)
        return f"Added {item.kind} {item.address}."
    if trigger == ids.CASE_NOTE_ADD:
        cases.add_note(user, case_id, values["note"] or "", address=values["note_address"])
        return "Note added."
    if trigger == ids.CASE_STATUS:
        case = cases.get(case_id)
        changed = cases.update(user, case_id, status="closed" if case.status == "open" else "open")
        return f"The case is {changed.status}."
    if trigger == ids.CASE_SHARE:
        link, token = share_links().create(user, case_id, days=values["days"] or DEFAULT_DAYS)
        return f"Share link #{link.id} created: {share_url(case_id, token)}"
    if isinstance(trigger, dict) and trigger.get("type") == ids.CASE_REVOKE:
        link = share_links().revoke(user, case_id, int(trigger["link"]))
        return f"Share link #{link.id} revoked."
    return ""


@callback(
    Output(ids.CASE_BODY, "children"),
    Output(ids.CASE_ALERT, "children"),
    Input(ids.CASE_ITEM_ADD, "n_clicks"),
    Input(ids.CASE_NOTE_ADD, "n_clicks"),
    Input(ids.CASE_STATUS, "n_clicks"),
    Input(ids.CASE_SHARE, "n_clicks"),
    Input({"type": ids.CASE_REVOKE, "link": ALL}, "n_clicks"),
    State(ids.CASE_ID, "data"),
    State(ids.CASE_ITEM_KIND, "value"),
    State(ids.CASE_ITEM_ADDRESS, "value"),
    State(ids.CASE_ITEM_REF, "value"),
    State(ids.CASE_ITEM_PARAMS, "value"),
    State(ids.CASE_NOTE_BODY, "value"),
    State(ids.CASE_NOTE_ADDRESS, "value"),
    State(ids.CASE_SHARE_DAYS, "value"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_case_action(
    _item, _note, _status, _share, revokes, case_id, kind, address, ref, params, note, note_address, days
):
    """One change to the case (the button pressed says which), then the case drawn again."""
    if ctx.triggered_id is None or (isinstance(ctx.triggered_id, dict) and not any(revokes)):
        return no_update, no_update  # a revoke button appeared: nothing was pressed
    user = flask_login.current_user
    values = {
        "kind": kind,
        "address": address,
        "ref": ref,
        "params": params,
        "note": note,
        "note_address": note_address,
        "days": days,
    }
    try:
        message = _act(ctx.triggered_id, case_id, user.name, values)
    except TracingError as err:
        return no_update, error_alert(err)
    return build_body(case_id, user.role), dbc.Alert(message, color="success", id="case-done", dismissable=True)
