"""The flow graph's tools: layout choice, node search, PNG/SVG pictures, and the legend of colours and shapes."""

import json
import re

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from dashboard import ids
from dashboard.roles import requires
from dashboard.services import services
from tracing.flow import TraceParameters
from tracing.flow.cyto import CATEGORY_COLOURS, STYLESHEET
from tracing.report.flowgraph import flow_svg

__all__ = [
    "GRAPH_LAYOUTS",
    "graph_legend",
    "graph_tip",
    "graph_tools",
    "register_graph_tools",
    "search_stylesheet",
    "trace_svg",
]

GRAPH_LAYOUTS = {
    "hops": ("Columns by hop, readable", {"name": "preset", "fit": False}),
    "fit": ("Columns by hop, whole graph", {"name": "preset", "fit": True, "padding": 30}),
    "compact": ("Compact (force-directed)", {"name": "cose", "animate": False, "nodeRepulsion": 8000, "fit": True}),
    "circle": ("Concentric", {"name": "concentric", "fit": True, "minNodeSpacing": 40}),
}
"""Layouts offered; the hop columns open as tall as fits at 75-100 %, so labels stay readable past 40 nodes too
(pan to move): the browser adds their zoom and pan (``dash_clientside.trace.layout`` in assets/trace_view.js)."""
_FOUND = {"border-color": "#fd7e14", "border-width": 6, "background-blacken": -0.2, "z-index": 10}


def graph_tools() -> dbc.Row:
    """Layout choice, node search and picture buttons above the graph."""
    return dbc.Row(
        [
            dbc.Col(
                dbc.Select(
                    id=ids.TRACE_LAYOUT,
                    options=[{"label": label, "value": k} for k, (label, _) in GRAPH_LAYOUTS.items()],
                    value="hops",
                    size="sm",
                ),
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Input(
                        id=ids.TRACE_SEARCH,
                        placeholder="Find an address or label",
                        size="sm",
                        debounce=True,
                        type="search",
                    ),
                    dbc.FormText("", id=ids.TRACE_SEARCH_HELP),
                ],
                md=5,
            ),
            dbc.Col(
                dbc.ButtonGroup(
                    [
                        dbc.Button("PNG", id=ids.TRACE_PNG, color="secondary", outline=True, n_clicks=0),
                        dbc.Button("SVG", id=ids.TRACE_SVG, color="secondary", outline=True, n_clicks=0),
                    ],
                    size="sm",
                ),
                md=3,
                className="text-md-end",
            ),
            dcc.Download(id=ids.TRACE_SVG_DOWNLOAD),
        ],
        className="g-2 mb-2 align-items-start",
    )


def _swatch(colour: str, shape: str = "50%", border: str = "1px solid #495057") -> html.Span:
    style = {"background": colour, "borderRadius": shape, "border": border}
    return html.Span(className="legend-swatch me-1", style=style)


def graph_legend() -> html.Div:
    """What the colours and shapes of the graph mean."""
    items = [
        (_swatch(CATEGORY_COLOURS["source"]), "source"),
        (_swatch("linear-gradient(90deg, #ffe5d0, #b02a37)"), "share of the inflow that is traced (light: little)"),
        (_swatch(CATEGORY_COLOURS["exchange"], "2px", "2px solid #495057"), "exchange (diamond: exit)"),
        (_swatch(CATEGORY_COLOURS["mixer"], "2px"), "mixer"),
        (_swatch(CATEGORY_COLOURS["bridge"], "2px"), "bridge"),
        (
            _swatch(CATEGORY_COLOURS["sanctioned"], "30%", "3px solid #842029"),
            "SANCTIONED (red octagon, even an exchange)",
        ),
        (_swatch(CATEGORY_COLOURS["more"], "4px", "1px dashed #495057"), "+N more: folded addresses, click to expand"),
        (_swatch("#ffffff", "50%", "3px solid #0d6efd"), "selected"),
    ]
    return html.Div(
        [html.Span([swatch, text], className="me-3 d-inline-block mw-100") for swatch, text in items]
        + [
            html.Span(
                "Node size: traced amount received (the source: traced from it); edge width and label: traced amount.",
                className="d-block",
            )
        ],
        className="small text-muted mt-2",
        id=ids.TRACE_LEGEND,
    )


def graph_tip() -> html.Div:
    """The tooltip over the graph: who the node under the pointer is (filled in the browser from its ``tip``)."""
    return html.Div(id=ids.TRACE_TIP, className="graph-tip small", style={"display": "none"}, role="status")


def search_stylesheet(text: str | None) -> tuple[list[dict], str]:
    """The stylesheet that rings the nodes whose address or label contains ``text``, and what was searched."""
    query = re.sub(r"[^0-9A-Za-z ._-]", "", (text or "").strip())[:64]
    if not query:
        return STYLESHEET, ""
    selector = f'node[id @*= "{query}"], node[label @*= "{query}"]'
    return [*STYLESHEET, {"selector": selector, "style": _FOUND}], query


def trace_svg(request: dict) -> dict:
    """The trace of ``request`` as an SVG download: the reports' flow picture (:func:`~tracing.report.flowgraph.flow_svg`)."""
    found = services().trace(request["chain"], request["address"], TraceParameters(**request["params"]))
    return dcc.send_string(flow_svg(found.to_dict()), f"trace-{request['address']}.svg", type="image/svg+xml")


def register_graph_tools() -> None:
    """The callbacks of the tools: search, PNG (drawn by the browser) and SVG (the reports' flow picture); the
    layout and the tooltip are computed in the browser (nothing runs on the server)."""

    clientside_callback(
        """function (data) {
            if (!data || !data.tip) { return [window.dash_clientside.no_update, {display: "none"}]; }
            const listed = data.sanctioned ? {borderColor: "#b02a37", borderWidth: "2px", color: "#842029"} : {};
            return [data.tip, Object.assign({display: "block"}, listed)];
        }""",
        Output(ids.TRACE_TIP, "children"),
        Output(ids.TRACE_TIP, "style"),
        Input(ids.TRACE_GRAPH, "mouseoverNodeData"),
        prevent_initial_call=True,
    )

    # Cytoscape keeps where its canvas sat when it was drawn: when the summary fills in above it and pushes it
    # down, pointer events would land ~100 px off (hovering or clicking the node above). A resize event makes
    # it measure again, once the new content is laid out.
    clientside_callback(
        """function () {
            [0, 250].forEach(ms => setTimeout(() => window.dispatchEvent(new Event("resize")), ms));
            return window.dash_clientside.no_update;
        }""",
        Output(ids.TRACE_TIP, "title"),
        Input(ids.TRACE_SUMMARY, "children"),
        Input(ids.TRACE_ALERT, "children"),
        prevent_initial_call=True,
    )

    layouts = json.dumps({name: layout for name, (_, layout) in GRAPH_LAYOUTS.items()})
    clientside_callback(
        f"""function (elements, name, request) {{
            return window.dash_clientside.trace.layout(elements, name, request, {layouts}, "{ids.TRACE_GRAPH}");
        }}""",
        Output(ids.TRACE_GRAPH, "layout"),
        Input(ids.TRACE_GRAPH, "elements"),
        Input(ids.TRACE_LAYOUT, "value"),
        State(ids.TRACE_REQUEST, "data"),
        prevent_initial_call=True,
    )

    @callback(
        Output(ids.TRACE_GRAPH, "stylesheet"),
        Output(ids.TRACE_SEARCH_HELP, "children"),
        Input(ids.TRACE_SEARCH, "value"),
        State(ids.TRACE_GRAPH, "elements"),
        prevent_initial_call=True,
    )
    @requires("viewer")
    def callback_trace_search(text, elements):
        stylesheet, query = search_stylesheet(text)
        if not query:
            return stylesheet, ""
        low = query.lower()
        found = [
            e
            for e in elements or []
            if "source" not in e["data"]
            and (low in e["data"]["id"].lower() or low in (e["data"].get("label") or "").lower())
        ]
        return stylesheet, f"{len(found)} address(es) match, ringed in orange." if found else "No address matches."

    @callback(
        Output(ids.TRACE_GRAPH, "generateImage"),
        Input(ids.TRACE_PNG, "n_clicks"),
        State(ids.TRACE_REQUEST, "data"),
        prevent_initial_call=True,
    )
    @requires("viewer")
    def callback_trace_png(_clicks, request):
        return {"type": "png", "action": "download", "filename": f"trace-{(request or {}).get('address', 'graph')}"}

    @callback(
        Output(ids.TRACE_SVG_DOWNLOAD, "data"),
        Input(ids.TRACE_SVG, "n_clicks"),
        State(ids.TRACE_REQUEST, "data"),
        prevent_initial_call=True,
    )
    @requires("viewer")
    def callback_trace_svg(_clicks, request):
        return trace_svg(request) if request and request["params"] else no_update
