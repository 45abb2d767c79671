"""Pass-through linking against a brute-force reference that checks every pair of transfers."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.scoring import hiding
from tracing.scoring.hiding import pass_through_links
from tracing.testing import USDT_TRON

USDC = Asset("USDC", "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", 6)
NAMES = ["A", "B", "C", "D"]


def reference_links(table: TransferTable, tolerance: float, window: int) -> tuple[list[int], list[int]]:
    """The definition, pair by pair: ``succ[r]`` the earliest row forwarding ``r``, ``pred[s]`` the latest forwarded."""
    n = len(table)
    pred, succ = [-1] * n, [-1] * n
    v, t = table.value, table.timestamp
    for r in range(n):
        for s in range(r + 1, n):
            forwards = (
                v[r] > 0
                and v[s] > 0
                and table.asset[s] == table.asset[r]
                and table.src[s] == table.dst[r]
                and table.dst[s] != table.src[r]
                and t[s] - t[r] <= window
                and v[r] * (1 - tolerance) <= v[s] <= v[r]
                and (t[s] > t[r] or table.tx_hash[s] == table.tx_hash[r])
            )
            if forwards:
                succ[r] = s if succ[r] < 0 else succ[r]
                pred[s] = r
    return pred, succ


transfers = st.lists(
    st.tuples(
        st.sampled_from([0, 100, 99, 98_500_000, 1_000_000, 1]) | st.integers(0, 10**9),  # base units
        st.integers(0, 400),  # seconds
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.integers(0, 3),  # transaction: rows of one second may share it
        st.booleans(),  # USDT or USDC
    ).filter(lambda r: r[2] != r[3]),
    max_size=40,
)


def _table(rows) -> TransferTable:
    return TransferTable.from_columns(
        Chain.TRON,
        tx_hash=[f"{r[1]:060d}{r[4]:04d}" for r in rows],
        index=list(range(len(rows))),
        block=[r[1] // 3 for r in rows],
        timestamp=[1_700_000_000 + r[1] for r in rows],
        sender=[r[2] for r in rows],
        receiver=[r[3] for r in rows],
        asset=[USDT_TRON if r[5] else USDC for r in rows],
        amount=[r[0] for r in rows],
    ).sorted()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transfers, st.sampled_from([0.0, 0.01, 0.02, 0.5]), st.sampled_from([0, 1, 60, 200, 13_000]))
def test_links_match_the_pairwise_definition(rows, tolerance, window):
    table = _table(rows)
    links = pass_through_links(table, tolerance=tolerance, window=window)
    pred, succ = reference_links(table, tolerance, window)
    assert links.pred.tolist() == pred
    assert links.succ.tolist() == succ


def test_a_hub_forwarding_many_equal_amounts_links_each_to_the_next_departure():
    n = 2_000  # the hub receives 100 USDT every minute and forwards each 30 s later
    times = np.repeat(np.arange(n) * 60, 2) + np.tile([0, 30], n)
    rows = [
        (100_000_000, int(s), *(("A", "HUB") if k % 2 == 0 else ("HUB", "B")), 0, True) for k, s in enumerate(times)
    ]
    table = _table(rows)
    links = pass_through_links(table, tolerance=0.01, window=13_000)
    arrivals = np.arange(0, 2 * n, 2)
    assert (links.succ[arrivals] == arrivals + 1).all()
    assert (links.pred[arrivals + 1] == arrivals).all()  # each departure forwards the latest arrival before it


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transfers, st.sampled_from([0.0, 0.01, 0.5]), st.sampled_from([0, 60, 13_000]))
def test_links_are_the_same_when_packed_keys_would_overflow(rows, tolerance, window):
    table = _table(rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hiding, "_KEY_BITS", 0)  # forces the dense renumbering used for very large tables
        links = pass_through_links(table, tolerance=tolerance, window=window)
    pred, succ = reference_links(table, tolerance, window)
    assert links.pred.tolist() == pred
    assert links.succ.tolist() == succ
