"""The address page's exposure card: the chart and the entities, every address linked, built without a browser."""

from dashboard.components.exposure import exposure_card
from tracing.figures.exposure import exposure_figure

DOC = {
    "hops": 5,
    "model": "haircut",
    "direct": {
        "incoming": [
            {
                "asset": "USDT",
                "total": 1000.0,
                "categories": [{"category": "sanctioned", "amount": 100.0, "share": 0.1}],
                "entities": [
                    {"name": "Bad", "category": "sanctioned", "amount": 100.0, "share": 0.1, "addresses": ["TBAD"]}
                ],
            }
        ],
        "outgoing": [],
    },
    "indirect": {
        "incoming": [],
        "outgoing": [
            {
                "asset": "USDT",
                "total": 900.0,
                "categories": [{"category": "exchange", "amount": 810.0, "share": 0.9}],
                "entities": [
                    {"name": "Ex", "category": "exchange", "amount": 810.0, "share": 0.9, "addresses": ["TEX1", "TEX2"]}
                ],
            }
        ],
    },
}


def test_the_figure_stacks_each_category_per_direction_asset_and_reach():
    fig = exposure_figure(DOC)
    bars = {t.name: t for t in fig.data}
    assert set(bars) == {"sanctioned", "exchange"}
    assert list(bars["exchange"].y) == ["outgoing USDT, within 5 hops", "incoming USDT, direct"]
    assert list(bars["exchange"].x) == [90.0, 0.0] and list(bars["sanctioned"].x) == [0.0, 10.0]
    assert "810.00 USDT of 900.00 USDT" in bars["exchange"].hovertext[0]  # amounts carry asset and precision


def test_the_card_lists_entities_with_linked_addresses():
    card = str(exposure_card("tron", DOC))
    assert (
        "/address/tron/TEX1" in card and "/address/tron/TBAD" in card and "90.0\\xa0%" in card
    )  # repr of a no-break space
    assert exposure_card("tron", None) is None


def test_the_demo_thiefs_page_shows_its_exposure_breakdown(logged_in, services):
    from dashboard.pages.address import callback_address_exposure
    from tracing.params import Parameters
    from tracing.sources import demo

    thief = demo.demo_address(demo.Chain.TRON, "thief")
    with logged_in.application.test_request_context():
        card = callback_address_exposure({"chain": "tron", "address": thief, "params": Parameters().to_dict()})
    text = str(card)
    assert "Exposure" in text and "Task Force Rusich" in text and "Demo Exchange" in text
    assert "GARANTEX" in text.upper()
