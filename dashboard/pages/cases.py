"""The cases page: search and filter cases (state in the URL), open a new one.

``/cases?text=..&status=open|closed&owner=..&address=..&since=..&until=..``: the list is
built from the URL, so a copied link shows the same selection.
"""

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import flask_login
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids
from dashboard.components.cases import cases_table
from dashboard.errors import error_alert
from dashboard.roles import may, requires
from dashboard.services import services
from tracing.cases import STATUSES, Case, Cases
from tracing.errors import TracingError
from tracing.model import normalize_address

dash.register_page(__name__, required_role="viewer", path="/cases", title="Cases · Tracing", name="Cases")

FILTERS = {
    "text": ids.CASES_TEXT,
    "status": ids.CASES_STATUS,
    "owner": ids.CASES_OWNER,
    "address": ids.CASES_ADDRESS,
    "since": ids.CASES_SINCE,
    "until": ids.CASES_UNTIL,
}


def _filters(query: dict, owners: list[str]) -> dbc.Row:
    def text(name, placeholder, width=3):
        return dbc.Col(dbc.Input(id=FILTERS[name], value=query.get(name, ""), placeholder=placeholder), md=width)

    def select(name, options):
        choices = [{"label": f"any {name}", "value": ""}] + [{"label": o, "value": o} for o in options]
        select = dbc.Select(id=FILTERS[name], options=choices, value=query.get(name, ""), placeholder=f"any {name}")
        return dbc.Col(select, md=2)

    return dbc.Row(
        [
            text("text", "title, description or tag"),
            select("status", STATUSES),
            select("owner", owners),
            text("address", "address in the case"),
            text("since", "since YYYY-MM-DD", 2),
            text("until", "until YYYY-MM-DD", 2),
            dbc.Col(dbc.Button("Search", id=ids.CASES_SEARCH, color="primary"), md="auto"),
        ],
        className="g-2 mb-3",
    )


def _new_case_form(address: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Open a case", className="h6"),
                dbc.Input(id=ids.CASES_NEW_TITLE, placeholder="title", maxLength=200, className="mb-2"),
                dbc.Textarea(id=ids.CASES_NEW_DESCRIPTION, placeholder="description (Markdown)", className="mb-2"),
                dbc.Input(id=ids.CASES_NEW_TAGS, placeholder="tags, comma-separated", className="mb-2"),
                dbc.Input(
                    id=ids.CASES_NEW_ADDRESS,
                    value=address,
                    placeholder="first address (optional)",
                    className="mb-2 font-monospace small",
                ),
                dbc.Button("Create case", id=ids.CASES_CREATE, color="success"),
            ]
        ),
        className="shadow-sm",
    )


def no_cases_text(filtered: bool, can_create: bool) -> str:
    """What the list says when it is empty: the filters excluded everything, or there is no case yet."""
    if filtered:
        return "No case matches these filters."
    return "No cases yet." + (" Open one with the \u201cOpen a case\u201d form." if can_create else "")


def layout(**query) -> html.Div:
    """The filters and the cases they select; ``?new=ADDRESS`` fills the new case's first address."""
    cases = Cases(services().store)
    first_address = str(query.get("new", ""))[:200]
    query = {k: v for k, v in query.items() if k in FILTERS and v}
    try:
        found, problem = cases.search(**query), None
    except TracingError as err:
        found, problem = [], error_alert(err)
    can_create = may(getattr(flask_login.current_user, "role", None), "investigator")
    return html.Div(
        [
            dcc.Location(id=ids.CASES_NAV, refresh="callback-nav"),
            html.H1("Cases", className="h3"),
            _filters(query, cases.owners()),
            html.Div(problem, id=ids.CASES_ALERT),
            dbc.Row(
                [
                    dbc.Col(cases_table(found, no_cases_text(bool(query), can_create)), md=9 if can_create else 12),
                    dbc.Col(_new_case_form(first_address), md=3) if can_create else None,
                ]
            ),
        ]
    )


@callback(
    Output(ids.CASES_NAV, "href", allow_duplicate=True),
    Input(ids.CASES_SEARCH, "n_clicks"),
    [State(v, "value") for v in FILTERS.values()],
    prevent_initial_call=True,
)
@requires("viewer")
def callback_cases_search(_clicks, *values):
    """Put the filters in the URL; the page lists what they select."""
    query = {k: v.strip() for k, v in zip(FILTERS, values) if v and v.strip()}
    return "/cases" + (f"?{urlencode(query)}" if query else "")


@callback(
    Output(ids.CASES_NAV, "href", allow_duplicate=True),
    Output(ids.CASES_ALERT, "children"),
    Input(ids.CASES_CREATE, "n_clicks"),
    State(ids.CASES_NEW_TITLE, "value"),
    State(ids.CASES_NEW_DESCRIPTION, "value"),
    State(ids.CASES_NEW_TAGS, "value"),
    State(ids.CASES_NEW_ADDRESS, "value"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_cases_create(_clicks, title, description, tags, address):
    """Open a case owned by the user (with its first address, if given) and go to it."""
    try:
        case = create_case(flask_login.current_user.name, title, description, tags, address)
    except TracingError as err:
        return no_update, error_alert(err)
    return f"/case/{case.id}", None


def create_case(user: str, title, description, tags, address) -> Case:
    """A new case, and its first address when one is given; nothing is kept when the address is wrong."""
    cases = Cases(services().store)
    if address and address.strip():
        normalize_address(address)  # refused before the case exists
    case = cases.create(user, title or "", description or "", tags or "")
    if address and address.strip():
        cases.add_item(user, case.id, "address", address)
    return case
