"""Exports: GraphML and GEXF read back by networkx, JSON and CSV."""

import csv
import json

import networkx as nx
import pytest

from tracing.errors import BadParameters
from tracing.flow import TraceParameters, export_trace, trace


@pytest.fixture(scope="module")
def theft_trace(world, tron, demo_labels, theft):
    return trace(tron, world.cast["victim"], TraceParameters(tx=theft, model="poison"), labels=demo_labels)


@pytest.mark.parametrize("reader", [nx.read_graphml, nx.read_gexf])
def test_graph_files_round_trip(tmp_path, theft_trace, reader):
    suffix = ".graphml" if reader is nx.read_graphml else ".gexf"
    g = reader(export_trace(theft_trace, tmp_path / f"trace{suffix}"))
    assert g.number_of_edges() == len(theft_trace.edges)
    assert g.number_of_nodes() == len(theft_trace)
    exit_ = theft_trace.exits[0]
    assert g.nodes[exit_.address]["category"] == "exchange"
    assert float(g.nodes[exit_.address]["received"]) == pytest.approx(exit_.amount)
    amounts = sorted(float(d["amount"]) for *_, d in g.edges(data=True))
    assert amounts[-1] == 250_000


def test_json_and_csv(tmp_path, theft_trace):
    doc = json.loads(export_trace(theft_trace, tmp_path / "t.json").read_text())
    assert doc["source"] == theft_trace.source
    assert {e["address"] for e in doc["exits"]} == {e.address for e in theft_trace.exits}
    assert set(doc["addresses"][0]) >= {"address", "hop", "received", "taint_share", "label"}
    text = export_trace(theft_trace, tmp_path / "t.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(theft_trace.edges)
    assert rows[0]["amount"] == "250000" and rows[0]["hop"] == "1"


def test_an_unknown_extension_is_refused(tmp_path, theft_trace):
    with pytest.raises(BadParameters, match="export"):
        export_trace(theft_trace, tmp_path / "t.xlsx")
