"""Cytoscape elements of the display graph: layers by hop, sizes, colours, highlighted path."""

from tracing.flow import TraceParameters, display_graph, trace
from tracing.flow.cyto import CATEGORY_COLOURS, cytoscape_elements, path_to
from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.testing import make_table


def elements(direction="forward", highlight=()):
    table = make_table([10, 6, 1], times=[1, 2, 3], senders=["S", "A", "A"], receivers=["A", "B", "C"])
    source = "S" if direction == "forward" else "B"
    g = display_graph(trace(table, source, TraceParameters(direction=direction, model="poison")))
    return g, {e["data"]["id"]: e for e in cytoscape_elements(g, symbol="USDT", highlight=highlight)}


def test_layers_run_left_to_right_by_hop_and_size_follows_the_amount():
    _, found = elements()
    assert [found[n]["position"]["x"] for n in ("S", "A", "B")] == [0, 260, 520]
    assert found["A"]["data"]["size"] > found["B"]["data"]["size"] > found["C"]["data"]["size"]
    assert found["S"]["data"]["colour"] == CATEGORY_COLOURS["source"]
    assert found["A->B"]["data"]["width"] > found["A->C"]["data"]["width"]
    assert found["A->B"]["data"]["caption"] == "6.00 USDT"


def test_the_source_says_and_is_sized_by_the_amount_traced_from_it():
    _, found = elements()
    source = found["S"]["data"]
    assert source["received"] == 0.0 and source["seed"] == 10.0
    assert source["caption"] == "S\n10.00 USDT traced" and source["size"] == 60
    assert source["tip"].endswith("the trace's source · 10.00 USDT traced")
    assert found["A"]["data"]["seed"] is None and found["A"]["data"]["caption"] == "A\n10.00 USDT"


def test_backward_traces_grow_to_the_left():
    _, found = elements("backward")
    assert found["S"]["position"]["x"] < found["A"]["position"]["x"] < found["B"]["position"]["x"] == 0


def test_the_path_to_a_node_is_highlighted():
    g, _ = elements()
    path = path_to(g, "C")
    _, found = elements(highlight=path)
    assert path == ["S", "A", "C"]
    assert {k for k, e in found.items() if e["classes"] == "highlight"} == {"S", "A", "C", "S->A", "A->C"}
    assert path_to(g, "NOWHERE") == []


def test_a_sanctioned_address_is_unmistakable_even_when_it_is_an_exchange_too():
    fan = [f"W{k:02d}" for k in range(12)]  # A pays twelve wallets; the smallest payment goes to the listed one
    table = make_table(
        [100, 30, *range(20, 8, -1)],
        times=list(range(1, 15)),
        senders=["S", "A", *["A"] * 12],
        receivers=["A", "X", *fan],
    )
    labels = LabelIndex(
        [
            Label(Chain.TRON, "X", "Shady Exchange", "exchange", "pack"),
            Label(Chain.TRON, "X", "SHADY EXCHANGE LLC", "sanctioned", "OFAC SDN"),
            Label(Chain.TRON, "W11", "Listed Wallet", "sanctioned", "OFAC SDN"),
        ]
    )
    g = display_graph(trace(table, "S", TraceParameters(model="poison"), labels=labels), max_fanout=8)
    found = {e["data"]["id"]: e["data"] for e in cytoscape_elements(g, symbol="USDT")}
    exchange = found["X"]
    assert exchange["kind"] == "exit" and exchange["category"] == "exchange" and exchange["sanctioned"]
    assert exchange["colour"] == CATEGORY_COLOURS["sanctioned"] and exchange["caption"].startswith("SANCTIONED\n")
    assert exchange["tip"].splitlines()[:2] == ["SANCTIONED · Shady Exchange · exchange", "X"]
    assert found["W11"]["sanctioned"] and "W10" not in found  # the smallest payment, listed: never folded away
    assert found["A+more"]["kind"] == "more" and "folded" in found["A+more"]["tip"]
    assert not found["A"]["sanctioned"] and found["A"]["tip"].startswith("no label known\nA\n")
    assert found["S"]["tip"].endswith("the trace's source · 100.00 USDT traced")
