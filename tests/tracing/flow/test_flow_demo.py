"""The demo theft: from the victim through the mules to Demo Exchange, in memory and from the store."""

import pytest

from tracing.flow import TraceParameters, trace
from tracing.investigate import trace_stored
from tracing.sources import demo
from tracing.store import Store

# 5 x 46,000 USDT leave the thief; each of the 3 mules keeps 1 USDT: 5 x 45,997 reach the deposits.
REACHING_DEPOSITS = demo.MULE_CHAINS * (46_000 - demo.MULES_PER_CHAIN)


def deposits(world) -> set[str]:
    return {world.cast[f"deposit_{k + 1}"] for k in range(demo.MULE_CHAINS)}


def test_the_theft_reaches_the_five_deposit_addresses_in_full_under_poison(world, tron, demo_labels, theft):
    result = trace(tron, world.cast["victim"], TraceParameters(tx=theft, model="poison"), labels=demo_labels)
    assert REACHING_DEPOSITS == 229_985
    assert {e.address for e in result.exits} == deposits(world)
    assert sum(e.amount for e in result.exits) == pytest.approx(REACHING_DEPOSITS)
    assert {e.label for e in result.exits} == {"Demo Exchange"}
    assert all(e.hop == 5 and len(e.transactions) == 1 for e in result.exits)
    assert world.cast["exchange_hot_wallet"] not in result.addresses  # the trace stops at the deposits
    assert result.received[result.position(demo.GARANTEX)] == pytest.approx(8_000)
    assert result.seed == pytest.approx(250_000)


@pytest.mark.parametrize("model", ["haircut", "fifo"])
def test_the_other_models_reach_the_same_exits_with_less(world, tron, demo_labels, theft, model):
    result = trace(tron, world.cast["victim"], TraceParameters(tx=theft, model=model), labels=demo_labels)
    total = sum(e.amount for e in result.exits)
    assert {e.address for e in result.exits} == deposits(world)
    assert 0.85 * REACHING_DEPOSITS < total < REACHING_DEPOSITS  # the thief's older funds dilute the loot
    for address, got, sent in zip(result.addresses, result.received, result.sent):
        if address != world.cast["victim"]:
            assert sent <= got + 1e-6


def test_haircut_passes_on_the_stolen_share_of_the_thiefs_balance(world, tron, demo_labels, theft):
    thief = world.cast["thief"]
    usdt = (tron.asset == tron.asset[tron.tx_hash == theft][0]) & (tron.timestamp < demo.THEFT_TIME)
    before = tron.value[usdt & (tron.receiver == thief)].sum() - tron.value[usdt & (tron.sender == thief)].sum()
    result = trace(tron, world.cast["victim"], TraceParameters(tx=theft, model="haircut"), labels=demo_labels)
    mule = result.position(world.cast["mule_1_1"])
    assert before > 0
    assert result.received[mule] == pytest.approx(46_000 * 250_000 / (250_000 + before), rel=1e-9)


def test_the_stored_trace_gathers_what_the_in_memory_trace_sees(world, tron, demo_labels, theft, demo_url):
    params = TraceParameters(tx=theft, model="fifo")
    expected = trace(tron, world.cast["victim"], params, labels=demo_labels)
    store = Store(demo_url)
    try:
        stored = trace_stored(store, world.cast["victim"], params)
    finally:
        store.close()
    assert [(e.address, round(e.amount, 6)) for e in stored.exits] == [
        (e.address, round(e.amount, 6)) for e in expected.exits
    ]
    assert set(stored.addresses.tolist()) == set(expected.addresses.tolist())


def test_backward_from_a_deposit_finds_the_victim(world, tron, demo_labels):
    params = TraceParameters(direction="backward", model="poison", hops=5)
    result = trace(tron, world.cast["deposit_1"], params, labels=demo_labels)
    assert result.hop[result.position(world.cast["thief"])] == 4
    assert result.hop[result.position(world.cast["victim"])] == 5


@pytest.mark.parametrize("model", ["haircut", "fifo"])
def test_backward_from_a_deposit_gives_the_victim_what_forward_gave_the_deposit(world, tron, demo_labels, theft, model):
    victim, deposit = world.cast["victim"], world.cast["deposit_1"]
    ahead = trace(tron, victim, TraceParameters(tx=theft, model=model), labels=demo_labels)
    behind = trace(tron, deposit, TraceParameters(direction="backward", model=model, hops=5))
    assert behind.received[behind.position(victim)] == pytest.approx(ahead.received[ahead.position(deposit)])
