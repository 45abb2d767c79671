"""Builders of the trace page: the filters, the summary, the exits table, node details and edge transfers."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.links import address_link
from tracing.figures import amount, when
from tracing.flow import DIRECTIONS, MODELS, Trace
from tracing.flow.result import group_title

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
    "amount": ("Seed amount", "funds the source held (with no transaction): at 'since' forward, at 'until' backward"),
}


def _control(name: str, value, pattern: str, error: str | None):
    control_id = {"type": pattern, "name": name}
    options = {"direction": DIRECTIONS, "model": MODELS}.get(name)
    if options:
        options = [{"label": o, "value": o} for o in options]
        return dbc.Select(id=control_id, options=options, value=value, invalid=bool(error), size="sm")
    kind = "number" if name in ("hops", "min_amount", "amount") else "text"
    step = "1" if name == "hops" else "any"
    return dbc.Input(id=control_id, type=kind, value=value, invalid=bool(error), size="sm", debounce=True, step=step)


def trace_filters(values: dict, pattern: str, apply_id: str, help_id: str, errors: dict | None = None) -> dbc.Card:
    """Every trace parameter with its value from the URL, and the button that applies them."""
    errors = errors or {}
    rows = [
        html.Div(
            [
                dbc.Label(FILTER_LABELS[n][0], className="form-label small mb-0 fw-semibold"),
                _control(n, values.get(n), pattern, errors.get(n)),
                dbc.FormText(
                    errors.get(n) or FILTER_LABELS[n][1],
                    id={"type": f"{pattern}-help", "name": n},
                    color="danger" if n in errors else "muted",
                ),
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


def _share(line: dict, trace: Trace) -> str:
    return f" ({100 * line['share']:.1f}% of {amount(trace.asset, trace.seed)})" if line["share"] is not None else ""


def trace_summary(trace: Trace) -> html.Div:
    """What was traced, how, how much reached exits, and how much reached each group of labelled addresses."""
    p, symbol, summary = trace.params, trace.asset.symbol, trace.summary()
    exits = summary["exits"]
    groups = [
        html.Li(
            f"{group_title(g, p.direction)}: {summary[g]['count']} address(es), "
            f"{amount(trace.asset, summary[g]['amount'])}" + _share(summary[g], trace),
            className="text-danger fw-semibold" if g == "sanctioned" else None,
            id=f"trace-summary-{g}",
        )
        for g in trace.destinations
    ]
    return html.Div(
        [
            html.P(
                f"{p.direction.capitalize()} trace of {symbol}, {p.model} model, {p.hops} hops: {len(trace)} "
                f"addresses, {len(trace.edges)} transfers; {amount(trace.asset, exits['amount'])} reached "
                f"{exits['count']} exit(s){_share(exits, trace)}."
                + (
                    " Poison counts every tainted transfer in full: amounts are upper bounds."
                    if p.model == "poison"
                    else ""
                ),
                className="mb-1",
            ),
            html.Ul(groups, className="small mb-2") if groups else None,
        ]
    )


_WIDE_ONLY = {
    "Hop": "d-none d-sm-table-cell",
    "First": "d-none d-md-table-cell",
    "Transactions": "d-none d-md-table-cell",
}
"""Columns of the exits table that narrow screens leave out (entity, address and amount always stay)."""


def exits_table(trace: Trace, address_href) -> dbc.Table | html.P:
    """Labelled addresses reached, grouped: exchanges (freeze requests), sanctioned, mixers, bridges, scams and
    hacks; each with the amount, hop, first arrival and transactions."""
    destinations = trace.destinations
    if not destinations:
        return html.P("No exchange, sanctioned address, mixer or bridge was reached.", className="text-muted mb-0")
    columns = {"Entity": "", "Address": "", "Amount": "text-end", **_WIDE_ONLY}
    head = html.Thead(html.Tr([html.Th(h, className=c or None) for h, c in columns.items()]))
    rows = []
    for group, items in destinations.items():
        total = amount(trace.asset, sum(e.amount for e in items))
        rows.append(
            html.Tr(
                html.Th(
                    f"{group_title(group, trace.params.direction)} · {len(items)} · {total}",
                    colSpan=6,
                    className="table-danger" if group == "sanctioned" else "table-light",
                ),
                id=f"trace-exits-{group}",
            )
        )
        rows += [
            html.Tr(
                [
                    html.Td([e.label, html.Span(f" {e.category}", className="text-muted small")]),
                    html.Td(
                        dcc.Link(e.address, href=address_href(e.address)), className="font-monospace small text-break"
                    ),
                    html.Td(amount(trace.asset, e.amount), className="text-end text-nowrap"),
                    html.Td(e.hop, className=_WIDE_ONLY["Hop"]),
                    html.Td(when(e.first), className=f"small text-nowrap {_WIDE_ONLY['First']}"),
                    html.Td(
                        _transaction_list(e.transactions),
                        className=f"font-monospace small {_WIDE_ONLY['Transactions']}",
                    ),
                ]
            )
            for e in items
        ]
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="mb-0")


def _transaction_list(transactions, shown: int = 3) -> html.Div:
    """The first few transactions, the rest folded under a "N more" toggle (all stay in the page and exports)."""
    items = [_transaction(tx) for tx in transactions[:shown]]
    if len(transactions) > shown:
        rest = [_transaction(tx) for tx in transactions[shown:]]
        items.append(html.Details([html.Summary(f"{len(rest)} more", className="text-primary"), *rest]))
    return html.Div(items)


def _transaction(tx: str) -> html.Div:
    """A transaction hash cut to the column's width (whole in the page, its tooltip and exports)."""
    return html.Div(html.Span(tx, className="tx-hash text-nowrap", title=tx))


def node_details(data: dict, symbol: str, links: dict[str, str], chain=None) -> html.Div:
    """What a clicked node is, with links: its address page, trace from it, expand it, highlight the path."""
    who = f"{data.get('label') or '-'} {data.get('category') or ''}".strip()
    if data.get("sanctioned"):
        who = html.Span(
            [html.Span("SANCTIONED", className="badge bg-danger me-1"), who], className="text-danger fw-bold"
        )
    if data.get("kind") == "source":
        facts = [("Label", who), ("Hop", 0), ("Amount traced from here", amount(symbol, data.get("seed") or 0))]
    else:
        facts = [
            ("Label", who),
            ("Hop", data.get("hop")),
            ("Traced amount received", amount(symbol, data.get("received", 0))),
            ("Taint share of inflow", f"{100 * data.get('taint', 0):.1f}%"),
        ]
    if data.get("kind") == "more":
        facts.append(("Addresses folded", data.get("count")))
    return html.Div(
        [
            html.Div(
                address_link(chain, data["id"]) if chain and data.get("kind") != "more" else data["id"],
                className="font-monospace small text-break mb-2",
            ),
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
