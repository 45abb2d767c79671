"""On a phone the tables keep their essential columns (amounts with their asset first) and hide the rest."""

import json

from dash import html
from dashboard_helpers import THIEF
from test_exposure_card import DOC

from dashboard.components import NARROW_ONLY, WIDE_ONLY
from dashboard.components.cases import items_list
from dashboard.components.exposure import exposure_card
from dashboard.components.transfers import counterparties_table
from dashboard.tables import table_query, transfer_page
from tracing.cases.model import CaseItem
from tracing.params import Parameters
from tracing.summaries import counterparties


def walk(component):
    """Every component inside ``component``, itself first."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def columns(table) -> dict[str, str]:
    """``{header text: its classes}`` of a table's header row."""
    return {
        th.children: getattr(th, "className", None) or ""
        for th in walk(table)
        if isinstance(th, html.Th) and "asset-group" not in (getattr(th, "className", None) or "")
    }


def phone(classes: str) -> bool:
    """Whether a cell with ``classes`` shows below 768 px."""
    return WIDE_ONLY not in classes


def desktop(classes: str) -> bool:
    """Whether a cell with ``classes`` shows from 768 px up."""
    return NARROW_ONLY not in classes.split()


def test_the_transfer_table_shows_time_direction_amount_counterparty_on_a_phone(services):
    found = services.investigate("tron", THIEF, Parameters())
    table, *_ = transfer_page(found, 1, table_query(None, None, None, None, None, None))
    heads = columns(table)
    assert [h for h, c in heads.items() if phone(c)] == ["Time (UTC)", "Dir.", "Amount", "Counterparty"]
    assert all(desktop(c) for c in heads.values()) and len(heads) == 8  # everything from md up
    row = next(r for r in walk(table) if isinstance(r, html.Tr) and getattr(r, "className", None) == "table-danger")
    shown = [td for td in row.children if phone(getattr(td, "className", ""))]
    assert len(shown) == 4 and shown[2].children.endswith(" USDT")  # the amount carries its asset


def test_counterparties_fold_received_and_sent_into_one_volume_column_on_a_phone(services):
    found = services.investigate("tron", THIEF, Parameters())
    table = counterparties_table(counterparties(found.report, found.labels), "tron")
    heads = columns(table)
    assert [h for h, c in heads.items() if phone(c)] == ["Counterparty", "Volume"]
    assert [h for h, c in heads.items() if desktop(c)] == [
        "Counterparty",
        "Label",
        "Received from",
        "Sent to",
        "Transfers",
    ]
    text = str(table)
    assert "in 250,000.00 USDT" in text and "out 46,000.00 USDT" in text  # the victim's and a mule's rows
    labels = [d for d in walk(table) if isinstance(d, html.Div) and "SANCTIONED" in str(d.children)]
    assert labels and all(
        NARROW_ONLY in getattr(d, "className", "") for d in labels
    )  # the label under the address on a phone


def test_the_exposure_table_keeps_entity_and_amount_with_its_share_on_a_phone():
    card = exposure_card("tron", DOC)
    heads = columns(card)
    assert [h for h, c in heads.items() if phone(c)] == ["direction", "entity", "amount"]
    assert [h for h, c in heads.items() if not phone(c)] == ["category", "share", "addresses"]
    texts = [c.children for c in walk(card) if isinstance(getattr(c, "children", None), str)]
    assert texts.count("90.0\u00a0%") == 2  # under the amount on a phone, in its column from md up
    assert texts.count("exchange") == 2  # the badge on the entity's line, and in its column


def test_a_cases_items_on_a_phone_are_kind_and_what_the_rest_from_md_up():
    """The parameters used made a tall row with its columns off-screen at 390 px."""
    item = CaseItem(1, 1, "address", "tron", THIEF, "", json.dumps(Parameters().to_dict()), "alice", 1_753_747_200)
    shown = columns(items_list([item]))
    assert {h for h, c in shown.items() if phone(c)} == {"kind", "what"}
    assert all(desktop(c) for c in shown.values()) and len(shown) == 5
