"""Sanctioned and high-risk addresses a trace reaches are results: in the summary, the grouped table, the CLI
text and its JSON (issue #10 item 4)."""

import json

import pytest

from tracing.cli import main
from tracing.flow import TraceParameters, trace
from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.sources import demo
from tracing.testing import make_table


def test_the_thiefs_payment_to_garantex_is_a_sanctioned_destination(tron, demo_labels, world, theft):
    result = trace(tron, world.cast["victim"], TraceParameters(tx=theft, model="poison"), labels=demo_labels)
    sanctioned = result.destinations["sanctioned"]
    assert [(e.address, e.amount, e.hop, e.label) for e in sanctioned] == [
        (demo.GARANTEX, pytest.approx(8_000), 2, "GARANTEX EUROPE OU")
    ]
    assert list(result.destinations) == ["exchange", "sanctioned"]  # freeze requests first
    summary = result.summary()
    assert summary["sanctioned"] == {"count": 1, "amount": pytest.approx(8_000), "share": pytest.approx(0.032)}
    assert summary["exits"]["amount"] == pytest.approx(229_985)
    doc = result.to_dict()
    assert doc["destinations"]["sanctioned"][0]["address"] == demo.GARANTEX
    assert doc["destinations"]["sanctioned"][0]["group"] == "sanctioned"


def test_groups_follow_the_labels_and_sanctions_come_first():
    labels = LabelIndex(
        [
            Label(Chain.TRON, "EX", "Listed Exchange", "exchange", "tags"),
            Label(Chain.TRON, "EX", "Listed Exchange", "sanctioned", "OFAC"),
            Label(Chain.TRON, "MIX", "Mixer", "mixer", "tags"),
            Label(Chain.TRON, "HACK", "Hacker", "hack", "tags"),
            Label(Chain.TRON, "OK", "Exchange", "exchange", "tags"),
        ]
    )
    table = make_table(
        [10, 1, 2, 3, 4],
        times=[1, 2, 3, 4, 5],
        senders=["V", "T", "T", "T", "T"],
        receivers=["T", "EX", "MIX", "HACK", "OK"],
    )
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[0]), model="poison"), labels=labels)
    found = {g: [e.address for e in items] for g, items in result.destinations.items()}
    assert found == {"exchange": ["OK"], "sanctioned": ["EX"], "mixer": ["MIX"], "high_risk": ["HACK"]}
    assert {e.address for e in result.exits} == {"EX", "MIX", "OK"}  # where the trace stops


def run(capsys, url, *argv):
    status = main(["--database", url, *argv])
    return status, capsys.readouterr().out


def test_the_cli_lists_sanctioned_destinations_in_text_and_json(capsys, demo_url, world, theft):
    status, out = run(capsys, demo_url, "trace", world.cast["victim"], "--tx", theft, "--model", "poison")
    assert status == 0
    section = out[out.index("Sanctioned: 1, 8,000.00 USDT (3.2% of the seed)") :]
    assert demo.GARANTEX in section.splitlines()[1] and "hop 2" in section.splitlines()[1]
    assert out.index("Exchanges (freeze requests): 5") < out.index("Sanctioned: 1") < out.index("Addresses reached")
    status, out = run(capsys, demo_url, "trace", world.cast["victim"], "--tx", theft, "--model", "poison", "--json")
    doc = json.loads(out)
    assert [e["address"] for e in doc["destinations"]["sanctioned"]] == [demo.GARANTEX]
    assert doc["summary"]["sanctioned"]["amount"] == pytest.approx(8_000)


def test_backward_the_exchanges_are_where_the_funds_came_from_and_poison_says_it_is_a_bound(capsys, demo_url, world):
    deposit = world.cast["deposit_1"]
    args = ("--direction", "backward", "--amount", "45997", "--until", "2025-07-29T12:00")
    status, out = run(capsys, demo_url, "trace", deposit, *args, "--model", "poison")
    assert status == 0
    assert "Exchanges the funds came from (account holder requests): 1" in out
    assert "Sanctioned: 1, 5,000.00 USDT" in out and demo.RUSICH in out  # Task Force Rusich paid the thief
    assert "amounts are upper bounds" in out
    status, out = run(capsys, demo_url, "trace", deposit, *args)
    assert "upper bounds" not in out and "(96.0% of the seed)" in out
