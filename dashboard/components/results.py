"""The address page's result panels: risk and anomaly score, test cards, counterparties, transfer table."""

import dash_bootstrap_components as dbc
import numpy as np
from dash import dcc, html

from dashboard import ids
from dashboard.components.evidence import build_evidence
from dashboard.components.risk import TEST_TITLES, risk_panels
from dashboard.services import Investigation
from tracing import figures
from tracing.scoring import ScoreReport, score_band
from tracing.summaries import counterparties, flag_masks

__all__ = ["counterparties_table", "danger_band", "result_panels", "test_cards", "transfer_section"]

BAND_COLOURS = {"severe": "danger", "high": "warning", "elevated": "info", "low": "success"}


def danger_band(score: float) -> tuple[str, str]:
    """``(band, Bootstrap colour)`` of a 0–100 score (:data:`tracing.scoring.SCORE_BANDS`)."""
    band = score_band(score)
    return band, BAND_COLOURS[band]


def _test_card(name: str, test: dict, weight: float) -> dbc.Card:
    _label, colour = danger_band(test["score"])
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Span(TEST_TITLES[name], className="fw-semibold"),
                        dbc.Badge(f"{test['score']:.1f}", color=colour, className="ms-auto fs-6"),
                    ],
                    className="d-flex align-items-center",
                ),
                dbc.Progress(value=test["score"], color=colour, className="my-2", style={"height": "6px"}),
                html.Div(test["explanation"], className="small"),
                html.Div(f"weight {weight:g}", className="small text-muted"),
                build_evidence(name, test["evidence"]),
            ]
        ),
        className="h-100 shadow-sm",
        id=f"address-test-{name}",
    )


def test_cards(report: ScoreReport) -> dbc.Row:
    """The four tests, each with its score, explanation, weight and evidence."""
    doc = report.to_dict()
    weights = report.params.coefficients
    return dbc.Row(
        [dbc.Col(_test_card(n, t, weights[n]), md=6, className="mb-3") for n, t in doc["tests"].items()],
        className="g-3",
    )


def result_panels(found: Investigation) -> tuple:
    """``(risk and anomaly score, test cards, timeline, histogram, counterparties)`` of an investigation."""
    report, params = found.report, found.report.params
    flagged = np.unique(np.concatenate([test.rows for test in report.tests.values()]))
    histogram = figures.zscore_histogram(
        found.z,
        flag_masks(report)["value"],
        params.minimum_threshold,
        params.maximum_threshold,
        method=params.value_method,
    )
    return (
        risk_panels(report),
        test_cards(report),
        figures.timeline(report.table, report.address, flagged),
        histogram,
        counterparties_table(counterparties(report, found.labels)),
    )


def _cell(value, column: str):
    clipped = column in MONOSPACE or column == "label"
    return html.Td(value, className=CELL_CLASSES.get(column), title=value if clipped and value else None)


def _table(columns, rows: list[dict], table_id: str, row_class=None) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(name, className="text-nowrap") for _, name in columns]))
    body = html.Tbody(
        [
            html.Tr([_cell(row[c], c) for c, _ in columns], className=row_class(row) if row_class else None)
            for row in rows
        ]
    )
    return dbc.Table(
        [head, body], id=table_id, size="sm", hover=True, responsive=True, className="mb-0 small data-table"
    )


MONOSPACE = {"address", "counterparty", "tx_hash", "amount"}
CELL_CLASSES = {
    **dict.fromkeys(MONOSPACE, "font-monospace cell-clip"),
    "label": "cell-clip",
    "amount": "font-monospace",
}
COUNTERPARTY_COLUMNS = (
    ("address", "Counterparty"),
    ("label", "Label"),
    ("asset", "Asset"),
    ("received_from", "Received from"),
    ("sent_to", "Sent to"),
    ("transfers", "Transfers"),
)


def counterparties_table(rows: list[dict]) -> dbc.Table:
    """The top counterparties by volume, with their labels."""
    shown = [{**r, "received_from": f"{r['received_from']:,.2f}", "sent_to": f"{r['sent_to']:,.2f}"} for r in rows]
    return _table(COUNTERPARTY_COLUMNS, shown, "address-counterparties-table")


TRANSFER_COLUMNS = (
    ("timestamp", "Time (UTC)"),
    ("direction", "Dir."),
    ("counterparty", "Counterparty"),
    ("label", "Label"),
    ("amount", "Amount"),
    ("asset", "Asset"),
    ("z", "z"),
    ("flags", "Flagged by"),
    ("tx_hash", "Transaction"),
)
SORT_OPTIONS = (
    ("timestamp:asc", "Oldest first"),
    ("timestamp:desc", "Newest first"),
    ("value:desc", "Largest amount first"),
    ("value:asc", "Smallest amount first"),
    ("z:desc", "Highest z first"),
    ("z:asc", "Lowest z first"),
)


def transfers_table(records: list[dict]) -> dbc.Table:
    """One page of transfers; flagged rows are tinted."""
    return _table(TRANSFER_COLUMNS, records, ids.ADDRESS_TABLE, lambda r: "table-danger" if r["flags"] else None)


def transfer_section(flag_options: list[str]) -> html.Div:
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
                    + [{"label": f"Flagged: {TEST_TITLES[n].lower()}", "value": n} for n in flag_options],
                    value="all",
                ),
                md=3,
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
        className="d-flex justify-content-between align-items-center mt-2",
    )
    return html.Div([filters, dcc.Loading(html.Div(id=ids.ADDRESS_TABLE_BODY), type="dot"), footer])
