"""The address page's exposure card: the breakdown chart and the entities behind it, every address linked.

Built from the score report's ``exposure`` (:mod:`tracing.flow.exposure`).
"""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import NARROW_ONLY, WIDE_ONLY
from dashboard.components.links import address_link
from tracing.figures import amount, share
from tracing.figures.exposure import CATEGORY_COLOURS, exposure_figure

__all__ = ["CARD_ID", "exposure_card"]

CARD_ID = "address-exposure-card"
SHOWN = 8  # entities listed per direction and asset
HEAD = ("direction", "category", "entity", "amount", "share", "addresses")
WIDE_COLUMNS = ("category", "share", "addresses")  # a phone shows category and share beside entity and amount


def _badge(category: str, className: str = "badge") -> html.Span:
    colour = CATEGORY_COLOURS.get(category, "#b0bec5")
    return html.Span(category, className=className, style={"backgroundColor": colour})


def _entity_rows(chain: str, doc: dict) -> list[html.Tr]:
    rows = []
    for direction in ("outgoing", "incoming"):
        for item in doc.get("indirect", {}).get(direction, []) or doc.get("direct", {}).get(direction, []):
            for e in item["entities"][:SHOWN]:
                rows.append(
                    html.Tr(
                        [
                            html.Td(direction),
                            html.Td(_badge(e["category"]), className=WIDE_ONLY),
                            html.Td(
                                [_badge(e["category"], f"badge me-1 {NARROW_ONLY}"), e["name"]],
                                className="fw-semibold" if e["category"] == "sanctioned" else "",
                            ),
                            html.Td(
                                [
                                    amount(item["asset"], e["amount"]),
                                    html.Div(share(e["share"]), className=f"text-muted {NARROW_ONLY}"),
                                ],
                                className="text-end text-nowrap",
                            ),
                            html.Td(share(e["share"]), className=f"text-end {WIDE_ONLY}"),
                            html.Td(
                                [address_link(chain, a, short=True, className="me-2") for a in e["addresses"][:3]],
                                className=WIDE_ONLY,
                            ),
                        ]
                    )
                )
    return rows


def exposure_card(chain: str, doc: dict | None) -> dbc.Card | None:
    """The card, or None when the report carries no exposure.

    A phone sees direction, entity (its category badge in front) and amount (its share
    beneath); the category, share and address columns from md (768 px) up.
    """
    if not doc:
        return None
    rows = _entity_rows(chain, doc)
    figure = exposure_figure(doc)
    head = html.Thead(html.Tr([html.Th(h, className=WIDE_ONLY if h in WIDE_COLUMNS else None) for h in HEAD]))
    table = (
        dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="mb-0 small")
        if rows
        else html.P("No labelled address sent funds to it or received its funds within reach.", className="mb-0")
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span("Exposure", className="fw-semibold me-2"),
                    html.Span(
                        f"share of each asset's inflow and outflow from and to labelled addresses: direct, and within "
                        f"{doc['hops']} hops under the {doc['model']} model",
                        className="small text-muted",
                    ),
                ]
            ),
            dbc.CardBody(
                [
                    dcc.Graph(
                        figure=figure,
                        config={"displaylogo": False, "responsive": True},
                        style={"height": f"{figure.layout.height}px"},
                        id="address-exposure-chart",
                    ),
                    table,
                ]
            ),
        ],
        id=CARD_ID,
        className="shadow-sm mb-3",
    )
