"""The trace page: login, URL state, the graph and exits callbacks, expanding, highlighting and exporting."""

import importlib

import dash
import pytest
from dashboard_helpers import login

from dashboard.urls import trace_path
from tracing.flow import TraceParameters
from tracing.sources.demo import build_demo

WORLD = build_demo()
VICTIM = WORLD.cast["victim"]


@pytest.fixture
def page(app):
    """The page module as the app loaded it."""
    return importlib.import_module("dashboard.pages.trace")


@pytest.fixture
def theft(services) -> str:
    own = services.store.transfers_of("tron", VICTIM)
    return str(own.tx_hash[(own.receiver == WORLD.cast["thief"])][0])


def request_for(page, theft, **query):
    request, _, errors = page._request("tron", VICTIM, {"tx": theft, **query})
    assert errors == {}
    return request


def test_anonymous_visitors_are_sent_to_the_login(client):
    answer = client.get(f"/trace/tron/{VICTIM}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_page_loads_for_a_logged_in_user(client, user, theft):
    assert login(client, *user).status_code == 302
    answer = client.get(trace_path("tron", VICTIM, TraceParameters(tx=theft, model="fifo")))
    assert answer.status_code == 200


def test_the_url_parameters_come_back_as_the_request(page, theft):
    request = request_for(page, theft, model="fifo", hops="4", expanded="A,B", focus="A")
    assert request["params"]["model"] == "fifo" and request["params"]["hops"] == 4
    assert request["expanded"] == ["A", "B"] and request["focus"] == "A"
    bad, _, errors = page._request("tron", VICTIM, {"hops": "0"})
    assert bad["params"] is None and set(errors) == {"hops"}


def test_the_graph_and_exits_change_with_the_model(app, page, theft):
    with app.server.test_request_context("/"):
        poison = page.callback_trace_results(request_for(page, theft, model="poison"))
        haircut = page.callback_trace_results(request_for(page, theft, model="haircut"))
    elements, summary, exits, alert = poison
    nodes = {e["data"]["id"]: e for e in elements if "source" not in e["data"]}
    deposit = WORLD.cast["deposit_1"]
    assert alert is None
    assert nodes[deposit]["data"]["kind"] == "exit" and nodes[deposit]["position"]["x"] > 0
    assert "229,985.00 USDT reached 5 exit(s)" in str(summary.children)
    assert "229,985.00" not in str(haircut[1].children)
    assert deposit in str(exits)


def test_a_clicked_more_node_links_to_its_expansion_and_an_edge_shows_its_transfers(app, page, theft):
    request = request_for(page, theft, model="poison")
    with app.server.test_request_context("/"):
        details = page.callback_trace_node({"id": f"{VICTIM}+more", "kind": "more", "count": 3, "hop": 1}, request)
        transfers = page.callback_trace_edge({"source": VICTIM, "target": WORLD.cast["thief"]}, request)
    assert f"expanded={VICTIM}" in str(details)
    assert theft in str(transfers) and "250,000.00 USDT" in str(transfers)


def test_a_focused_node_highlights_the_path_from_the_source(app, page, theft):
    request = request_for(page, theft, model="poison", focus=WORLD.cast["deposit_2"])
    with app.server.test_request_context("/"):
        elements = page.callback_trace_results(request)[0]
    lit = {e["data"]["id"] for e in elements if e["classes"] == "highlight"}
    assert {VICTIM, WORLD.cast["thief"], WORLD.cast["mule_2_3"], WORLD.cast["deposit_2"]} <= lit


def test_export_sends_a_gexf_file(app, page, theft):
    with app.server.test_request_context("/"):
        sent, error = page.callback_trace_export(1, ".gexf", request_for(page, theft, asset="USDT"))
    assert sent["filename"].endswith(".gexf") and sent["base64"] and error is None


def test_a_failed_export_is_shown_beside_the_button(app, page, theft, monkeypatch):
    import networkx as nx

    def broken(_graph, _out):
        raise nx.NetworkXError("GEXF does not support this")

    monkeypatch.setattr(nx, "write_gexf", broken)
    with app.server.test_request_context("/"):
        sent, error = page.callback_trace_export(1, ".gexf", request_for(page, theft))
    assert sent is dash.no_update
    assert error.id == "error-alert" and "could not write the trace as .gexf" in error.children


def test_the_summary_and_the_table_list_the_sanctioned_destination(app, page, theft):
    from tracing.sources.demo import GARANTEX

    with app.server.test_request_context("/"):
        elements, summary, exits, _ = page.callback_trace_results(request_for(page, theft, model="poison"))
    assert "Sanctioned: 1 address(es), 8,000.00 USDT" in str(summary)
    node = next(e["data"] for e in elements if e["data"]["id"] == GARANTEX)
    assert node["sanctioned"] and node["caption"].startswith("SANCTIONED\nGARANTEX EUROPE OU")
    assert node["tip"].startswith("SANCTIONED · GARANTEX EUROPE OU") and GARANTEX in node["tip"]
    with app.server.test_request_context("/"):
        details = str(page.callback_trace_node(node, request_for(page, theft, model="poison")))
    assert "SANCTIONED" in details and "bg-danger" in details
    text = str(exits)
    assert (
        text.index("Exchanges (freeze requests)") < text.index("Sanctioned · 1 · 8,000.00 USDT") < text.index(GARANTEX)
    )
    assert f"/address/tron/{GARANTEX}" in text


def test_a_phone_keeps_entity_address_and_amount_of_the_exits_and_hides_the_rest(app, page, theft):
    with app.server.test_request_context("/"):
        exits = page.callback_trace_results(request_for(page, theft, model="poison"))[2]
    head = [cell for cell in exits.children[0].children.children]
    hidden = {cell.children for cell in head if "d-none" in (cell.className or "")}
    assert hidden == {"Hop", "First", "Transactions"}
    row = next(r for r in exits.children[1].children if isinstance(r.children, list))
    assert [("d-none" in getattr(c, "className", "")) for c in row.children] == [False, False, False, True, True, True]
    assert "USDT" in row.children[2].children and "text-nowrap" in row.children[4].className
    tx = row.children[5].children.children[0].children
    assert "tx-hash" in tx.className and tx.title == tx.children and len(tx.children) == 64


def test_a_clicked_address_links_to_its_page_and_backward_traces_say_where_funds_came_from(app, page, theft):
    request = request_for(page, theft, model="poison")
    thief = WORLD.cast["thief"]
    with app.server.test_request_context("/"):
        details = page.callback_trace_node({"id": thief, "kind": "address", "hop": 1, "received": 250_000.0}, request)
        backward = page.layout("tron", thief, direction="backward")
    assert f"href='/address/tron/{thief}'" in str(details) and "250,000.00 USDT" in str(details)
    with app.server.test_request_context("/"):
        elements = page.callback_trace_results(request)[0]
        source = next(e["data"] for e in elements if e["data"]["id"] == VICTIM)
        details = page.callback_trace_node(source, request)
    assert source["caption"].endswith("\n250,000.00 USDT traced")  # the theft, not the 0 the source received
    assert "Amount traced from here" in str(details) and "250,000.00 USDT" in str(details)
    assert "came from" in str(backward)


def test_a_wrong_filter_is_said_next_to_its_field_and_the_graph_is_marked_stale(app, page, theft):
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    names = ["direction", "model", "hops", "min_amount", "asset", "since", "until", "tx", "amount"]
    states = [[{"id": {"type": "trace-filter", "name": n}, "property": "value"} for n in names]]
    values = ["forward", "poison", 2.5, 0, None, "yesterday", None, theft, None]
    with app.server.test_request_context("/"):
        context_value.set(AttributeDict(states_list=states, triggered_inputs=[]))
        href, summary, invalid, helps, colours, alert = page.callback_trace_navigate(
            1, values, request_for(page, theft)
        )
    assert invalid == [n in ("hops", "since") for n in names] and colours[names.index("since")] == "danger"
    assert "whole number" in helps[names.index("hops")] and "ISO 8601" in helps[names.index("since")]
    assert "previous parameters" in str(alert) and "Hops: " in str(alert) and "Since: " in str(alert)
    assert str(href) != "" and "nothing was traced" in summary


def test_every_bad_url_parameter_is_said_and_nothing_is_offered_to_read_or_export(app, page):
    with app.server.test_request_context("/"):
        layout = page.layout("tron", VICTIM, hops="999", model="zzz", since="yesterday")
    alert = find_component(layout, "trace-alert").children
    assert [li.children.split(":")[0] for li in alert.children[1].children] == ["Taint model", "Hops", "Since"]

    def is_help(c):
        return isinstance(getattr(c, "id", None), dict) and c.id["type"] == "trace-filter-help"

    helps = {c.id["name"]: c.children for c in find_all(layout, is_help)}
    assert "from 1 to 20" in helps["hops"] and "ISO 8601" in helps["since"] and "must be one of" in helps["model"]
    hidden = [c for c in find_all(layout, lambda c: getattr(c, "hidden", None)) if find_component(c, "trace-legend")]
    assert len(hidden) == 1 and find_component(hidden[0], "trace-export")
    with app.server.test_request_context("/"):
        fine = page.layout("tron", VICTIM, hops="3")
    assert find_component(layout, "trace-filters-fold").open and not find_component(fine, "trace-filters-fold").open
    assert find_component(fine, "trace-alert").children is None
    assert not any(find_component(c, "trace-legend") for c in find_all(fine, lambda c: getattr(c, "hidden", None)))


def test_the_share_link_keeps_focus_offers_a_copy_button_and_amount_has_a_field(app, page, theft):
    with app.server.test_request_context("/"):
        layout = page.layout("tron", VICTIM, tx=theft, focus=WORLD.cast["thief"])
    text = str(layout)
    assert f"focus={WORLD.cast['thief']}" in text and "trace-copy" in text
    assert "'name': 'amount'" in text and "Seed amount" in text


def test_the_graph_opens_in_hop_columns_with_legend_ring_search_and_pictures(app, page, theft):
    from dashboard.components import graph_tools
    from tracing.flow.cyto import STYLESHEET

    with app.server.test_request_context("/"):
        layout = page.layout("tron", VICTIM, tx=theft, model="poison")
    graph = find_component(layout, "trace-graph")
    # the server's preset positions, not fitted: the browser adds the zoom and pan (test_trace_browser.py)
    assert graph.layout == {"name": "preset", "fit": False}
    assert any(s["selector"] == "node:selected" for s in STYLESHEET)
    legend = str(find_component(layout, "trace-legend"))
    assert "SANCTIONED (red octagon" in legend and "exchange" in legend and "+N more" in legend
    assert find_component(layout, "trace-graph-tip").style == {"display": "none"}  # filled on hover, in the browser
    assert {"compact", "fit"} <= set(graph_tools.GRAPH_LAYOUTS)
    stylesheet, query = graph_tools.search_stylesheet('Garantex"]; x')
    assert query == "Garantex x" and stylesheet[-1]["selector"].startswith('node[id @*= "Garantex x"]')
    with app.server.test_request_context("/"):
        answer = graph_tools.trace_svg(request_for(page, theft, model="poison"))
    assert answer["filename"].endswith(".svg") and answer["content"].lstrip().startswith("<svg")
    assert "250,000.00 USDT" in answer["content"]


def find_component(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json") and (found := find_component(child, component_id)) is not None:
            return found
    return None


def find_all(component, keep) -> list:
    """Every component under ``component`` (itself included) that ``keep`` accepts."""
    children = getattr(component, "children", None)
    found = [component] if keep(component) else []
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json"):
            found += find_all(child, keep)
    return found
