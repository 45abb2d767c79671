"""Invariants of every trace on random graphs: conservation, time order, poison as the upper bound."""

from unittest.mock import patch

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracing.flow import TraceParameters, trace
from tracing.flow.taint import Propagation
from tracing.testing import make_table

NAMES = ["A", "B", "C", "D", "E", "F"]

transfers = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.integers(0, 50),  # time
        st.integers(0, 1000).map(lambda cents: cents / 100),
    ),
    min_size=1,
    max_size=40,
)


def table_of(rows):
    senders, receivers, times, values = zip(*rows)
    return make_table(list(values), times=list(times), senders=list(senders), receivers=list(receivers))


@settings(max_examples=150, deadline=None)
@given(rows=transfers, model=st.sampled_from(["haircut", "fifo"]), direction=st.sampled_from(["forward", "backward"]))
def test_no_address_passes_on_more_than_it_received(rows, model, direction):
    assume(rows[0][0] != rows[0][1])  # a self-transfer moves nothing: no seed
    table = table_of(rows)
    source = str(table.sender[0])
    result = trace(table, source, TraceParameters(tx=str(table.tx_hash[0]), model=model, direction=direction))
    for address, got, sent in zip(result.addresses, result.received, result.sent):
        if address != source:
            assert sent <= got + 1e-6
    assert (result.traced <= result.edges.value + 1e-9).all()


@settings(max_examples=150, deadline=None)
@given(rows=transfers, model=st.sampled_from(["poison", "haircut", "fifo"]))
def test_traced_funds_leave_an_address_only_after_they_arrived(rows, model):
    table = table_of(rows)
    source = str(table.sender[0])
    result = trace(table, source, TraceParameters(model=model))
    first = dict(zip(result.addresses.tolist(), result.first.tolist()))
    for sender, when in zip(result.edges.sender.tolist(), result.edges.timestamp.tolist()):
        if sender != source:
            assert first[sender] <= when


@settings(max_examples=100, deadline=None)
@given(rows=transfers)
def test_poison_reaches_every_address_the_other_models_reach(rows):
    table = table_of(rows)
    source = str(table.sender[0])
    reached = {}
    for model in ("poison", "haircut", "fifo"):
        result = trace(table, source, TraceParameters(model=model, hops=3))
        reached[model] = dict(zip(result.addresses[result.received > 0].tolist(), result.received[result.received > 0]))
    for model in ("haircut", "fifo"):
        assert set(reached[model]) <= set(reached["poison"])
        for address, amount in reached[model].items():
            assert amount <= reached["poison"][address] + 1e-6


def test_the_random_graphs_are_not_all_trivial():
    table = table_of([("A", "B", 1, 5.0), ("B", "C", 2, 5.0), ("C", "A", 3, 5.0)])
    assert np.isclose(trace(table, "A", TraceParameters(model="fifo")).received.sum(), 15.0)


@settings(max_examples=100, deadline=None)
@given(rows=transfers)
def test_skipping_clean_outflows_under_fifo_changes_no_result(rows):
    assume(rows[0][0] != rows[0][1])  # a self-transfer moves nothing: no seed
    table = table_of(rows)
    params = TraceParameters(tx=str(table.tx_hash[0]), model="fifo")
    fast = trace(table, str(table.sender[0]), params)
    with patch.object(Propagation, "_skip_clean", lambda self, u, k: k):
        slow = trace(table, str(table.sender[0]), params)
    assert fast.addresses.tolist() == slow.addresses.tolist()
    np.testing.assert_allclose(fast.received, slow.received, atol=1e-9)
