"""Exposure: direct and indirect shares by category and entity, the relation test's exposure mode, the rules."""

import pytest

from tracing.flow.exposure import direct_exposure, exposure, indirect_exposure, max_share
from tracing.investigate import gather
from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.store import Store
from tracing.testing import make_table

LABELS = LabelIndex(
    [
        Label(Chain.TRON, "EX", "Big Exchange", "exchange", "test"),
        Label(Chain.TRON, "MIX", "Blender", "mixer", "test"),
        Label(Chain.TRON, "BAD", "Bad Actor", "sanctioned", "test"),
    ]
)


def _world():
    # S receives 100 from BAD and 300 from W; sends 200 to M (a mule), 100 to EX; M sends 150 to MIX, 50 to W2
    return make_table(
        [100, 300, 200, 100, 150, 50],
        times=[0, 10, 20, 30, 40, 50],
        senders=["BAD", "W", "S", "S", "M", "M"],
        receivers=["S", "S", "M", "EX", "MIX", "W2"],
    )


def _category(doc, direction, category):
    (item,) = doc[direction]
    return next((c for c in item["categories"] if c["category"] == category), None)


def test_direct_exposure_is_the_share_of_value_with_labelled_counterparties():
    t = _world()
    doc = direct_exposure(t, "S", LABELS)
    assert _category(doc, "incoming", "sanctioned") == {"category": "sanctioned", "amount": 100.0, "share": 0.25}
    assert _category(doc, "outgoing", "exchange")["share"] == pytest.approx(1 / 3, abs=1e-6)
    assert _category(doc, "outgoing", "mixer") is None  # the mixer is two hops away
    (out,) = doc["outgoing"]
    assert out["asset"] == "USDT" and out["total"] == 300.0
    assert out["entities"][0] == {
        "name": "Big Exchange",
        "category": "exchange",
        "amount": 100.0,
        "share": pytest.approx(1 / 3, abs=1e-6),
        "addresses": ["EX"],
    }


def test_indirect_exposure_follows_the_haircut_model_through_hops():
    t = _world()
    doc = indirect_exposure(t, t, "S", LABELS, hops=3)
    # S's 300 out: 100 straight to EX; 200 to M, which passes 3/4 of what it holds (all of it S's) to MIX
    assert _category(doc, "outgoing", "mixer")["amount"] == pytest.approx(150.0)
    assert _category(doc, "outgoing", "mixer")["share"] == pytest.approx(0.5)
    assert _category(doc, "outgoing", "exchange")["amount"] == pytest.approx(100.0)
    assert _category(doc, "incoming", "sanctioned")["share"] == pytest.approx(0.25)
    one_hop = indirect_exposure(t, t, "S", LABELS, hops=1)
    assert _category(one_hop, "outgoing", "mixer") is None
    assert max_share({"indirect": doc}, ("mixer", "scam", "hack")) == (
        pytest.approx(0.5),
        {"direction": "outgoing", "asset": "USDT", "total": 300.0},
    )


def test_assets_are_never_added_together():
    from tracing.model.transfer import Asset

    trx = Asset("TRX", "native", 6)
    usdt = make_table([1]).assets[0]
    t = make_table([10, 1000], senders=["S", "S"], receivers=["EX", "W"], assets=[usdt, trx])
    doc = direct_exposure(t, "S", LABELS)
    shares = {item["asset"]: item["categories"] for item in doc["outgoing"]}
    assert shares == {"USDT": [{"category": "exchange", "amount": 10.0, "share": 1.0}], "TRX": []}


def test_the_relation_test_keeps_its_original_mode_and_gains_an_exposure_mode():
    t = _world()
    own = t.take((t.sender == "S") | (t.receiver == "S"))
    doc = exposure(own, "S", LABELS, backward=t, forward=t, hops=3)
    listed = score_tables("S", t, LABELS, Parameters(), exposure=doc).tests["relation"]
    assert listed.score == pytest.approx(25.0)  # 1 of 4 transfers with a listed address, as the original
    mode = score_tables("S", t, LABELS, Parameters(relation_mode="exposure"), exposure=doc).tests["relation"]
    assert mode.score == pytest.approx(25.0) and mode.evidence["exposure"]["direction"] == "incoming"
    assert mode.parameters["mode"] == "exposure" and "25.0% of its incoming USDT came from listed" in mode.explanation
    # without gathered flow the mode reads the direct shares
    assert score_tables("S", t, LABELS, Parameters(relation_mode="exposure")).tests["relation"].score == 25.0
    with pytest.raises(ValueError, match="relation_mode"):
        Parameters(relation_mode="vibes")


def test_exposure_rules_rate_money_that_mostly_reaches_a_mixer():
    t = _world()
    own = t.take((t.sender == "S") | (t.receiver == "S"))
    report = score_tables("S", t, LABELS, Parameters(), exposure=exposure(own, "S", LABELS, backward=t, forward=t))
    fired = {r.rule: r for r in report.risk.rules}
    assert fired["high_risk_exposure"].rating == "high"  # 50 % of its outflow reached the mixer in two hops
    assert fired["sanctioned_exposure"].rating == "medium"  # 25 % of its inflow came from a listed address
    assert report.to_dict()["exposure"]["hops"] == 5


def test_the_demo_thiefs_exposure_breakdown(demo_url, world):
    store = Store(demo_url)
    report = gather(store, world.cast["thief"]).score(Parameters())
    store.close()
    doc = report.to_dict()["exposure"]
    incoming = {e["name"]: e for item in doc["direct"]["incoming"] for e in item["entities"]}
    assert (
        incoming["Task Force Rusich"]["amount"] == 5000.0 and incoming["Task Force Rusich"]["category"] == "sanctioned"
    )
    (usdt_out,) = [item for item in doc["indirect"]["outgoing"] if item["asset"] == "USDT"]
    shares = {c["category"]: c["share"] for c in usdt_out["categories"]}
    # the five mule chains end at Demo Exchange deposit addresses four hops out; 8,000 went to Garantex
    assert shares["exchange"] > 0.85 and shares["sanctioned"] == pytest.approx(8000 / usdt_out["total"], rel=1e-3)


def test_gathering_around_an_address_goes_both_ways_and_stops_at_exits(store):
    from tracing.investigate.trace import gather_around

    # P -> Q -> S -> M -> EX -> Z ; S -> M is hop 1 ahead, Q -> S hop 1 behind
    t = make_table(
        [1, 2, 3, 4, 5],
        times=[0, 10, 20, 30, 40],
        senders=["P", "Q", "S", "M", "EX"],
        receivers=["Q", "S", "M", "EX", "Z"],
    )
    store.add_transfers(t, "test")
    got = gather_around(store, Chain.TRON, "S", 3, labels=LABELS)
    assert sorted(got.value.tolist()) == [1.0, 2.0, 3.0, 4.0]  # EX is an exit: what it pays on is not followed
    assert sorted(gather_around(store, Chain.TRON, "S", 1, labels=LABELS).value.tolist()) == [2.0, 3.0]
    assert len(gather_around(store, Chain.TRON, "S", 3, labels=LABELS, limit=2)) == 2  # the first hop only
