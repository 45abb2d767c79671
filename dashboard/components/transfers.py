"""The address page's tables: counterparties ranked per asset, and the paged transfer table with its controls."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.links import address_link, trace_tx_link
from tracing.figures import amount, zscore

__all__ = ["FLAG_NAMES", "SORT_OPTIONS", "counterparties_table", "flag_legend", "transfer_section", "transfers_table"]

FLAG_NAMES = {
    "value": ("unusual value", "its z-score is beyond a threshold"),
    "transfers": ("burst", "closer in time to the previous transfer than the time difference"),
    "hiding": ("pass-through", "it rides a chain of accounts forwarding the same amount"),
    "relation": ("listed party", "the counterparty is on a sanctions list"),
}
"""What the "Flagged by" column says for each test, and why that test flags a transfer."""

SORT_OPTIONS = (
    ("timestamp:asc", "Oldest first"),
    ("timestamp:desc", "Newest first"),
    ("value:desc", "Largest amount first"),
    ("value:asc", "Smallest amount first"),
    ("z:desc", "Highest z first"),
    ("z:asc", "Lowest z first"),
)


def _table(head: list[str], rows: list, table_id: str, numeric=()) -> dbc.Table:
    header = html.Thead(
        html.Tr([html.Th(h, className="text-nowrap" + (" text-end" if h in numeric else "")) for h in head])
    )
    return dbc.Table(
        [header, html.Tbody(rows)],
        id=table_id,
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 small data-table",
    )


def counterparties_table(rows: list[dict], chain) -> dbc.Table | html.P:
    """The top counterparties of each asset by volume (assets are never ranked together), with their labels."""
    if not rows:
        return html.P("No counterparties.", className="text-muted mb-0")
    body, asset = [], None
    for r in rows:
        if r["asset"] != asset:
            asset = r["asset"]
            body.append(html.Tr(html.Th(f"{asset}", colSpan=5, className="table-light asset-group")))
        body.append(
            html.Tr(
                [
                    html.Td(address_link(chain, r["address"]), className="cell-clip"),
                    _label_cell(r),
                    html.Td(
                        amount(asset, r["received_from"]) if r["received_from"] else "-",
                        className="text-end font-monospace",
                    ),
                    html.Td(amount(asset, r["sent_to"]) if r["sent_to"] else "-", className="text-end font-monospace"),
                    html.Td(f"{r['transfers']:,}", className="text-end"),
                ]
            )
        )
    head = ["Counterparty", "Label", "Received from", "Sent to", "Transfers"]
    return _table(head, body, "address-counterparties-table", numeric=head[2:])


def _label_cell(r: dict) -> html.Td:
    """Who a counterparty is; a sanctioned one reads SANCTIONED in bold red."""
    if not r.get("sanctioned"):
        return html.Td(r["label"], className="cell-clip", title=r["label"] or None)
    return html.Td(
        [html.Span("SANCTIONED", className="badge bg-danger me-1"), r["label"]],
        className="cell-clip fw-bold text-danger",
        title=f"SANCTIONED: {r['label']}",
    )


def _flag_cell(flags: str) -> html.Td:
    names = [FLAG_NAMES[f][0] for f in flags.split(", ") if f in FLAG_NAMES]
    return html.Td(
        ", ".join(names),
        title="; ".join(f"{FLAG_NAMES[f][0]}: {FLAG_NAMES[f][1]}" for f in flags.split(", ") if f in FLAG_NAMES)
        or None,
    )


def _transfer_row(r: dict, chain, address: str) -> html.Tr:
    return html.Tr(
        [
            html.Td(r["timestamp"], className="text-nowrap"),
            html.Td(r["direction"]),
            html.Td(address_link(chain, r["counterparty"]), className="cell-clip"),
            _label_cell(r),
            html.Td(amount(r["asset"], r["amount"]), className="text-end font-monospace"),
            html.Td(zscore(r["z"]), className="text-end"),
            _flag_cell(r["flags"]),
            html.Td(
                [
                    html.Span(r["tx_hash"], className="font-monospace tx-hash", title=r["tx_hash"]),
                    " ",
                    trace_tx_link(chain, address, r["tx_hash"], r["asset"]),
                ],
                className="cell-tx",
            ),
        ],
        className="table-danger" if r["flags"] else None,
    )


def transfers_table(records: list[dict], chain, address: str) -> dbc.Table:
    """One page of transfers: counterparties link to their page, each row offers a trace from its transaction."""
    head = ["Time (UTC)", "Dir.", "Counterparty", "Label", "Amount", "z", "Flagged by", "Transaction"]
    return _table(head, [_transfer_row(r, chain, address) for r in records], ids.ADDRESS_TABLE, numeric=("Amount", "z"))


def flag_legend() -> html.Div:
    """What a tinted row means and which test says what."""
    return html.Div(
        [
            html.Span("Tinted rows", className="bg-danger-subtle px-1 me-1"),
            "were flagged by a test; the “Flagged by” column names it: ",
            *[
                part
                for k, (name, why) in enumerate(FLAG_NAMES.values())
                for part in ([", "] if k else []) + [html.B(name), f" ({why})"]
            ],
            ".",
        ],
        className="small text-muted mb-2",
        id="address-flag-legend",
    )


def transfer_section() -> html.Div:
    """The transfer table's filters, sort order and pagination; rows come page by page from the server."""
    filters = dbc.Row(
        [
            dbc.Col(dcc.DatePickerRange(id=ids.ADDRESS_DATES, display_format="YYYY-MM-DD", clearable=True), md=4),
            dbc.Col(dbc.Input(id=ids.ADDRESS_MIN_AMOUNT, type="number", placeholder="min amount", debounce=True), md=2),
            dbc.Col(dbc.Input(id=ids.ADDRESS_MAX_AMOUNT, type="number", placeholder="max amount", debounce=True), md=2),
            dbc.Col(
                dbc.Select(
                    id=ids.ADDRESS_FLAG_FILTER,
                    options=[{"label": "All transfers", "value": "all"}]
                    + [{"label": f"Flagged: {name}", "value": n} for n, (name, _) in FLAG_NAMES.items()],
                    value="all",
                ),
                md=2,
            ),
            dbc.Col(
                dbc.Select(
                    id=ids.ADDRESS_SORT,
                    options=[{"label": n, "value": v} for v, n in SORT_OPTIONS],
                    value=SORT_OPTIONS[0][0],
                ),
                md=2,
            ),
        ],
        className="g-2 mb-2 align-items-center",
    )
    footer = html.Div(
        [
            html.Div(id=ids.ADDRESS_TABLE_COUNT, className="small text-muted"),
            dbc.Pagination(
                id=ids.ADDRESS_PAGES,
                max_value=1,
                active_page=1,
                fully_expanded=False,
                first_last=True,
                previous_next=True,
                size="sm",
                className="mb-0",
            ),
        ],
        className="d-flex justify-content-between align-items-center mt-2 flex-wrap gap-2",
    )
    return html.Div([filters, flag_legend(), html.Div(id=ids.ADDRESS_TABLE_BODY), footer])
