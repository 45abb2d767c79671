"""The address page's result panels: risk and anomaly score, test cards, charts of one asset, counterparties."""

import dash_bootstrap_components as dbc
import numpy as np
from dash import html

from dashboard.components.evidence import build_evidence
from dashboard.components.risk import TEST_TITLES, risk_panels
from dashboard.components.transfers import counterparties_table
from dashboard.services import Investigation
from tracing import figures
from tracing.scoring import ScoreReport, score_band
from tracing.summaries import counterparties, flag_masks

__all__ = ["asset_options", "chart_panels", "danger_band", "result_panels", "test_cards"]

BAND_COLOURS = {"severe": "danger", "high": "warning", "elevated": "info", "low": "success"}


def danger_band(score: float) -> tuple[str, str]:
    """``(band, Bootstrap colour)`` of a 0–100 score (:data:`tracing.scoring.SCORE_BANDS`)."""
    band = score_band(score)
    return band, BAND_COLOURS[band]


def _test_card(name: str, test: dict, weight: float, chain: str) -> dbc.Card:
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
                build_evidence(name, test["evidence"], chain),
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
        [dbc.Col(_test_card(n, t, weights[n], doc["chain"]), md=6, className="mb-3") for n, t in doc["tests"].items()],
        className="g-3",
    )


def asset_options(found: Investigation) -> tuple[list[dict], str | None]:
    """The assets of the address's transfers, most frequent first, as selector options; and the first."""
    table = found.report.table
    counts = np.bincount(table.asset, minlength=len(table.assets))
    options = [
        {"label": f"{table.assets[k].symbol} ({counts[k]:,} transfers)", "value": table.assets[k].symbol}
        for k in np.argsort(-counts, kind="stable")
        if counts[k]
    ]
    return options, (options[0]["value"] if options else None)


def result_panels(found: Investigation) -> tuple:
    """``(score card, test cards, counterparties)`` of an investigation."""
    report = found.report
    return (
        risk_panels(report),
        test_cards(report),
        counterparties_table(counterparties(report, found.labels), report.table.chain),
    )


def chart_panels(found: Investigation, asset: str | None) -> tuple:
    """``(timeline, histogram)`` of the address's transfers in ``asset`` (a symbol; default the most frequent)."""
    report, params = found.report, found.report.params
    masks = flag_masks(report)
    if asset is None or asset not in {a.symbol for a in report.table.assets}:
        asset = asset_options(found)[1]
    rows = figures.asset_rows(report.table, asset) if asset else np.arange(0)
    histogram = figures.zscore_histogram(
        found.z[rows],
        masks["value"][rows],
        params.minimum_threshold,
        params.maximum_threshold,
        method=params.value_method,
        symbol=asset or "",
    )
    return figures.timeline(report.table, report.address, masks, asset=asset), histogram
