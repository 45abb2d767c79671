"""The address page's tables: counterparties ranked per asset, and the paged transfer table with its controls."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components import NARROW_ONLY, WIDE_ONLY
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


def _table(head: list[str], rows: list, table_id: str, numeric=(), wide_only=(), narrow_only=()) -> dbc.Table:
    def classes(h: str) -> str:
        shown = WIDE_ONLY if h in wide_only else NARROW_ONLY if h in narrow_only else ""
        return " ".join(filter(None, ("text-nowrap", "text-end" if h in numeric else "", shown)))

    header = html.Thead(html.Tr([html.Th(h, className=classes(h)) for h in head]))
    return dbc.Table(
        [header, html.Tbody(rows)],
        id=table_id,
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 small data-table",
    )


def counterparties_table(rows: list[dict], chain) -> dbc.Table | html.P:
    """The top counterparties of each asset by volume (assets are never ranked together), with their labels.

    A phone sees the counterparty (its label beneath) and one volume column (``in``/``out`` lines);
    from md (768 px) up, label, received, sent and transfer count each have their column.
    """
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
                    _counterparty_cell(chain, r),
                    _label_cell(r),
                    *(
                        html.Td(amount(asset, r[k]) if r[k] else "-", className=f"text-end font-monospace {WIDE_ONLY}")
                        for k in ("received_from", "sent_to")
                    ),
                    html.Td(f"{r['transfers']:,}", className=f"text-end {WIDE_ONLY}"),
                    html.Td(
                        [
                            html.Div(f"{d} {amount(asset, r[k])}")
                            for d, k in (("in", "received_from"), ("out", "sent_to"))
                            if r[k]
                        ],
                        className=f"text-end font-monospace {NARROW_ONLY}",
                    ),
                ]
            )
        )
    head = ["Counterparty", "Label", "Received from", "Sent to", "Transfers", "Volume"]
    return _table(
        head, body, "address-counterparties-table", numeric=head[2:], wide_only=head[1:5], narrow_only=("Volume",)
    )


def _label_text(r: dict) -> list:
    """Who a counterparty is; a sanctioned one starts with a red SANCTIONED badge."""
    if not r.get("sanctioned"):
        return [r["label"]]
    return [html.Span("SANCTIONED", className="badge bg-danger me-1"), r["label"]]


def _label_class(r: dict, *more: str) -> str:
    """The classes of a label's text: bold red when sanctioned, then ``more``."""
    return " ".join(("cell-wrap", *(("fw-bold", "text-danger") if r.get("sanctioned") else ()), *more))


def _label_cell(r: dict) -> html.Td:
    """The label column (from md up); a sanctioned counterparty reads SANCTIONED in bold red."""
    return html.Td(
        _label_text(r),
        className=_label_class(r, WIDE_ONLY),
        title=(f"SANCTIONED: {r['label']}" if r.get("sanctioned") else r["label"]) or None,
    )


def _counterparty_cell(chain, r: dict, key: str = "address") -> html.Td:
    """The counterparty, shortened and linked; on a phone its label follows beneath (the label column is hidden)."""
    label = (
        html.Div(_label_text(r), className=_label_class(r, "small", NARROW_ONLY))
        if r["label"] or r.get("sanctioned")
        else None
    )
    return html.Td([address_link(chain, r[key], short=True), label])


def _flag_cell(flags: str) -> html.Td:
    names = [FLAG_NAMES[f][0] for f in flags.split(", ") if f in FLAG_NAMES]
    return html.Td(
        ", ".join(names),
        title="; ".join(f"{FLAG_NAMES[f][0]}: {FLAG_NAMES[f][1]}" for f in flags.split(", ") if f in FLAG_NAMES)
        or None,
        className=WIDE_ONLY,
    )


def _time_cell(timestamp: str) -> html.Td:
    """``YYYY-MM-DD HH:MM:SS``; on a phone the time may go under the date, neither is ever split."""
    day, _, clock = timestamp.partition(" ")
    return html.Td(
        [html.Span(day, className="text-nowrap"), " ", html.Span(clock, className="text-nowrap")], className="cell-time"
    )


def _transfer_row(r: dict, chain, address: str) -> html.Tr:
    return html.Tr(
        [
            _time_cell(r["timestamp"]),
            html.Td(r["direction"]),
            html.Td(amount(r["asset"], r["amount"]), className="text-end font-monospace"),
            _counterparty_cell(chain, r, "counterparty"),
            _label_cell(r),
            html.Td(zscore(r["z"]), className=f"text-end {WIDE_ONLY}"),
            _flag_cell(r["flags"]),
            html.Td(
                [
                    html.Span(r["tx_hash"], className="font-monospace tx-hash", title=r["tx_hash"]),
                    " ",
                    trace_tx_link(chain, address, r["tx_hash"], r["asset"]),
                ],
                className=f"cell-tx {WIDE_ONLY}",
            ),
        ],
        className="table-danger" if r["flags"] else None,
    )


def transfers_table(records: list[dict], chain, address: str) -> dbc.Table:
    """One page of transfers: counterparties link to their page, each row offers a trace from its transaction.

    The amount comes before the counterparty; a phone shows time, direction, amount and
    counterparty (its label beneath), and the other columns from md (768 px) up.
    """
    head = ["Time (UTC)", "Dir.", "Amount", "Counterparty", "Label", "z", "Flagged by", "Transaction"]
    rows = [_transfer_row(r, chain, address) for r in records]
    return _table(head, rows, ids.ADDRESS_TABLE, numeric=("Amount", "z"), wide_only=head[4:])


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
