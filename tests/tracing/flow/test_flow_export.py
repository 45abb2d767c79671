"""Exports: GraphML and GEXF read back by networkx, JSON and CSV."""

import csv
import io
import json

import networkx as nx
import pytest

from tracing.errors import BadParameters, ExportFailed
from tracing.flow import FORMATS, TraceParameters, export_trace, trace, trace_bytes
from tracing.sources.demo import GARANTEX


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


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_graph_nodes_name_their_entity_and_sanctions(tmp_path, theft_trace, suffix):
    g = (nx.read_graphml if suffix == ".graphml" else nx.read_gexf)(export_trace(theft_trace, tmp_path / f"t{suffix}"))
    garantex = g.nodes[GARANTEX]
    assert garantex["entity"] == "GARANTEX EUROPE OU" and garantex["category"] == "sanctioned"
    assert garantex["sanctioned"] in (True, "true") and garantex["label"] == "GARANTEX EUROPE OU"
    exit_ = g.nodes[theft_trace.exits[0].address]
    assert exit_["entity"] == "Demo Exchange" and exit_["sanctioned"] in (False, "false")
    source = g.nodes[theft_trace.source]
    assert source["entity"] == "" and source["label"] == theft_trace.source  # Gephi draws the address, not nothing


def test_json_and_csv(tmp_path, theft_trace):
    doc = json.loads(export_trace(theft_trace, tmp_path / "t.json").read_text())
    assert doc["source"] == theft_trace.source
    assert {e["address"] for e in doc["exits"]} == {e.address for e in theft_trace.exits}
    assert set(doc["addresses"][0]) >= {"address", "hop", "received", "taint_share", "label"}
    text = export_trace(theft_trace, tmp_path / "t.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(theft_trace.edges)
    assert rows[0]["amount"] == "250000" and rows[0]["hop"] == "1"
    garantex = next(r for r in rows if r["to_category"] == "sanctioned")
    assert garantex["to_entity"] == "GARANTEX EUROPE OU" and garantex["to_sanctioned"] == "yes"
    assert garantex["from_entity"] == "" and garantex["from_sanctioned"] == ""
    assert {r["to_entity"] for r in rows if r["to_category"] == "exchange"} == {"Demo Exchange"}
    assert doc["addresses"][0]["sanctioned"] is False
    assert [a["sanctioned"] for a in doc["addresses"] if a["category"] == "sanctioned"] == [True]


def test_an_unknown_extension_is_refused(tmp_path, theft_trace):
    with pytest.raises(BadParameters, match="export"):
        export_trace(theft_trace, tmp_path / "t.xlsx")


FILTERS = [
    {"asset": "USDT"},
    {"asset": "USDT", "since": "2025-07-29", "until": "2025-07-30T00:00", "min_amount": 1.5, "hops": 4},
    {"model": "fifo", "direction": "backward", "amount": 45_997, "until": "2025-07-29T12:00"},
    {"model": "poison", "tx": "THEFT", "asset": "usdt"},
    {"direction": "forward", "amount": 1_000, "since": 1_753_783_200},
]


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize("filters", FILTERS, ids=["asset", "window", "backward-amount", "tx", "forward-amount"])
def test_every_export_works_with_every_filter(tron, demo_labels, world, theft, filters, suffix, tmp_path):
    source = world.cast["deposit_1" if filters.get("direction") == "backward" else "victim"]
    params = TraceParameters.from_mapping({k: theft if v == "THEFT" else v for k, v in filters.items()})
    result = trace(tron, source, params, labels=demo_labels)
    path = export_trace(result, tmp_path / f"t{suffix}")
    if suffix in (".gexf", ".graphml"):
        g = (nx.read_gexf if suffix == ".gexf" else nx.read_graphml)(path)
        assert g.number_of_edges() == len(result.edges)
    elif suffix == ".json":
        assert json.loads(path.read_text())["parameters"] == params.to_dict()
    else:
        assert len(path.read_text().splitlines()) == len(result.edges) + 1


def test_an_export_to_a_missing_folder_or_of_an_unknown_type_is_refused(theft_trace, tmp_path):
    with pytest.raises(BadParameters, match="does not exist"):
        export_trace(theft_trace, tmp_path / "nowhere" / "t.gexf")
    with pytest.raises(BadParameters, match="unknown file type"):
        export_trace(theft_trace, tmp_path / "t.png")


def test_an_encoder_failure_is_an_export_error(theft_trace, monkeypatch):
    def broken(_graph, _out):
        raise nx.NetworkXError("GEXF does not support this")

    monkeypatch.setattr(nx, "write_gexf", broken)
    with pytest.raises(ExportFailed, match=r"could not write the trace as \.gexf: GEXF does not support this"):
        trace_bytes(theft_trace, ".gexf")


def hostile_trace():
    """A trace whose imported texts are spreadsheet formulas and control characters."""
    from dataclasses import replace

    from tracing.labels import Label, LabelIndex
    from tracing.model import Chain
    from tracing.model.transfer import Asset
    from tracing.testing import make_table

    asset = Asset('=HYPERLINK("http://evil.example","x")', "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6)
    table = make_table([5.0, 3.0], times=[1, 2], senders=["S", "A"], receivers=["A", "B"], asset=asset)
    table = replace(table, tx_hash=table.tx_hash.astype(object))
    table.tx_hash[0] = "@SUM(1+1)"
    labels = LabelIndex([Label(Chain.TRON, "A", "Mule\x0b\x01 -cmd", "exchange", "test\x00")])
    return trace(table, "S", TraceParameters(model="poison"), labels=labels)


def test_csv_cells_are_never_spreadsheet_formulas():
    text = trace_bytes(hostile_trace(), ".csv").decode()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))  # a cell may hold \x0b, where splitlines() splits
    assert rows[0]["tx_hash"] == "'@SUM(1+1)" and rows[0]["to_entity"].startswith("Mule")
    assert {r["asset"] for r in rows} == {'\'=HYPERLINK("http://evil.example","x")'}
    cells = [v for r in rows for v in r.values()]
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cells)


@pytest.mark.parametrize("reader", [nx.read_graphml, nx.read_gexf])
def test_graph_files_stay_well_formed_with_control_characters(tmp_path, reader):
    suffix = ".graphml" if reader is nx.read_graphml else ".gexf"
    path = tmp_path / f"t{suffix}"
    hostile = hostile_trace()
    path.write_bytes(trace_bytes(hostile, suffix))
    g = reader(path)  # raised "not well-formed (invalid token)"
    assert g.number_of_edges() == len(hostile.edges) == 1  # the labelled exchange is an exit
    assert any("Mule" in str(v) for _, data in g.nodes(data=True) for v in data.values())
