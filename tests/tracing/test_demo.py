"""The demo world: deterministic, valid, and the story it tells is found by the engine."""

import itertools

import numpy as np
import pytest

from tracing.investigate import score_address
from tracing.labels import LabelIndex
from tracing.labels.snapshot import snapshot_labels
from tracing.model import Chain, normalize_address
from tracing.sources import demo


@pytest.fixture(scope="module")
def world():
    return demo.build_demo()


@pytest.fixture
def demo_store(store):
    demo.load_demo(store)
    return store


def test_the_world_is_deterministic_and_large_enough(world):
    again = demo.build_demo()
    assert len(world) == len(again) > 5000
    for chain, table in world.tables.items():
        assert table.tx_hash.tolist() == again.tables[chain].tx_hash.tolist()
        assert [int(a) for a in table.amount] == [int(a) for a in again.tables[chain].amount]
    assert set(world.tables) == set(Chain)


def test_every_address_is_valid_on_its_chain(world):
    for chain, table in world.tables.items():
        for address in table.addresses:
            assert normalize_address(str(address), chain) == (chain, str(address))


def test_the_theft_and_the_mule_chains(world):
    tron = world.tables[Chain.TRON]
    cast = world.cast
    theft = tron.take((tron.sender == cast["victim"]) & (tron.receiver == cast["thief"]))
    assert [int(a) for a in theft.amount] == [250_000 * 10**6]
    for k in range(1, demo.MULE_CHAINS + 1):
        hops = [cast["thief"], cast[f"mule_{k}_1"], cast[f"mule_{k}_2"], cast[f"mule_{k}_3"], cast[f"deposit_{k}"]]
        rows = [np.flatnonzero((tron.sender == a) & (tron.receiver == b))[0] for a, b in itertools.pairwise(hops)]
        assert np.all(np.diff(tron.timestamp[rows]) > 0) and np.all(np.diff(tron.timestamp[rows]) < 13_000)
        assert [int(tron.amount[r]) // 10**6 for r in rows] == [46_000, 45_999, 45_998, 45_997]


def test_listed_counterparties_are_real_ofac_entries(world, shared_data):
    listed = (shared_data / "ofac" / "derived_sdn_digital_currency_addresses.csv").read_text()
    facts = [lb for lb in world.labels if lb.category == "sanctioned"]
    assert len(facts) == len(demo.OFAC_FACTS)
    for label in facts:
        assert label.address.lower() in listed.lower()


def test_the_thief_report_names_mules_and_origin(demo_store, world):
    report = score_address(demo_store, world.cast["thief"]).to_dict()
    hiding = report["tests"]["hiding"]
    assert hiding["evidence"]["chain_count"] == demo.MULE_CHAINS
    assert hiding["evidence"]["origins"] == [world.cast["thief"]]
    mules = {world.cast[f"mule_{k}_{h}"] for k in range(1, 6) for h in range(1, 4)}
    assert set(hiding["evidence"]["intermediaries"]) == mules
    assert report["tests"]["transfers"]["score"] > 50  # the scam bursts
    direct = {d["address"] for d in report["tests"]["relation"]["evidence"]["direct"]}
    assert direct == {demo.GARANTEX, demo.RUSICH}


def test_each_listed_counterparty_is_named_once_by_the_shipped_list(demo_store, world):
    """The demo's OFAC facts duplicate the shipped snapshot: the list wins, the demo keeps what it lacks."""
    stored = [lb for lb in demo_store.stored_labels() if lb.category == "sanctioned"]
    assert stored == []  # the snapshot holds every fact
    report = score_address(demo_store, world.cast["thief"]).to_dict()
    for party in report["tests"]["relation"]["evidence"]["direct"]:
        assert [lb["source"] for lb in party["listings"]] == ["OFAC SDN"], party["address"]
    names = {
        party["address"]: party["listings"][0]["name"] for party in report["tests"]["relation"]["evidence"]["direct"]
    }
    assert names[demo.GARANTEX].startswith("GARANTEX EUROPE OU") and names[demo.RUSICH] == "Task Force Rusich"


def test_demo_facts_the_list_lacks_are_kept(world):
    lacking = LabelIndex([lb for lb in snapshot_labels() if lb.address != demo.GARANTEX])
    kept = [lb for lb in demo.labels_to_store(world.labels, lacking) if lb.category == "sanctioned"]
    assert [(lb.address, lb.source) for lb in kept] == [(demo.GARANTEX, demo.DEMO_FACTS)]
    assert len(demo.labels_to_store(world.labels, LabelIndex())) == len(world.labels)  # no list: every fact


def test_a_mule_is_traced_back_to_the_thief(demo_store, world):
    report = score_address(demo_store, world.cast["mule_2_2"]).to_dict()
    chain = report["tests"]["hiding"]["evidence"]["chains"][0]
    assert report["tests"]["hiding"]["score"] == 100.0
    assert chain["origin"] == world.cast["thief"] and chain["destination"] == world.cast["deposit_2"]


def test_ordinary_wallets_look_ordinary(demo_store, world):
    scores = [score_address(demo_store, world.cast[f"wallet_{i}"]).final_score for i in range(10, 20)]
    assert max(scores) < 15


def test_ensure_demo_loads_once(store):
    assert demo.ensure_demo(store) is True
    count = store.count_transfers()
    assert demo.ensure_demo(store) is False
    demo.load_demo(store)  # a reload replaces, never duplicates
    assert store.count_transfers() == count


def test_dealing_with_a_wallet_that_paid_a_listed_address_is_indirect_exposure(demo_store, world):
    tron, payer = world.tables[Chain.TRON], world.cast["wallet_7"]
    peers = set(tron.receiver[tron.sender == payer]) | set(tron.sender[tron.receiver == payer])
    peer = sorted(str(p) for p in peers if str(p).startswith("T") and p not in (demo.WANG, payer))[0]
    relation = score_address(demo_store, peer).to_dict()["tests"]["relation"]
    assert relation["score"] == 0.0
    assert {"via": payer, "listed": [demo.WANG], "transfers": 1} in relation["evidence"]["indirect"]
