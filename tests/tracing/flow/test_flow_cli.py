"""``python -m tracing trace`` and ``path`` on a store holding the demo world."""

import json

import networkx as nx
import pytest

from tracing.cli import main


def run(capsys, url, *argv):
    status = main(["--database", url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_trace_json_lists_the_exits_of_the_theft(capsys, demo_url, world, theft):
    status, out, _ = run(capsys, demo_url, "trace", world.cast["victim"], "--tx", theft, "--model", "poison", "--json")
    doc = json.loads(out)
    assert status == 0
    assert set(doc) >= {"source", "parameters", "addresses", "exits", "edges"}
    assert doc["parameters"]["model"] == "poison"
    assert sum(e["amount"] for e in doc["exits"]) == pytest.approx(229_985)
    assert {e["label"] for e in doc["exits"]} == {"Demo Exchange"}


def test_trace_text_puts_the_exits_first_and_the_model_changes_the_amounts(capsys, demo_url, world, theft):
    outputs = {}
    for model in ("poison", "haircut"):
        status, out, _ = run(capsys, demo_url, "trace", world.cast["victim"], "--tx", theft, "--model", model)
        assert status == 0
        outputs[model] = out
    assert outputs["poison"].index("Exits reached: 5") < outputs["poison"].index("Addresses reached")
    assert "229,985.00 USDT" in outputs["poison"]
    assert "229,985.00 USDT" not in outputs["haircut"]
    assert world.cast["deposit_1"] in outputs["haircut"]


def test_trace_exports_gexf(capsys, demo_url, world, theft, tmp_path):
    target = tmp_path / "theft.gexf"
    status, _, err = run(capsys, demo_url, "trace", world.cast["victim"], "--tx", theft, "--export", str(target))
    assert status == 0 and "theft.gexf" in err
    assert world.cast["deposit_3"] in nx.read_gexf(target)


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["trace", "Tnot-an-address"], 2, "error:"),
        (["trace", "{victim}", "--hops", "0"], 2, "hops"),
        (["trace", "{victim}", "--since", "soon"], 2, "since"),
        (["trace", "{victim}", "--tx", "00ff"], 2, "tx"),
        (["trace", "{victim}", "--export", "out.xlsx"], 2, "export"),
        (["trace", "{nobody}"], 1, "no transfers are stored"),
        (["path", "{victim}", "{nobody}"], 1, "no stored flow"),
    ],
)
def test_bad_input_is_one_line_on_stderr(capsys, demo_url, world, argv, status, message):
    names = {"victim": world.cast["victim"], "nobody": "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"}
    got, out, err = run(capsys, demo_url, *[a.format(**names) for a in argv])
    assert got == status
    assert message in err and err.count("\n") == 1
    assert out == ""


def test_path_shows_the_mule_chain(capsys, demo_url, world):
    cast = world.cast
    status, out, _ = run(capsys, demo_url, "path", cast["victim"], cast["deposit_2"], "--json")
    best = json.loads(out)["paths"][0]
    assert status == 0
    assert best["addresses"][2:5] == [cast["mule_2_1"], cast["mule_2_2"], cast["mule_2_3"]]
    assert best["amount"] == pytest.approx(45_997)


def test_trace_exports_with_an_asset_filter(capsys, demo_url, world, tmp_path):
    for name in ("t.gexf", "t.graphml"):
        target = tmp_path / name
        status, _, err = run(
            capsys, demo_url, "trace", world.cast["victim"], "--asset", "USDT", "--export", str(target)
        )
        assert status == 0 and name in err
    graph = nx.read_graphml(target)
    assert graph.graph["asset"] == "USDT" and graph.graph["source"] == world.cast["victim"]


def test_trace_export_to_a_missing_folder_is_one_line_before_tracing(capsys, demo_url, world, tmp_path):
    status, out, err = run(capsys, demo_url, "trace", world.cast["victim"], "--export", str(tmp_path / "no" / "t.csv"))
    assert status == 2 and out == ""
    assert err.startswith("error: export: the folder") and err.count("\n") == 1
