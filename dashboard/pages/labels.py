"""The labels page: browse and search every label, import TagPack/CSV/JSON files, add, edit and remove labels.

Searching and paging change the URL (``/labels?q=&category=&chain=&page=``), so a
link reproduces the list; pages are read from the store one at a time (it may hold
10^5 labels). Export writes every match as CSV, JSON or a TagPack, as
``tracing labels list --export`` does. Viewers read and export; investigators
change, and every change is written to the audit log with their name
(:class:`tracing.store.label_store.LabelStore`). On a phone the list comes first,
and a link at the top leads an investigator down to the forms.
"""

import tempfile
from pathlib import Path
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components.labels import (
    EDIT,
    FIELD,
    FORM_FIELDS,
    REMOVE,
    export_bar,
    label_form,
    labels_table,
    pager,
    read_summary,
)
from dashboard.components.upload import upload_bytes
from dashboard.errors import error_alert
from dashboard.roles import actor, may, requires
from dashboard.services import services
from tracing.errors import TracingError
from tracing.labels import CATEGORIES, Label
from tracing.labels.files import EXPORT_FORMATS, labels_text, read_labels
from tracing.labels.snapshot import snapshot_version
from tracing.model import normalize_address
from tracing.store.label_store import LabelStore

dash.register_page(__name__, required_role="viewer", path="/labels", title="Labels · Tracing", name="Labels")

PAGE_SIZE = 50
MAX_UPLOAD = 20 * 1024 * 1024
FIELDS = {"type": FIELD, "name": ALL}


def _page_number(text) -> int:
    try:
        return max(1, int(text))
    except (TypeError, ValueError):
        return 1


def layout(q: str = "", category: str = "", chain: str = "", page: str = "1", **_) -> html.Div:
    """The search of the URL, its page of labels, and (for investigators) the add/edit and import cards."""
    query = {"q": q, "category": category if category in CATEGORIES else "", "chain": chain}
    query["page"] = _page_number(page)
    editor = may(getattr(flask_login.current_user, "role", None), "investigator")
    search = dbc.Row(
        [
            dbc.Col(
                dbc.Input(id=ids.LABELS_SEARCH, value=q, placeholder="address, entity, actor or source", size="sm")
            ),
            dbc.Col(
                dbc.Select(
                    id=ids.LABELS_CATEGORY,
                    options=[{"label": "every category", "value": ""}] + [{"label": c, "value": c} for c in CATEGORIES],
                    value=query["category"],
                    placeholder="every category",  # dbc.Select shows its placeholder, not the "" option
                    size="sm",
                ),
                md=3,
            ),
            dbc.Col(dbc.Input(id=ids.LABELS_CHAIN, value=chain, placeholder="chain", size="sm"), md=2),
            dbc.Col(dbc.Button("Search", id=ids.LABELS_APPLY, size="sm"), md="auto"),
        ],
        className="g-2 mb-2",
    )
    cards = [
        dbc.Card(
            [
                dbc.CardHeader("Labels"),
                dbc.CardBody(
                    [
                        search,
                        html.Div(id=ids.LABELS_COUNT, className="small mb-2"),
                        html.Div(id=ids.LABELS_TABLE),
                        html.Div(id=ids.LABELS_PAGER, className="mt-2"),
                        export_bar(EXPORT_FORMATS),
                    ]
                ),
            ],
            className="shadow-sm mb-3 order-1 order-lg-2",  # on a phone the list comes before the forms
        )
    ]
    if editor:
        cards.insert(0, html.Div(_editor_cards(), id=ids.LABELS_EDITOR, className="order-2 order-lg-1"))
    to_editor = html.A(
        "Add or import a label ↓",
        href=f"#{ids.LABELS_EDITOR}",
        id=ids.LABELS_TO_EDITOR,
        className="btn btn-sm btn-outline-primary d-lg-none",  # from lg up the forms are on top
    )
    return html.Div(
        [
            dcc.Location(id=ids.LABELS_NAV, refresh="callback-nav"),
            dcc.Store(id=ids.LABELS_QUERY, data=query),
            dcc.Store(id=ids.LABELS_VERSION, data=0),
            dcc.Store(id=ids.LABELS_EDIT_ID, data=None),
            dcc.Download(id=ids.LABELS_DOWNLOAD),
            html.Div(
                [html.H4("Labels", className="mb-0"), to_editor if editor else None],
                className="d-flex justify-content-between align-items-center mb-3",
            ),
            html.Div(id=ids.LABELS_ALERT),
            html.Div(cards, className="d-flex flex-column"),
        ],
        className="labels-page",
    )


def _editor_cards() -> dbc.Row:
    add = dbc.Card(
        [
            dbc.CardHeader(html.Span("Add a label", id=ids.LABELS_FORM_TITLE)),
            dbc.CardBody(
                [
                    html.Div(label_form(), id=ids.LABELS_FORM),
                    dbc.Button("Save", id=ids.LABELS_SAVE, size="sm", className="mt-2 me-2"),
                    dbc.Button("New", id=ids.LABELS_NEW, size="sm", color="secondary", outline=True, className="mt-2"),
                ]
            ),
        ],
        className="shadow-sm mb-3 h-100",
    )
    upload = dbc.Card(
        [
            dbc.CardHeader("Import a label file"),
            dbc.CardBody(
                [
                    dcc.Upload(
                        "Drop a TagPack (.yaml), CSV or JSON file here, or choose one",
                        id=ids.LABELS_UPLOAD,
                        max_size=MAX_UPLOAD,
                        className="border border-2 rounded p-3 text-center small text-muted",
                    ),
                    html.Div(
                        "CSV and JSON: chain, address, name, category, source, detail, confidence, actor ... "
                        "(see the README); the format follows the file's extension.",
                        className="small text-muted mt-2",
                    ),
                ]
            ),
        ],
        className="shadow-sm mb-3 h-100",
    )
    return dbc.Row([dbc.Col(add, lg=8), dbc.Col(upload, lg=4)], className="mb-3 g-3")  # stacked: a gap between


@callback(
    Output(ids.LABELS_NAV, "href"),
    Input(ids.LABELS_APPLY, "n_clicks"),
    Input(ids.LABELS_SEARCH, "n_submit"),
    State(ids.LABELS_SEARCH, "value"),
    State(ids.LABELS_CATEGORY, "value"),
    State(ids.LABELS_CHAIN, "value"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_labels_search(_clicks, _submits, text, category, chain):
    """Move to the URL of the search."""
    query = {
        k: v.strip() for k, v in (("q", text or ""), ("category", category or ""), ("chain", chain or "")) if v.strip()
    }
    return "/labels" + (f"?{urlencode(query)}" if query else "")


def _where(query: dict) -> dict:
    """The search of a page's query as :meth:`LabelStore.search` keywords."""
    return {"category": query.get("category") or None, "chain": query.get("chain") or None}


def _href(query: dict, page: int) -> str:
    kept = {k: query[k] for k in ("q", "category", "chain") if query.get(k)}
    return "/labels?" + urlencode({**kept, **({"page": page} if page > 1 else {})})


@callback(
    Output(ids.LABELS_TABLE, "children"),
    Output(ids.LABELS_COUNT, "children"),
    Output(ids.LABELS_PAGER, "children"),
    Input(ids.LABELS_QUERY, "data"),
    Input(ids.LABELS_VERSION, "data"),
)
@requires("viewer")
def callback_labels_table(query, _version):
    """One page of the labels matching the URL's search, newest first, read from the store alone."""
    query = query or {}
    number = _page_number(query.get("page"))
    page = LabelStore(services().store).search(
        query.get("q", ""), **_where(query), limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE, shipped=True
    )
    pages = max(1, -(-page.total // PAGE_SIZE))
    editable = may(getattr(flask_login.current_user, "role", None), "investigator")
    first = (number - 1) * PAGE_SIZE + 1
    shown = f"{first:,}-{first + len(page.labels) - 1:,} are shown" if page.labels else "none on this page"
    count = f"{page.total - page.shipped:,} stored label(s) match, newest first"
    if page.shipped:
        count += (
            f", then {page.shipped:,} of the shipped OFAC SDN list of {snapshot_version()} (screening uses it until "
            "'sanctions update' stores a newer issue; exports hold the stored labels only)"
        )
    count += f"; {shown}."
    return labels_table(page.labels, editable=editable), count, pager(number, pages, lambda n: _href(query, n))


@callback(
    Output(ids.LABELS_DOWNLOAD, "data"),
    Input(ids.LABELS_EXPORT, "n_clicks"),
    State(ids.LABELS_EXPORT_FORMAT, "value"),
    State(ids.LABELS_QUERY, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_labels_export(_clicks, fmt, query):
    """Every label the search matches (not one page) as CSV, JSON or a TagPack."""
    query = query or {}
    fmt = fmt if fmt in EXPORT_FORMATS else "csv"
    every = LabelStore(services().store).every(query.get("q", ""), **_where(query))
    return dcc.send_string(labels_text(every, fmt), f"labels{EXPORT_FORMATS[fmt]}")


@callback(
    Output(ids.LABELS_FORM, "children"),
    Output(ids.LABELS_EDIT_ID, "data"),
    Output(ids.LABELS_FORM_TITLE, "children"),
    Input({"type": EDIT, "id": ALL}, "n_clicks"),
    Input(ids.LABELS_NEW, "n_clicks"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_labels_edit(clicks, _new):
    """Fill the form with the label to edit (or empty it for a new one)."""
    if ctx.triggered_id == ids.LABELS_NEW:
        return label_form(), None, "Add a label"
    if not any(clicks or []):
        raise PreventUpdate  # the table was drawn again: no click
    label = LabelStore(services().store).get(ctx.triggered_id["id"])
    return label_form(label.record()), label.id, f"Edit label {label.id} ({label.source})"


@callback(
    Output(ids.LABELS_ALERT, "children"),
    Output(ids.LABELS_VERSION, "data"),
    Input(ids.LABELS_SAVE, "n_clicks"),
    State(FIELDS, "value"),
    State(ids.LABELS_EDIT_ID, "data"),
    State(ids.LABELS_VERSION, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_labels_save(_clicks, values, label_id, version):
    """Add the form's label, or save the edited one; audit-logged under the user's name."""
    form = dict(zip(FORM_FIELDS, values))
    store = LabelStore(services().store)
    try:
        confidence = int(form.get("confidence") or 80)
        if label_id is not None:
            changes = {k: form[k] or "" for k in ("name", "category", "actor", "detail")}
            saved = store.update(label_id, actor(), confidence=confidence, **changes)
        else:
            chain, address = normalize_address(form.get("address") or "", form.get("chain") or None)
            label = Label(chain, address, form.get("name") or "", form.get("category") or "", "manual",
                          form.get("detail") or "", confidence, form.get("actor") or "")  # fmt: skip
            saved = store.add(label, actor())
    except (TracingError, ValueError) as err:
        return error_alert(err), no_update
    services().forget()
    return dbc.Alert(f"Saved: {saved.address} is {saved.category} '{saved.name}'.", color="success"), (version or 0) + 1


@callback(
    Output(ids.LABELS_ALERT, "children", allow_duplicate=True),
    Output(ids.LABELS_VERSION, "data", allow_duplicate=True),
    Input({"type": REMOVE, "id": ALL}, "n_clicks"),
    State(ids.LABELS_VERSION, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_labels_remove(clicks, version):
    """Remove the clicked label (audit-logged with what it said)."""
    if not any(clicks or []):
        raise PreventUpdate
    try:
        removed = LabelStore(services().store).remove(ctx.triggered_id["id"], actor())
    except TracingError as err:
        return error_alert(err), no_update
    services().forget()
    return dbc.Alert(f"Removed: {removed.address} was {removed.category} '{removed.name}'.", color="info"), (
        version or 0
    ) + 1


@callback(
    Output(ids.LABELS_ALERT, "children", allow_duplicate=True),
    Output(ids.LABELS_VERSION, "data", allow_duplicate=True),
    Input(ids.LABELS_UPLOAD, "contents"),
    State(ids.LABELS_UPLOAD, "filename"),
    State(ids.LABELS_VERSION, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_labels_import(contents, filename, version):
    """Import an uploaded TagPack, CSV or JSON file; list what was skipped and why."""
    if not contents:
        raise PreventUpdate
    name = Path(filename or "labels").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        try:
            path.write_bytes(upload_bytes(contents, name))
            read = read_labels(path)
            new = LabelStore(services().store).import_labels(read.labels, actor(), name)
        except (TracingError, ValueError) as err:
            return error_alert(err), no_update
    services().forget()
    return read_summary(name, len(read.labels), new, read.skipped), (version or 0) + 1
