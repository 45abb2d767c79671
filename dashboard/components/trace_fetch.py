"""The trace page's node fetch: a clicked address whose transfers are not stored can be fetched, within a budget.

Each trace page starts with ``TRACE_FETCH_BUDGET`` requests to spend (shown beside the
button); a fetch spends at most what is left, runs as a background callback, and when
it stored something the page traces again with the new transfers.
"""

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids
from dashboard.background import JOBS
from dashboard.components.fetching import run_fetch
from dashboard.roles import requires
from dashboard.services import services
from tracing.errors import InvalidAddress
from tracing.model import normalize_address
from tracing.settings import Settings
from tracing.sources.registry import CONNECTORS, missing_key, source_title
from tracing.store.fetches import fetch_record

__all__ = ["fetch_offer", "trace_fetch_area"]


def trace_fetch_area() -> html.Div:
    """The budget, the offer for the clicked node and the outcome (placed under the node's details)."""
    budget = (JOBS.settings or Settings.from_env()).trace_fetch_budget
    return html.Div(
        [
            dcc.Store(id=ids.TRACE_FETCH_BUDGET, data={"left": budget, "total": budget}),
            dcc.Store(id=ids.TRACE_FETCH_TARGET),
            dcc.Store(id=ids.TRACE_FETCH_RESULT),
            html.Div(id=ids.TRACE_FETCH_OFFER, className="mt-2"),
            html.Div(id=ids.TRACE_FETCH_STATUS, className="mt-2"),
        ]
    )


def fetch_offer(chain: str, address: str, budget: dict) -> tuple:
    """``(children, target)``: a button to fetch ``address`` from its provider, with the budget left."""
    try:
        chain_, address = normalize_address(address, chain)
    except InvalidAddress:
        return None, None
    title = source_title(chain_)
    record = fetch_record(services().store, chain_, address, CONNECTORS[chain_][0].name)
    needs = missing_key(chain_, JOBS.settings or Settings.from_env())
    done = f"fetched from {title} before: fetch what is newer" if record else f"not fetched from {title} yet"
    left, total = budget["left"], budget["total"]
    button = dbc.Button(
        f"Fetch from {title}",
        id=ids.TRACE_FETCH,
        size="sm",
        color="primary",
        n_clicks=0,
        disabled=bool(needs) or left <= 0,
    )
    text = needs or f"{done} · budget: {left} of {total} requests left for this trace"
    return [button, html.Div(text, className="small text-muted mt-1")], {"chain": chain_.value, "address": address}


@callback(
    Output(ids.TRACE_FETCH_OFFER, "children"),
    Output(ids.TRACE_FETCH_TARGET, "data"),
    Input(ids.TRACE_GRAPH, "tapNodeData"),
    State(ids.TRACE_FETCH_BUDGET, "data"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_trace_fetch_offer(data, budget, request):
    """Offer to fetch the clicked address's transfers ("+N more" nodes are expanded, not fetched)."""
    if not data or data.get("kind") == "more" or not request:
        return None, None
    return fetch_offer(request["chain"], data["id"], budget)


@callback(
    Output(ids.TRACE_FETCH_RESULT, "data"),
    Input(ids.TRACE_FETCH, "n_clicks"),
    State(ids.TRACE_FETCH_TARGET, "data"),
    State(ids.TRACE_FETCH_BUDGET, "data"),
    background=True,
    running=[(Output(ids.TRACE_FETCH, "disabled"), True, False)],
    prevent_initial_call=True,
)
@requires("investigator")
def callback_trace_fetch(clicks, target, budget):
    """Fetch the node's transfers, spending at most the budget left."""
    if not clicks or not target or budget["left"] <= 0:
        return no_update
    return run_fetch(target, max_calls=budget["left"])


@callback(
    Output(ids.TRACE_FETCH_STATUS, "children"),
    Output(ids.TRACE_FETCH_BUDGET, "data"),
    Output(ids.TRACE_FETCH_OFFER, "children", allow_duplicate=True),
    Output(ids.TRACE_REQUEST, "data", allow_duplicate=True),
    Input(ids.TRACE_FETCH_RESULT, "data"),
    State(ids.TRACE_FETCH_BUDGET, "data"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_trace_fetched(result, budget, request):
    """Say what the fetch did, lower the budget, and trace again when something arrived."""
    if not result:
        return no_update, no_update, no_update, no_update
    if not result["ok"]:
        return dbc.Alert(result["message"], color="danger", className="small mb-0"), no_update, None, no_update
    left = max(0, budget["left"] - result["calls"])
    budget = {**budget, "left": left}
    note = f"{result['message']} · {left} of {budget['total']} requests left for this trace"
    alert = dbc.Alert(
        note, color="warning" if result["limit"] else "success", className="small mb-0", id="trace-fetched"
    )
    if not result["new"]:
        return alert, budget, None, no_update
    services().forget()
    return alert, budget, None, request
