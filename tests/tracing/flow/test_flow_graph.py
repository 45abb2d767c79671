"""The display graph (one edge per pair, "+N more" nodes) and the transfer multigraph."""

import pytest

from tracing.flow import TraceParameters, display_graph, more_node, trace, trace_graph
from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.testing import make_table


def fan_out(n: int):
    """S pays R0..R{n-1} 1, 2, ... n; R0 is an exchange."""
    names = [f"R{i}" for i in range(n)]
    return make_table([float(i + 1) for i in range(n)], times=list(range(n)), senders=["S"] * n, receivers=names)


LABELS = LabelIndex([Label(Chain.TRON, "R0", "Exch", "exchange", "test")])


def test_pairs_are_summed_with_count_and_times():
    table = make_table([3, 4, 5], times=[1, 2, 3], senders=["S", "S", "A"], receivers=["A", "A", "B"])
    g = display_graph(trace(table, "S", TraceParameters(model="poison")))
    edge = g.edges["S", "A"]
    assert (edge["traced"], edge["count"], edge["first"], edge["last"]) == (7.0, 2, 1, 2)
    assert g.nodes["S"]["kind"] == "source"
    assert g.nodes["B"]["hop"] == 2


def test_a_large_fan_out_collapses_into_one_more_node_but_keeps_exits():
    g = display_graph(trace(fan_out(12), "S", labels=LABELS), max_fanout=5)
    more = g.nodes[more_node("S")]
    assert more["kind"] == "more" and more["count"] == 6 and more["label"] == "+6 more"
    kept = {v for v in g.successors("S") if v != more_node("S")}
    assert kept == {"R11", "R10", "R9", "R8", "R7", "R0"}  # the five largest, and the exchange
    assert g.edges["S", more_node("S")]["traced"] == pytest.approx(sum(range(2, 8)))
    assert g.nodes["R0"]["kind"] == "exit"


def test_expanding_a_node_shows_all_its_counterparties():
    g = display_graph(trace(fan_out(12), "S"), max_fanout=5, expanded={"S"})
    assert g.out_degree("S") == 12
    assert not any(d["kind"] == "more" for _, d in g.nodes(data=True))


def tree(width: int, depth_two: int):
    """S pays A0..A{width-1} (A0 the most); each Ai pays Bi_0..Bi_{depth_two-1} all of it, later."""
    senders, receivers, values, times = [], [], [], []
    for i in range(width):
        senders.append("S"), receivers.append(f"A{i}"), values.append(float(100 - i)), times.append(i)
        for j in range(depth_two):
            senders.append(f"A{i}"), receivers.append(f"B{i}_{j}")
            values.append((100 - i) / depth_two), times.append(1000 + 10 * i + j)
    return make_table(values, times=times, senders=senders, receivers=receivers)


def test_what_hangs_from_a_folded_node_is_folded_with_it():
    g = display_graph(trace(tree(8, 2), "S", TraceParameters(model="poison")), max_fanout=5)
    more = more_node("S")
    assert g.nodes[more]["count"] == 3 * 3  # A5..A7 and their two receivers each
    assert not any(n.startswith("B5") or n.startswith("B7") for n in g)
    assert "B0_0" in g and g.nodes["B0_0"]["hop"] == 2


def test_a_node_budget_keeps_the_best_funded_addresses_and_conserves_amounts():
    found = trace(tree(6, 3), "S", TraceParameters(model="poison"))
    g = display_graph(found, max_fanout=10, max_nodes=8)
    drawn = [n for n, d in g.nodes(data=True) if d["kind"] != "more"]
    assert len(drawn) <= 8 and "S" in drawn and "A0" in drawn
    assert sum(d["received"] for _, d in g.nodes(data=True)) == pytest.approx(float(found.received.sum()))
    everything = display_graph(found, max_fanout=10, max_nodes=1000)
    assert everything.number_of_nodes() == len(found.addresses)


def test_the_transfer_multigraph_keeps_one_edge_per_transfer():
    table = make_table([3, 4], times=[1, 2], senders=["S", "S"], receivers=["A", "A"])
    g = trace_graph(trace(table, "S"))
    assert g.number_of_edges("S", "A") == 2
    assert sorted(d["amount"] for *_, d in g.edges(data=True)) == ["3", "4"]
    assert g.nodes["A"]["received"] == 7.0
