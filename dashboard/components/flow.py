"""Builders of the trace page: the filters, the summary, the exits table, node details and edge transfers."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from tracing.figures import amount, when
from tracing.flow import DIRECTIONS, MODELS, Trace

__all__ = ["FILTER_LABELS", "edge_transfers", "exits_table", "node_details", "trace_filters", "trace_summary"]

FILTER_LABELS = {
    "direction": ("Direction", "forward: where it went; backward: where it came from"),
    "model": ("Taint model", "poison: all; haircut: proportional; fifo: first in, first out"),
    "hops": ("Hops", "transfers away from the source, 1 to 20"),
    "min_amount": ("Minimum amount", "smaller traced transfers are not followed"),
    "asset": ("Asset", "token symbol; default: the seed's"),
    "since": ("Since", "ISO date or unix seconds (UTC)"),
    "until": ("Until", "ISO date or unix seconds (UTC)"),
    "tx": ("Seed transaction", "the theft: its amount is traced"),
}


def _control(name: str, value, pattern: str, error: str | None):
    control_id = {"type": pattern, "name": name}
    options = {"direction": DIRECTIONS, "model": MODELS}.get(name)
    if options:
        return dbc.Select(id=control_id, options=[{"label": o, "value": o} for o in options], value=value, size="sm")
    kind = "number" if name in ("hops", "min_amount") else "text"
    return dbc.Input(id=control_id, type=kind, value=value, invalid=bool(error), size="sm", debounce=True)


def trace_filters(values: dict, pattern: str, apply_id: str, help_id: str, errors: dict | None = None) -> dbc.Card:
    """Every trace parameter with its value from the URL, and the button that applies them."""
    errors = errors or {}
    rows = [
        html.Div(
            [
                dbc.Label(FILTER_LABELS[n][0], className="form-label small mb-0 fw-semibold"),
                _control(n, values.get(n), pattern, errors.get(n)),
                dbc.FormText(errors.get(n) or FILTER_LABELS[n][1], color="danger" if n in errors else "muted"),
            ],
            className="mb-2",
        )
        for n in FILTER_LABELS
    ]
    return dbc.Card(
        [
            dbc.CardHeader("Trace parameters", className="fw-semibold"),
            dbc.CardBody(
                [
                    *rows,
                    dbc.Button("Trace", id=apply_id, color="primary", size="sm", className="w-100", n_clicks=0),
                    dbc.FormText("", id=help_id, color="danger"),
                ]
            ),
        ],
        className="shadow-sm",
    )


def trace_summary(trace: Trace) -> html.P:
    """One line: what was traced, how, and how much reached exits."""
    p, symbol = trace.params, trace.asset.symbol
    reached = sum(e.amount for e in trace.exits)
    share = f" ({100 * reached / trace.seed:.1f}% of {amount(symbol, trace.seed)})" if trace.seed > 0 else ""
    return html.P(
        f"{p.direction.capitalize()} trace of {symbol}, {p.model} model, {p.hops} hops: {len(trace)} addresses, "
        f"{len(trace.edges)} transfers; {amount(symbol, reached)} reached {len(trace.exits)} exit(s){share}.",
        className="mb-2",
    )


def exits_table(trace: Trace, address_href) -> dbc.Table | html.P:
    """How much reached each exchange, mixer or bridge, with the deposit address and transactions."""
    if not trace.exits:
        return html.P("No exchange, mixer or bridge was reached.", className="text-muted mb-0")
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Exit", "Deposit address", "Amount", "Hop", "First", "Transactions")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td([e.label, html.Span(f" {e.category}", className="text-muted small")]),
                    html.Td(dcc.Link(e.address, href=address_href(e.address)), className="font-monospace small"),
                    html.Td(amount(trace.asset, e.amount), className="text-end text-nowrap"),
                    html.Td(e.hop),
                    html.Td(when(e.first), className="small"),
                    html.Td(_transaction_list(e.transactions), className="font-monospace small"),
                ]
            )
            for e in trace.exits
        ]
    )
    return dbc.Table([head, body], size="sm", hover=True, responsive=True, className="mb-0")


def _transaction_list(transactions, shown: int = 3) -> html.Div:
    """The first few transactions, the rest folded under a "N more" toggle (all stay in the page and exports)."""
    items = [html.Div(tx) for tx in transactions[:shown]]
    if len(transactions) > shown:
        rest = [html.Div(tx) for tx in transactions[shown:]]
        items.append(html.Details([html.Summary(f"{len(rest)} more", className="text-primary"), *rest]))
    return html.Div(items)


def node_details(data: dict, symbol: str, links: dict[str, str]) -> html.Div:
    """What a clicked node is, with links: its address page, trace from it, expand it, highlight the path."""
    facts = [
        ("Label", f"{data.get('label') or '-'} {data.get('category') or ''}".strip()),
        ("Hop", data.get("hop")),
        ("Traced amount received", amount(symbol, data.get("received", 0))),
        ("Taint share of inflow", f"{100 * data.get('taint', 0):.1f}%"),
    ]
    if data.get("kind") == "more":
        facts.append(("Addresses folded", data.get("count")))
    return html.Div(
        [
            html.Div(data["id"], className="font-monospace small text-break mb-2"),
            dbc.Table(html.Tbody([html.Tr([html.Th(k), html.Td(v)]) for k, v in facts]), size="sm"),
            html.Div(
                [
                    dcc.Link(text, href=href, className="btn btn-outline-primary btn-sm me-2 mb-1")
                    for text, href in links.items()
                ]
            ),
        ]
    )


def edge_transfers(rows: list[dict], symbol: str) -> dbc.Table | html.P:
    """The transfers behind a clicked edge."""
    if not rows:
        return html.P("Expand the folded node to see these transfers.", className="text-muted mb-0")
    head = html.Thead(html.Tr([html.Th(h) for h in ("Time", "Transaction", "Amount", "Traced")]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(when(r["timestamp"]), className="small"),
                    html.Td(r["tx_hash"], className="font-monospace small text-break"),
                    html.Td(amount(symbol, r["amount"]), className="text-end text-nowrap"),
                    html.Td(amount(symbol, r["traced"]), className="text-end text-nowrap"),
                ]
            )
            for r in rows
        ]
    )
    return dbc.Table([head, body], size="sm", responsive=True, className="mb-0")
