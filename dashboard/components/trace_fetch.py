"""The trace page's node fetch: expanding an address whose transfers are not stored fetches them, within a budget.

Each trace page starts with ``TRACE_FETCH_BUDGET`` requests to spend, shown as
"fetch budget: 3 of 20 requests used". Clicking (expanding) an address where the
trace stopped only because its onward transfers are missing (never fetched, none
stored: :func:`~tracing.investigate.refresh.needs_history`) fetches them at once, as
a background job with a progress bar and a Cancel button; an address fetched before
offers "Fetch what is newer" instead. A fetch spends at most what is left; when it
stored something the page traces again. A spent budget, a missing key, a rate limit
or an outage is said under the node, and the trace stays as it was.
"""

import dash_bootstrap_components as dbc
import flask_login
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids
from dashboard.background import JOBS
from dashboard.components.fetching import BAR_HIDDEN, job_controls, progress_outputs, progress_values, run_fetch
from dashboard.roles import may, requires
from dashboard.services import services
from tracing.errors import InvalidAddress
from tracing.investigate.refresh import needs_history
from tracing.model import normalize_address
from tracing.settings import Settings
from tracing.sources.registry import CONNECTORS, missing_key, source_title

__all__ = ["budget_text", "fetch_plan", "fetched_outcome", "trace_fetch_area"]

HIDDEN, SHOWN = {"display": "none"}, {"display": "inline-block"}


def trace_fetch_area() -> html.Div:
    """The budget, the clicked node's fetch (button, progress, cancel) and its outcome, under the node's details."""
    total = (JOBS.settings or Settings.from_env()).trace_fetch_budget
    budget = {"left": total, "total": total}
    return html.Div(
        [
            dcc.Store(id=ids.TRACE_FETCH_BUDGET, data=budget),
            dcc.Store(id=ids.TRACE_FETCH_TARGET),
            dcc.Store(id=ids.TRACE_FETCH_START),
            dcc.Store(id=ids.TRACE_FETCH_RESULT),
            html.Div(budget_text(budget), id=ids.TRACE_FETCH_USED, className="small text-muted mt-2"),
            html.Div(id=ids.TRACE_FETCH_OFFER, className="small mt-1"),
            dbc.Button("Fetch", id=ids.TRACE_FETCH, size="sm", color="primary", n_clicks=0, style=HIDDEN),
            *job_controls(ids.TRACE_FETCH_CANCEL, ids.TRACE_FETCH_PROGRESS, style=HIDDEN),
            html.Div(id=ids.TRACE_FETCH_STATUS, className="mt-2"),
        ]
    )


def budget_text(budget: dict) -> str:
    """ "fetch budget: 3 of 20 requests used" for the page."""
    used = budget["total"] - budget["left"]
    return f"Fetch budget of this trace: {used} of {budget['total']} requests used"


def fetch_plan(chain: str, address: str, budget: dict, direction: str = "forward", *, may_fetch: bool = True) -> tuple:
    """``(text, button label or None, target, start)`` for a clicked address.

    ``start`` is the target when its transfers are fetched at once (never fetched, none
    of its onward transfers stored, budget left, key set, and the user may fetch), else None.
    """
    try:
        chain_, address = normalize_address(address, chain)
    except InvalidAddress:
        return None, None, None, None
    target = {"chain": chain_.value, "address": address}
    title = source_title(chain_)
    needs = missing_key(chain_, JOBS.settings or Settings.from_env())
    if needs:
        return needs, None, None, None
    if not may_fetch:
        return f"Fetching from {title} needs the role investigator.", None, None, None
    missing = needs_history(services().store, chain_, address, CONNECTORS[chain_][0].name, direction=direction)
    spent = f"this trace's fetch budget is used up ({budget['total']} of {budget['total']} requests)"
    if missing and budget["left"] <= 0:
        return (
            f"Not fetched: its transfers are not stored and {spent}. Open its address page to fetch it.",
            None,
            None,
            None,
        )
    if missing:
        return f"Its transfers are not stored: fetching them from {title}…", None, target, target
    if budget["left"] <= 0:
        return f"Its transfers are stored; {spent}.", None, None, None
    return "Its transfers are stored.", f"Fetch what is newer from {title}", target, None


def fetched_outcome(result: dict, budget: dict) -> tuple:
    """``(alert, budget, retrace)`` after a node fetch: what it did, the requests it spent, whether to trace again."""
    left = max(0, budget["left"] - result.get("calls", 0))
    budget = {**budget, "left": left}
    if not result["ok"]:
        text = f"{result['message']} · the trace is unchanged"
        return dbc.Alert(text, color="danger", className="small mb-0", id="trace-fetch-error"), budget, False
    lines = [html.Div(line) for line in result["message"].splitlines()]
    colour = "warning" if result["limit"] else "success"
    alert = dbc.Alert(lines, color=colour, className="small mb-0", id="trace-fetched")
    return alert, budget, bool(result["new"])


@callback(
    Output(ids.TRACE_FETCH_OFFER, "children"),
    Output(ids.TRACE_FETCH, "children"),
    Output(ids.TRACE_FETCH, "style"),
    Output(ids.TRACE_FETCH_TARGET, "data"),
    Output(ids.TRACE_FETCH_START, "data"),
    Output(ids.TRACE_FETCH_STATUS, "children"),
    Input(ids.TRACE_GRAPH, "tapNodeData"),
    State(ids.TRACE_FETCH_BUDGET, "data"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("viewer")
def callback_trace_fetch_plan(data, budget, request):
    """Expanding an address fetches its transfers when they are missing, or offers to fetch what is newer."""
    if not data or data.get("kind") not in ("address", "source") or not request:
        return None, no_update, HIDDEN, None, no_update, None
    direction = (request.get("params") or {}).get("direction", "forward")
    role = getattr(flask_login.current_user, "role", None)
    text, label, target, start = fetch_plan(
        request["chain"], data["id"], budget, direction, may_fetch=may(role, "investigator")
    )
    return text, label or no_update, SHOWN if label else HIDDEN, target, start or no_update, None


@callback(
    Output(ids.TRACE_FETCH_START, "data", allow_duplicate=True),
    Input(ids.TRACE_FETCH, "n_clicks"),
    State(ids.TRACE_FETCH_TARGET, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_trace_fetch_click(clicks, target):
    """The offered fetch (an address fetched before: what is newer)."""
    return target if clicks and target else no_update


@callback(
    Output(ids.TRACE_FETCH_RESULT, "data"),
    Input(ids.TRACE_FETCH_START, "data"),
    State(ids.TRACE_FETCH_BUDGET, "data"),
    background=True,
    progress=progress_outputs(ids.TRACE_FETCH_PROGRESS),
    running=[
        (Output(ids.TRACE_FETCH, "disabled"), True, False),
        (Output(ids.TRACE_FETCH_CANCEL, "style"), SHOWN, HIDDEN),
        (Output(ids.TRACE_FETCH_PROGRESS, "style"), {"height": "1.2rem"}, BAR_HIDDEN),
    ],
    cancel=[Input(ids.TRACE_FETCH_CANCEL, "n_clicks")],
    prevent_initial_call=True,
)
@requires("investigator")
def callback_trace_fetch(set_progress, target, budget):
    """Fetch the node's transfers in the background, spending at most the budget left."""
    if not target or budget["left"] <= 0:
        return no_update
    set_progress((0, 1, "starting…", {"height": "1.2rem"}))
    return run_fetch(target, lambda step: set_progress(progress_values(step)), max_calls=budget["left"])


@callback(
    Output(ids.TRACE_FETCH_STATUS, "children", allow_duplicate=True),
    Output(ids.TRACE_FETCH_BUDGET, "data"),
    Output(ids.TRACE_FETCH_OFFER, "children", allow_duplicate=True),
    Output(ids.TRACE_FETCH, "style", allow_duplicate=True),
    Output(ids.TRACE_REQUEST, "data", allow_duplicate=True),
    Input(ids.TRACE_FETCH_RESULT, "data"),
    State(ids.TRACE_FETCH_BUDGET, "data"),
    State(ids.TRACE_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_trace_fetched(result, budget, request):
    """Say what the fetch did, spend its requests, and trace again when something arrived."""
    if not result:
        return no_update, no_update, no_update, no_update, no_update
    alert, budget, retrace = fetched_outcome(result, budget)
    if retrace:
        services().forget()
    return alert, budget, None, HIDDEN, request if retrace else no_update


@callback(Output(ids.TRACE_FETCH_USED, "children"), Input(ids.TRACE_FETCH_BUDGET, "data"), prevent_initial_call=True)
@requires("viewer")
def callback_trace_budget(budget):
    """The budget line follows every fetch."""
    return budget_text(budget)
