"""Taint models on small graphs computed by hand, and the edge cases of time, cycles and zeros."""

import pytest

from tracing.flow import TraceParameters, trace
from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.testing import make_table


def received(result) -> dict[str, float]:
    return {str(a): float(r) for a, r in zip(result.addresses, result.received) if r > 0}


def mixing(stolen_first: bool):
    """V steals 3 into M, C pays M 7 clean; M then pays A 6 and B 4."""
    stolen, clean = (1, 2) if stolen_first else (2, 1)
    return make_table(
        [3, 7, 6, 4],
        times=[stolen, clean, 3, 4],
        senders=["V", "C", "M", "M"],
        receivers=["M", "M", "A", "B"],
    )


@pytest.mark.parametrize(
    ("model", "stolen_first", "to_a", "to_b"),
    [
        ("poison", False, 6.0, 4.0),  # any taint taints all
        ("haircut", False, 1.8, 1.2),  # 3/10 of each output
        ("fifo", False, 0.0, 3.0),  # the 7 clean arrived first and leave first
        ("poison", True, 6.0, 4.0),
        ("haircut", True, 1.8, 1.2),
        ("fifo", True, 3.0, 0.0),  # the stolen 3 arrived first and leave first
    ],
)
def test_three_stolen_seven_clean_split_by_model(model, stolen_first, to_a, to_b):
    table = mixing(stolen_first)
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[0]), model=model))
    got = received(result)
    assert got.get("A", 0.0) == pytest.approx(to_a)
    assert got.get("B", 0.0) == pytest.approx(to_b)
    assert got["M"] == pytest.approx(3.0)
    assert result.seed == pytest.approx(3.0)


def test_funds_that_left_before_they_arrived_are_not_traced():
    table = make_table([5, 5, 2], times=[10, 20, 30], senders=["M", "V", "M"], receivers=["EARLY", "M", "LATE"])
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[1]), model="poison"))
    assert "EARLY" not in received(result)
    assert received(result)["LATE"] == pytest.approx(2.0)


def test_a_cycle_ends_and_conserves_value():
    table = make_table(
        [10, 10, 10, 10],
        times=[1, 2, 3, 4],
        senders=["V", "A", "B", "A"],
        receivers=["A", "B", "A", "C"],
    )
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[0]), model="haircut"))
    got = received(result)
    assert got["A"] == pytest.approx(20.0)  # the same 10 came round twice
    assert got["C"] == pytest.approx(10.0)
    assert result.sent[result.position("A")] <= got["A"] + 1e-9


@pytest.mark.parametrize("model", ["poison", "haircut", "fifo"])
def test_a_self_transfer_keeps_the_funds_in_place(model):
    table = make_table([4, 4, 4], times=[1, 2, 3], senders=["V", "M", "M"], receivers=["M", "M", "X"])
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[0]), model=model))
    assert received(result)["X"] == pytest.approx(4.0)


def test_zero_amounts_carry_nothing_and_break_nothing():
    table = make_table([5, 0, 5], times=[1, 2, 3], senders=["V", "M", "M"], receivers=["M", "Z", "X"])
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[0]), model="haircut"))
    assert "Z" not in received(result)
    assert received(result)["X"] == pytest.approx(5.0)


def chain_of(n: int):
    names = [f"H{i}" for i in range(n + 1)]
    return make_table([1.0] * n, times=list(range(n)), senders=names[:-1], receivers=names[1:])


def test_the_hop_limit_stops_the_trace():
    result = trace(chain_of(5), "H0", TraceParameters(hops=2))
    assert set(received(result)) == {"H1", "H2"}
    assert dict(zip(result.addresses.tolist(), result.hop.tolist())) == {"H0": 0, "H1": 1, "H2": 2}


def test_min_amount_drops_small_traced_transfers():
    table = make_table([10, 9, 1], times=[1, 2, 3], senders=["V", "M", "M"], receivers=["M", "BIG", "DUST"])
    result = trace(table, "V", TraceParameters(tx=str(table.tx_hash[0]), min_amount=2))
    assert set(received(result)) == {"M", "BIG"}


def test_until_ends_the_window():
    table = make_table([10, 10], times=[1, 100], senders=["V", "M"], receivers=["M", "X"])
    result = trace(table, "V", TraceParameters(until=50))
    assert set(received(result)) == {"M"}


def test_an_exit_receives_but_never_passes_on():
    table = make_table([10, 10], times=[1, 2], senders=["V", "EX"], receivers=["EX", "Y"])
    labels = LabelIndex([Label(Chain.TRON, "EX", "Some Exchange", "exchange", "test")])
    result = trace(table, "V", labels=labels)
    assert [(e.address, e.label, e.amount) for e in result.exits] == [("EX", "Some Exchange", 10.0)]
    assert "Y" not in received(result)


def backward_case():
    return make_table([4, 6, 8, 3], times=[1, 2, 3, 4], senders=["S1", "S2", "M", "S3"], receivers=["M", "M", "T", "M"])


def test_backward_poison_finds_everyone_who_paid_in_before():
    got = received(trace(backward_case(), "T", TraceParameters(direction="backward", model="poison")))
    assert got == {"M": 8.0, "S1": 4.0, "S2": 6.0}  # S3 paid M after M paid T


@pytest.mark.parametrize(
    ("model", "from_s1", "from_s2"),
    [
        ("haircut", 8 * 4 / 10, 8 * 6 / 10),  # M held 4 + 6 when it paid 8: 40% of it came from S1
        ("fifo", 4.0, 4.0),  # the 8 paid took S1's 4 first, then 4 of S2's 6
    ],
)
def test_backward_models_attribute_a_payment_to_the_inflows_that_funded_it(model, from_s1, from_s2):
    got = received(trace(backward_case(), "T", TraceParameters(direction="backward", model=model)))
    assert got["M"] == pytest.approx(8.0)
    assert got["S1"] == pytest.approx(from_s1)
    assert got["S2"] == pytest.approx(from_s2)
    assert "S3" not in got


@pytest.mark.parametrize(("model", "from_s1", "from_s2"), [("haircut", 3.0, 3.0), ("fifo", 5.0, 1.0)])
def test_backward_accounts_for_what_was_spent_in_between(model, from_s1, from_s2):
    # M gets 10 from S1, pays X 5, gets 5 from S2, pays T 6. Haircut: M held 5 of S1's and 5 of S2's
    # when it paid T, so half each; FIFO: T's 6 took the rest of S1's lot (5), then 1 of S2's.
    table = make_table(
        [10, 5, 5, 6], times=[1, 2, 3, 4], senders=["S1", "M", "S2", "M"], receivers=["M", "X", "M", "T"]
    )
    got = received(trace(table, "T", TraceParameters(direction="backward", model=model)))
    assert (got["S1"], got["S2"]) == (pytest.approx(from_s1), pytest.approx(from_s2))


def test_backward_forgets_inflows_spent_before_the_payment():
    # S1's 5 left M entirely (to X) before S2's 5 arrived and M paid T.
    table = make_table([5, 5, 5, 5], times=[1, 2, 3, 4], senders=["S1", "M", "S2", "M"], receivers=["M", "X", "M", "T"])
    for model in ("haircut", "fifo"):
        got = received(trace(table, "T", TraceParameters(direction="backward", model=model)))
        assert got == {"M": 5.0, "S2": 5.0}, model


def test_a_seed_amount_at_a_time_is_traced_from_then():
    table = make_table([10, 5, 5], times=[1, 2, 3], senders=["X", "V", "V"], receivers=["V", "A", "B"])
    result = trace(table, "V", TraceParameters(amount=5, since=2, model="haircut"))
    assert received(result) == {"V": 5.0, "A": 2.5, "B": 2.5}  # 5 of V's 10 are traced: half of each payment


def test_fifo_counts_each_clean_payment_once_when_traced_funds_arrive_twice():
    # M holds 100 clean, then gets 10 and 10 traced from V; its one payment of 70 is all clean.
    table = make_table(
        [100, 10, 10, 70], times=[1, 2, 4, 5], senders=["C", "V", "V", "M"], receivers=["M", "M", "M", "A"]
    )
    got = received(trace(table, "V", TraceParameters(model="fifo")))
    assert got == {"M": 20.0}


HOLDING = make_table(
    [6, 6, 2, 4],
    times=[5, 10, 20, 30],
    senders=["R", "S", "A", "C"],
    receivers=["S", "A", "Z", "A"],
)
"""R pays S 6; S pays A 6; A pays Z 2; C pays A 4: at t=40 A holds 8 (4 of S's money, 4 of C's)."""


@pytest.mark.parametrize(
    ("model", "amount", "expected"),
    [
        ("haircut", 8, {"S": 4.0, "C": 4.0, "R": 4.0}),  # all of A's balance: what is left of each inflow
        ("haircut", 4, {"S": 2.0, "C": 2.0, "R": 2.0}),  # half of it: half of each
        ("fifo", 8, {"S": 4.0, "C": 4.0, "R": 4.0}),  # the queue after Z took the first 2 of S's 6
        ("fifo", 4, {"C": 4.0}),  # the last 4 in: C's
        ("fifo", 20, {"S": 4.0, "C": 4.0, "R": 4.0}),  # beyond the balance, funds are unknown
        ("poison", 4, {"S": 6.0, "C": 4.0, "R": 6.0}),  # every earlier inflow, in full
    ],
)
def test_backward_from_an_amount_held_splits_by_model(model, amount, expected):
    found = trace(HOLDING, "A", TraceParameters(direction="backward", model=model, amount=amount, until=40))
    got = {str(a): round(float(x), 9) for a, x in zip(found.addresses, found.received) if str(a) != "A"}
    assert {k: v for k, v in got.items() if v > 0} == expected


def test_backward_from_a_holding_conserves_value():
    for model in ("haircut", "fifo"):
        found = trace(HOLDING, "A", TraceParameters(direction="backward", model=model, amount=8, until=40))
        first_hop = sum(float(x) for a, x, h in zip(found.addresses, found.received, found.hop) if h == 1)
        assert first_hop == pytest.approx(8.0)
