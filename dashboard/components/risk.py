"""The address page's lead: the risk rating with every fired rule, and the anomaly score beside it.

The rating comes from :mod:`tracing.scoring.risk` (severity rules; an average cannot
hide a finding). The anomaly score is the original weighted mean, shown with its
formula, its band edges and what each test adds to it.
"""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.links import address_link
from tracing.figures import amount, when
from tracing.scoring import SCORE_BANDS, ScoreReport, score_band

__all__ = ["RATING_COLOURS", "anomaly_card", "risk_card", "risk_panels"]

RATING_COLOURS = {"severe": "danger", "high": "warning", "medium": "info", "low": "success"}
TEST_TITLES = {
    "value": "Unusual values",
    "transfers": "Frequent transfers",
    "hiding": "Hiding through intermediaries",
    "relation": "Relation to listed entities",
}


def _link(chain: str, address: str) -> dcc.Link:
    return address_link(chain, address, short=True, className="small")


def _evidence_items(chain: str, rule: dict) -> list[list]:
    """Readable lines of one fired rule's evidence; every address links to its page."""
    evidence = rule["evidence"]
    if rule["rule"] == "listed":
        return [[f"{lb['name']} · {lb['source']} · {lb['detail']}".rstrip(" ·")] for lb in evidence["listings"]]
    if "counterparties" in evidence and rule["rule"] != "indirect_exposure":
        return [
            [
                _link(chain, c["address"]),
                f": {', '.join(dict.fromkeys(lb['name'] for lb in c.get('listings', c.get('labels', []))))} · "
                f"{c['transfers']:,} transfer(s)",
            ]
            for c in evidence["counterparties"]
        ]
    if rule["rule"] == "indirect_exposure":
        return [
            ["via ", _link(chain, c["via"]), " dealt with ", *[_link(chain, a) for a in c["listed"]]]
            for c in evidence["counterparties"]
        ]
    if rule["rule"] == "pass_through_chain":
        items = []
        for c in evidence["examples"]:
            path = [c["origin"], *c["intermediaries"], c["destination"]]
            parts = [f"{amount(c['asset'], c['amount_sent'])}: "]
            for k, address in enumerate(path):
                parts += ([" → "] if k else []) + [_link(chain, address)]
            items.append(parts)
        return items
    if rule["rule"] == "burst":
        b = evidence["largest"]
        volume = ", ".join(amount(asset, v) for asset, v in b["volume"].items())
        return [[f"{b['transfers']} transfers {when(b['start'])} to {when(b['end'])} UTC · {volume}"]]
    return []


def _rule(chain: str, rule: dict) -> html.Li:
    items = _evidence_items(chain, rule)
    details = (
        html.Details(
            [
                html.Summary(f"Evidence ({len(items)})", className="small"),
                html.Ul([html.Li(i) for i in items], className="small mb-0 ps-3 evidence-list"),
            ]
        )
        if items
        else None
    )
    badge = dbc.Badge(rule["rating"], color=RATING_COLOURS[rule["rating"]], className="me-2 text-uppercase")
    return html.Li(
        [badge, html.Span(rule["explanation"]), details], className="mb-2", id=f"address-risk-{rule['rule']}"
    )


def risk_card(report: ScoreReport) -> dbc.Card:
    """The risk rating, large, on its colour, with each fired rule, its explanation and its evidence."""
    doc = report.to_dict()
    risk, chain = doc["risk"], doc["chain"]
    colour = RATING_COLOURS[risk["rating"]]
    rules = (
        html.Ul([_rule(chain, r) for r in risk["rules"]], className="list-unstyled mb-0", id="address-risk-rules")
        if risk["rules"]
        else html.Div("No severity rule fired.", className="small text-muted", id="address-risk-rules")
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span("Risk", className="text-uppercase small fw-semibold me-2"),
                    html.Span(risk["rating"].upper(), className="fs-3 fw-bold", id="address-risk-rating"),
                    html.Span(
                        f"{doc['transfers_analysed']:,} transfers · {chain} · source: {doc['data_source']}",
                        className="small ms-auto opacity-75",
                    ),
                ],
                className=f"d-flex align-items-center flex-wrap bg-{colour} text-bg-{colour}",
            ),
            dbc.CardBody(rules),
        ],
        className="h-100 shadow-sm risk-card",
    )


def anomaly_card(report: ScoreReport) -> dbc.Card:
    """The weighted mean of the four tests, with its formula, band edges and each test's contribution."""
    weights, added = report.params.coefficients, report.contributions()
    rows = [
        html.Tr(
            [
                html.Td(TEST_TITLES[name]),
                html.Td(f"{test.score:.1f}", className="text-end"),
                html.Td(f"{weights[name]:g}", className="text-end"),
                html.Td(f"{added[name]:.1f}", className="text-end fw-semibold"),
            ]
        )
        for name, test in report.tests.items()
    ]
    head = html.Thead(
        html.Tr([html.Th("Test"), *(html.Th(h, className="text-end") for h in ("Score", "Weight", "Adds"))])
    )
    edges = " · ".join(f"{name} ≥ {floor:g}" for floor, name in SCORE_BANDS[:-1])
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div("Anomaly score", className="text-uppercase small fw-semibold text-muted"),
                html.Div(
                    [
                        html.Span(f"{report.final_score:.1f}", className="fs-2 fw-bold", id="address-score-value"),
                        html.Span(f" / 100 · {score_band(report.final_score)}", className="ms-1"),
                    ]
                ),
                html.Div(
                    "Σ(score × weight) / Σ weights: how unusual the transfers are, not how dangerous the address is. "
                    f"Bands: {edges}.",
                    className="small text-muted mb-2",
                ),
                dbc.Table(
                    [head, html.Tbody(rows)],
                    size="sm",
                    className="small mb-0",
                    id="address-score-contributions",
                ),
            ]
        ),
        className="h-100 shadow-sm",
    )


def risk_panels(report: ScoreReport) -> dbc.Row:
    """The risk card and, beside it, the anomaly score."""
    return dbc.Row(
        [dbc.Col(risk_card(report), lg=8, className="mb-3"), dbc.Col(anomaly_card(report), lg=4, className="mb-3")]
    )
