"""The address page: is this address dangerous, why, and when did it move money.

Everything the page shows follows from its URL (``/address/<chain>/<address>?<parameters>``):
the form and the parameters panel only change the URL, and the page is built
again from it, so a copied link reproduces the view.
"""

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components.cases import address_report_links
from dashboard.components.exposure import exposure_card
from dashboard.components.fetching import data_panel
from dashboard.components.fold import fold, register_fold
from dashboard.components.forms import (
    PARAM_LABELS,
    PARAM_NAMES,
    address_form,
    field_marks,
    navigation_target,
    params_panel,
    register_address_help,
)
from dashboard.components.identity import identity_header
from dashboard.components.profile import address_profile, address_profile_when_trained
from dashboard.components.results import asset_options, chart_panels, result_panels
from dashboard.components.transfers import transfer_section
from dashboard.errors import error_alert, parameters_alert, stale_alert
from dashboard.recent import remember
from dashboard.roles import requires
from dashboard.services import services
from dashboard.tables import date_bounds, table_query, transfer_page
from dashboard.urls import address_path, trace_path
from tracing.errors import BadParameters, InvalidAddress, TracingError
from tracing.figures import short_address
from tracing.model import display_address
from tracing.params import FIELDS, Parameters

dash.register_page(
    __name__,
    required_role="viewer",
    path_template="/address/<chain>/<address>",
    title=lambda chain="", address="", **_: f"{short_address(address)} · Address · Tracing",
    name="Address",
)

FORM_IDS = {
    "address": ids.ADDRESS_ADDRESS,
    "chain": ids.ADDRESS_CHAIN,
    "help": ids.ADDRESS_ADDRESS_HELP,
    "submit": ids.ADDRESS_SUBMIT,
}
PARAM_INPUTS = {"type": ids.ADDRESS_PARAM, "name": ALL}
PARAM_HELPS = {"type": ids.ADDRESS_PARAM_HELP, "name": ALL}


def _request(chain: str, address: str, query: dict) -> tuple[dict | None, dict, dict]:
    """The investigation the URL asks for: ``(request or None, panel values, {field: reason} of every bad one)``."""
    values = {name: query.get(name, default) for name, default in FIELDS.items()}
    try:
        params = Parameters.from_mapping(query)
    except BadParameters as err:
        return None, values, err.problems
    return {"chain": chain, "address": address, "params": params.to_dict()}, params.to_dict(), {}


def _display(chain: str, address: str) -> str:
    """The address as a person writes it (EIP-55 for Ethereum); as given when the chain is unknown."""
    try:
        return display_address(chain, address)
    except InvalidAddress:
        return address


def _graph(graph_id: str, height: int) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config={"displaylogo": False}, style={"height": f"{height}px"})


def _results() -> html.Div:
    panel = "shadow-sm mb-3"
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(html.Div(id=ids.ADDRESS_SCORE), lg=12),
                    dbc.Col(html.Div(id=ids.ADDRESS_TESTS), lg=12),
                ]
            ),
            html.Div(id=ids.ADDRESS_PROFILE),
            html.Div(id=ids.ADDRESS_EXPOSURE),
            dbc.Card(
                [
                    dbc.CardHeader(
                        dbc.InputGroup(
                            [dbc.InputGroupText("Asset"), dbc.Select(id=ids.ADDRESS_ASSET, options=[])],
                            size="sm",
                            className="asset-picker",
                        ),
                        className="d-flex align-items-center gap-2",
                    ),
                    dbc.CardBody(_graph(ids.ADDRESS_TIMELINE, 440)),
                ],
                className=panel,
            ),
            dbc.Row(
                [
                    dbc.Col(dbc.Card(dbc.CardBody(_graph(ids.ADDRESS_HISTOGRAM, 380)), className=panel), xxl=5),
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader("Top counterparties by volume, per asset"),
                                dbc.CardBody(html.Div(id=ids.ADDRESS_COUNTERPARTIES)),
                            ],
                            className=panel,
                        ),
                        xxl=7,
                    ),
                ]
            ),
            dbc.Card(
                [
                    dbc.CardHeader("Transfers"),
                    dbc.CardBody(transfer_section()),
                ],
                className=panel,
            ),
        ],
        id=ids.ADDRESS_RESULTS,
    )


def layout(chain: str = "", address: str = "", **query) -> html.Div:
    """The page for the address and parameters of the URL."""
    request, values, errors = _request(chain, address, query)
    shown = _display(chain, address)
    link = flask.request.host_url.rstrip("/") + address_path(chain, address, Parameters(**values)) if request else ""
    return html.Div(
        [
            dcc.Location(id=ids.ADDRESS_NAV, refresh="callback-nav"),
            dcc.Store(id=ids.ADDRESS_REQUEST, data=request),
            dcc.Store(id=ids.ADDRESS_READY),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(id=ids.ADDRESS_IDENTITY, className="mb-2"),
                        address_form(FORM_IDS, shown, chain),
                        dbc.InputGroup(
                            [
                                dbc.InputGroupText("Link to this view"),
                                dbc.Input(
                                    id=ids.ADDRESS_SHARE_LINK,
                                    value=link,
                                    readonly=True,
                                    className="font-monospace small",
                                ),
                                dbc.InputGroupText(
                                    dcc.Clipboard(
                                        target_id=ids.ADDRESS_SHARE_LINK, id=ids.ADDRESS_COPY, title="Copy link"
                                    )
                                ),
                            ],
                            size="sm",
                            className="mt-2",
                        ),
                        dcc.Link(
                            "Trace funds from this address",
                            href=trace_path(chain, address) if request else "",
                            id=ids.ADDRESS_TRACE_LINK,
                            className="small d-inline-block mt-2",
                        ),
                        address_report_links(chain, address, Parameters(**values)) if request else None,
                    ]
                ),
                className="shadow-sm mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        fold(
                            params_panel(values, ids.ADDRESS_PARAM, ids.ADDRESS_PARAM_HELP, errors),
                            ids.ADDRESS_PARAMS_FOLD,
                            "Parameters",
                            opened=bool(errors),
                        ),
                        lg=3,
                        className="order-2 order-lg-1",
                    ),
                    dbc.Col(
                        [
                            html.Div(
                                parameters_alert(errors, PARAM_NAMES) if errors else None,
                                id=ids.ADDRESS_ALERT,
                            ),
                            dcc.Loading(_results(), type="circle", delay_show=150),
                            data_panel(chain, address),  # below the findings; alone when nothing is stored
                        ],
                        lg=9,
                        className="order-1 order-lg-2",
                    ),
                ]
            ),
        ],
        className="address-page",
    )


register_address_help(FORM_IDS)
register_fold(ids.ADDRESS_PARAMS_FOLD)


@callback(
    Output(ids.ADDRESS_NAV, "href"),
    Output(PARAM_INPUTS, "invalid"),
    Output(PARAM_HELPS, "children"),
    Output(PARAM_HELPS, "color"),
    Output(ids.ADDRESS_ALERT, "children", allow_duplicate=True),
    Input(ids.ADDRESS_SUBMIT, "n_clicks"),
    Input(ids.ADDRESS_ADDRESS, "n_submit"),
    Input(PARAM_INPUTS, "value"),
    State(ids.ADDRESS_ADDRESS, "value"),
    State(ids.ADDRESS_CHAIN, "value"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_address_navigate(_clicks, _submits, values, text, chain):
    """Move to the URL of the form's address and parameters, or say what is wrong next to the field.

    While a field is wrong, an alert says that the results still answer the previous parameters.
    """
    names = [item["id"]["name"] for item in ctx.inputs_list[2]]
    path, address_error, problems = navigation_target(text, chain, dict(zip(names, values)))
    stale = (
        parameters_alert(problems, PARAM_NAMES, stale=True)
        if problems
        else stale_alert(InvalidAddress(address_error))
        if address_error
        else no_update
    )
    return path or no_update, *field_marks(names, problems, PARAM_LABELS), stale


TABLE_OUTPUTS = (
    (ids.ADDRESS_TABLE_BODY, "children"),
    (ids.ADDRESS_PAGES, "max_value"),
    (ids.ADDRESS_PAGES, "active_page"),
    (ids.ADDRESS_TABLE_COUNT, "children"),
    (ids.ADDRESS_MIN_AMOUNT, "invalid"),
    (ids.ADDRESS_MAX_AMOUNT, "invalid"),
)
CHART_OUTPUTS = ((ids.ADDRESS_TIMELINE, "figure"), (ids.ADDRESS_HISTOGRAM, "figure"))


@callback(
    Output(ids.ADDRESS_ALERT, "children"),
    Output(ids.ADDRESS_IDENTITY, "children"),
    Output(ids.ADDRESS_SCORE, "children"),
    Output(ids.ADDRESS_TESTS, "children"),
    Output(ids.ADDRESS_COUNTERPARTIES, "children"),
    Output(ids.ADDRESS_ASSET, "options"),
    Output(ids.ADDRESS_ASSET, "value"),
    *(Output(i, p) for i, p in CHART_OUTPUTS),
    *(Output(i, p) for i, p in TABLE_OUTPUTS if i != ids.ADDRESS_PAGES or p != "active_page"),
    Output(ids.ADDRESS_DATES, "min_date_allowed"),
    Output(ids.ADDRESS_DATES, "max_date_allowed"),
    Output(ids.ADDRESS_DATES, "initial_visible_month"),
    Output(ids.ADDRESS_RESULTS, "style"),
    Output(ids.ADDRESS_READY, "data"),
    Input(ids.ADDRESS_REQUEST, "data"),
)
@requires("viewer")
def callback_address_results(request):
    """Score the address of the URL and draw every panel in one round trip (or say why it cannot be scored).

    One answer carries the scores, the charts and the first table page, so the
    browser draws them together instead of waiting for three requests in turn.
    """
    hidden = (None, None, None, None, [], None, {}, {}, None, 1, "", False, False, None, None, None)
    if not request:
        return no_update, *hidden, {"display": "none"}, None
    try:
        found = services().investigate(request["chain"], request["address"], Parameters(**request["params"]))
    except TracingError as err:
        return error_alert(err), *hidden, {"display": "none"}, None
    report = found.report
    remember(report.table.chain.value, report.address)
    identity = identity_header(report.address, found.labels.of(report.table.chain, report.address))
    options, asset = asset_options(found)
    body, pages, _page, count = transfer_page(found, 1, table_query(None, None, None, None, None, None))
    return (
        None,
        identity,
        *result_panels(found),
        options,
        asset,
        *chart_panels(found, asset),
        body,  # the active page stays 1: setting it would ask for the same page again
        pages,
        count,
        False,
        False,
        *date_bounds(report.table),
        {},
        {**request, "asset": asset},
    )


@callback(Output(ids.ADDRESS_PROFILE, "children"), Input(ids.ADDRESS_READY, "data"))
@requires("viewer")
def callback_address_profile(request):
    """The behavioural profile card of the scored address (or what to do when no model is trained)."""
    return address_profile(request)


@callback(
    Output(ids.ADDRESS_PROFILE, "children", allow_duplicate=True),
    Input(ids.ADDRESS_PROFILE_WAIT, "n_intervals"),
    State(ids.ADDRESS_READY, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_address_profile_wait(_ticks, request):
    """The profile card again once the first model, training while the card waited, is saved."""
    return address_profile_when_trained(request)


@callback(Output(ids.ADDRESS_EXPOSURE, "children"), Input(ids.ADDRESS_READY, "data"))
@requires("viewer")
def callback_address_exposure(ready):
    """The exposure card of the scored address (direct and multi-hop shares by labelled category)."""
    if not ready:
        return None
    found = services().investigate(ready["chain"], ready["address"], Parameters(**ready["params"]))
    return exposure_card(found.report.table.chain.value, found.report.exposure)


@callback(
    *(Output(i, p, allow_duplicate=True) for i, p in CHART_OUTPUTS),
    Input(ids.ADDRESS_ASSET, "value"),
    State(ids.ADDRESS_READY, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_address_charts(asset, ready):
    """The timeline and the z-score histogram of another asset of the address."""
    if not ready or asset == ready.get("asset"):
        raise PreventUpdate  # the results already drew this asset
    found = services().investigate(ready["chain"], ready["address"], Parameters(**ready["params"]))
    return chart_panels(found, asset)


@callback(
    *(Output(i, p, allow_duplicate=True) for i, p in TABLE_OUTPUTS),
    Input(ids.ADDRESS_PAGES, "active_page"),
    Input(ids.ADDRESS_SORT, "value"),
    Input(ids.ADDRESS_DATES, "start_date"),
    Input(ids.ADDRESS_DATES, "end_date"),
    Input(ids.ADDRESS_MIN_AMOUNT, "value"),
    Input(ids.ADDRESS_MAX_AMOUNT, "value"),
    Input(ids.ADDRESS_FLAG_FILTER, "value"),
    State(ids.ADDRESS_READY, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_address_table(page, sort, start, end, low, high, flagged_by, ready):
    """One page of the address's transfers, filtered and sorted on the server (a new filter starts at page 1)."""
    if not ready:
        raise PreventUpdate
    if low not in (None, "") and high not in (None, "") and float(low) > float(high):
        message = html.Span(f"The minimum amount ({low:g}) is above the maximum ({high:g}).", className="text-danger")
        return None, 1, 1, message, True, True
    found = services().investigate(ready["chain"], ready["address"], Parameters(**ready["params"]))
    page = page if ctx.triggered_id == ids.ADDRESS_PAGES else 1
    return *transfer_page(found, page or 1, table_query(sort, start, end, low, high, flagged_by)), False, False
