"""The trace page: where did the money go, how much of it, and where can it still be frozen.

Everything follows from the URL (``/trace/<chain>/<address>?<trace parameters>&expanded=..&focus=..``):
the filters, "expand" and "highlight" only change the URL, so a copied link shows
the same graph. Traces are computed by the engine (:mod:`tracing.flow`) and kept a
few minutes by :class:`~dashboard.services.Services`, so clicking around does not trace again.
"""

import dash
import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.components.flow import (
    FILTER_LABELS,
    edge_transfers,
    exits_table,
    node_details,
    trace_filters,
    trace_summary,
)
from dashboard.components.fold import fold, register_fold
from dashboard.components.forms import field_marks
from dashboard.components.graph_tools import (
    GRAPH_LAYOUTS,
    graph_legend,
    graph_tip,
    graph_tools,
    register_graph_tools,
)
from dashboard.components.trace_fetch import trace_fetch_area
from dashboard.errors import error_alert, parameters_alert
from dashboard.roles import requires
from dashboard.services import services
from dashboard.urls import address_path, trace_path
from tracing.errors import BadParameters, TracingError
from tracing.figures import short_address
from tracing.flow import FORMATS, Trace, TraceParameters, display_graph, trace_bytes
from tracing.flow.cyto import STYLESHEET, cytoscape_elements, path_to
from tracing.flow.graph import MORE

dash.register_page(
    __name__,
    required_role="viewer",
    path_template="/trace/<chain>/<address>",
    title=lambda chain="", address="", **_: f"{short_address(address)} · Trace · Tracing",
    name="Trace",
)

FILTERS = {"type": ids.TRACE_FILTER, "name": ALL}
FILTER_HELPS = {"type": f"{ids.TRACE_FILTER}-help", "name": ALL}
FIELD_LABELS = {name: label for name, (label, _) in FILTER_LABELS.items()}
register_fold(ids.TRACE_FILTERS_FOLD)
register_graph_tools()


def _request(chain: str, address: str, query: dict) -> tuple[dict, dict, dict]:
    """``(request, filter values, {field: error})`` for the URL; the request's params are None when invalid."""
    defaults = TraceParameters().to_dict()
    values = {n: query.get(n, defaults[n]) for n in FILTER_LABELS}
    request = {
        "chain": chain,
        "address": address,
        "params": None,
        "expanded": [e for e in query.get("expanded", "").split(",") if e],
        "focus": query.get("focus") or None,
    }
    try:
        request["params"] = TraceParameters.from_mapping(query, ignore=("expanded", "focus")).to_dict()
    except BadParameters as err:
        return request, values, err.problems
    return request, values, {}


def _trace_of(request: dict) -> Trace:
    """The trace the request asks for (recent ones are cached by the services)."""
    return services().trace(request["chain"], request["address"], TraceParameters(**request["params"]))


def _card(title: str, body, **kwargs) -> dbc.Card:
    return dbc.Card(
        [dbc.CardHeader(title, className="fw-semibold"), dbc.CardBody(body)], className="shadow-sm mb-3", **kwargs
    )


def layout(chain: str = "", address: str = "", **query) -> html.Div:
    """The page for the address and trace parameters of the URL."""
    request, values, errors = _request(chain, address, query)
    params = TraceParameters(**request["params"]) if request["params"] else None
    link = flask.request.host_url.rstrip("/") + trace_path(
        chain, address, params, expanded=request["expanded"], focus=request["focus"]
    )
    header = [
        html.H5(
            [
                "Where the funds of " if params and params.direction == "backward" else "Where the funds went from ",
                html.Span(address, className="font-monospace text-break"),
                " came from" if params and params.direction == "backward" else "",
            ],
            className="mb-2",
        ),
        dcc.Link("Open the address page", href=address_path(chain, address), className="small me-3"),
        dbc.InputGroup(
            [
                dbc.InputGroupText("Link to this view"),
                dbc.Input(id=ids.TRACE_SHARE_LINK, value=link, readonly=True, className="font-monospace small"),
                dbc.InputGroupText(dcc.Clipboard(target_id=ids.TRACE_SHARE_LINK, id=ids.TRACE_COPY, title="Copy link")),
            ],
            size="sm",
            className="mt-2",
        ),
    ]
    graph = cyto.Cytoscape(
        id=ids.TRACE_GRAPH,
        elements=[],
        layout=GRAPH_LAYOUTS["hops"][1],
        stylesheet=STYLESHEET,
        className="trace-graph",
        style={"width": "100%"},
        minZoom=0.1,
        maxZoom=3,
    )
    export = dbc.InputGroup(
        [
            dbc.Select(
                id=ids.TRACE_EXPORT_FORMAT, options=[{"label": f[1:], "value": f} for f in FORMATS], value=".gexf"
            ),
            dbc.Button("Export", id=ids.TRACE_EXPORT, color="secondary", n_clicks=0),
        ],
        size="sm",
        style={"maxWidth": "260px"},
    )
    export = html.Div([export, html.Div(id=ids.TRACE_EXPORT_ERROR, className="mt-2")])
    return html.Div(
        [
            dcc.Location(id=ids.TRACE_NAV, refresh="callback-nav"),
            dcc.Store(id=ids.TRACE_REQUEST, data=request),
            dcc.Download(id=ids.TRACE_DOWNLOAD),
            dbc.Card(dbc.CardBody(header), className="shadow-sm mb-3"),
            dbc.Row(
                [
                    dbc.Col(
                        fold(
                            trace_filters(values, ids.TRACE_FILTER, ids.TRACE_APPLY, ids.TRACE_FILTER_HELP, errors),
                            ids.TRACE_FILTERS_FOLD,
                            "Trace parameters",
                            opened=bool(errors),
                        ),
                        lg=3,
                        className="order-2 order-lg-1",
                    ),
                    dbc.Col(
                        [
                            html.Div(
                                parameters_alert(errors, FIELD_LABELS) if errors else None,
                                id=ids.TRACE_ALERT,
                            ),
                            dcc.Loading(
                                _card(
                                    "Flow graph",
                                    [
                                        html.Div(id=ids.TRACE_SUMMARY),
                                        html.Div(  # nothing to draw, read or export until the parameters are fixed
                                            [
                                                graph_tools(),
                                                html.Div([graph, graph_tip()], className="graph-frame"),
                                                graph_legend(),
                                                export,
                                            ],
                                            hidden=bool(errors),
                                        ),
                                    ],
                                ),
                                type="circle",
                            ),
                            dbc.Row(
                                [
                                    dbc.Col(
                                        _card(
                                            "Selected address",
                                            [html.Div("Click a node.", id=ids.TRACE_NODE), trace_fetch_area()],
                                        ),
                                        lg=6,
                                    ),
                                    dbc.Col(
                                        _card("Selected transfers", html.Div("Click an edge.", id=ids.TRACE_EDGE)), lg=6
                                    ),
                                ]
                            ),
                            _card(
                                "Reached: exchanges (freeze requests), sanctioned, mixers, bridges",
                                html.Div(id=ids.TRACE_EXITS),
                            ),
                        ],
                        lg=9,
                        className="order-1 order-lg-2",
                    ),
                ]
            ),
        ],
        className="trace-page",
    )


@callback(
    Output(ids.TRACE_NAV, "href"),
    Output(ids.TRACE_FILTER_HELP, "children"),
    Output(FILTERS, "invalid"),
    Output(FILTER_HELPS, "children"),
    Output(FILTER_HELPS, "color"),
    Output(ids.TRACE_ALERT, "children", allow_duplicate=True),
    Input(ids.TRACE_APPLY, "n_clicks"),
    State(FILTERS, "value"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_trace_navigate(_clicks, values, request):
    """Move to the URL of the filters' parameters, or say what is wrong next to the field and mark the results stale."""
    names = [item["id"]["name"] for item in ctx.states_list[0]]
    try:
        params = TraceParameters.from_mapping(dict(zip(names, values)))
    except BadParameters as err:
        return (
            no_update,
            "Fix the parameters marked in red: nothing was traced.",
            *field_marks(names, err.problems, FILTER_LABELS),
            parameters_alert(err.problems, FIELD_LABELS, stale=True),
        )
    path = trace_path(request["chain"], request["address"], params, expanded=request["expanded"])
    return path, "", *field_marks(names, {}, FILTER_LABELS), None


@callback(
    Output(ids.TRACE_GRAPH, "elements"),
    Output(ids.TRACE_SUMMARY, "children"),
    Output(ids.TRACE_EXITS, "children"),
    Output(ids.TRACE_ALERT, "children", allow_duplicate=True),
    Input(ids.TRACE_REQUEST, "data"),
    prevent_initial_call="initial_duplicate",
)
@requires("viewer")
def callback_trace_results(request):
    """Trace, then draw the graph, the summary and the exits table."""
    if not request or not request["params"]:
        return [], None, None, no_update
    try:
        found = _trace_of(request)
    except TracingError as err:
        return [], None, None, error_alert(err)
    g = display_graph(found, expanded=request["expanded"])
    highlight = path_to(g, request["focus"]) if request["focus"] else []
    elements = cytoscape_elements(g, symbol=found.asset.symbol, highlight=highlight)
    return elements, trace_summary(found), exits_table(found, lambda a: address_path(request["chain"], a)), None


@callback(
    Output(ids.TRACE_NODE, "children"),
    Input(ids.TRACE_GRAPH, "tapNodeData"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_trace_node(data, request):
    """Details of the clicked node, with links to expand it, trace from it or highlight its path."""
    if not data or not request["params"]:
        return no_update
    chain, address, params = request["chain"], request["address"], TraceParameters(**request["params"])
    node, expanded = data["id"], request["expanded"]
    if data["kind"] == "more":
        links = {"Expand": trace_path(chain, address, params, expanded=[*expanded, node.removesuffix(MORE)])}
    else:
        links = {
            "Highlight path": trace_path(chain, address, params, expanded=expanded, focus=node),
            "Address page": address_path(chain, node),
            "Trace from here": trace_path(chain, node, params.with_(tx=None)),
        }
    return node_details(data, _trace_of(request).asset.symbol, links, chain)


@callback(
    Output(ids.TRACE_EDGE, "children"),
    Input(ids.TRACE_GRAPH, "tapEdgeData"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_trace_edge(data, request):
    """The transfers behind the clicked edge."""
    if not data or not request["params"]:
        return no_update
    found = _trace_of(request)
    rows = [r for r in found.edge_rows() if r["from"] == data["source"] and r["to"] == data["target"]]
    return edge_transfers(rows, found.asset.symbol)


@callback(
    Output(ids.TRACE_DOWNLOAD, "data"),
    Output(ids.TRACE_EXPORT_ERROR, "children"),
    Input(ids.TRACE_EXPORT, "n_clicks"),
    State(ids.TRACE_EXPORT_FORMAT, "value"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_trace_export(_clicks, suffix, request):
    """The trace as a GEXF, GraphML, JSON or CSV file; a failure is shown beside the button."""
    if not request or not request["params"]:
        return no_update, no_update
    try:
        data = trace_bytes(_trace_of(request), suffix)
    except TracingError as err:
        return no_update, error_alert(err)
    return dcc.send_bytes(data, f"trace-{request['address']}{suffix}"), None
