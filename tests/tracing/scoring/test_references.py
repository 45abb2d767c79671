"""The compiled passes against plain-Python definitions, on random tables with ties, two assets and zero amounts."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracing.labels import Label, LabelIndex
from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.params import Parameters
from tracing.scoring import hiding
from tracing.scoring.frequency import frequent_transfers
from tracing.scoring.hiding import bucket_width, pass_through_links
from tracing.scoring.kernels import value_keys
from tracing.scoring.relation import relation_to_listed
from tracing.scoring.values import zscores
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
        st.integers(0, 400) | st.integers(0, 3),  # seconds: often shared
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


def test_within_one_second_only_a_shared_transaction_forwards():
    filler = [(7_000 + k, k, "C", "D", 0, True) for k in range(10)]  # other seconds, before the pairs
    rows = [
        *filler,
        (1_000_000, 100, "A", "M", 1, True),  # M receives and forwards in one transaction
        (1_000_000, 100, "M", "B", 1, True),
        (500_000, 200, "A", "M", 1, True),  # the same second, but two transactions
        (500_000, 200, "M", "B", 2, True),
    ]
    table = _table(rows)
    links = pass_through_links(table, tolerance=0.01, window=13_000)
    assert (links.pred.tolist(), links.succ.tolist()) == reference_links(table, 0.01, 13_000)
    assert links.succ[10] == 11 and links.pred[11] == 10
    assert links.succ[12] == -1 and links.pred[13] == -1


def test_a_wash_trading_pair_links_only_what_came_from_outside():
    pairs = [(1_000_000, k, *(("A", "B") if k % 2 else ("B", "A")), 0, True) for k in range(1, 301)]
    table = _table([(1_000_000, 0, "C", "B", 0, True), *pairs])  # B also received from C, first
    links = pass_through_links(table, tolerance=0.01, window=200)
    assert (links.pred.tolist(), links.succ.tolist()) == reference_links(table, 0.01, 200)
    forwarded_c = [s for s in range(len(table)) if links.pred[s] == 0]
    assert forwarded_c and all(table.sender[s] == "B" and table.receiver[s] == "A" for s in forwarded_c)


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


@pytest.mark.parametrize(
    ("limit", "value"),
    [("_MAX_KEYS", 8), ("_LONGEST_SECOND", 1)],
    ids=["buckets wider than the tolerance", "every second's hashes read"],
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=transfers, tolerance=st.sampled_from([0.0, 0.01, 0.5]), window=st.sampled_from([0, 60, 13_000]))
def test_links_are_the_same_past_the_scratch_limits(limit, value, rows, tolerance, window):
    table = _table(rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hiding, limit, value)  # as with many assets, or with busy seconds
        links = pass_through_links(table, tolerance=tolerance, window=window)
    pred, succ = reference_links(table, tolerance, window)
    assert links.pred.tolist() == pred
    assert links.succ.tolist() == succ


@settings(max_examples=500, deadline=None)
@given(
    st.floats(1e-300, 1e300),
    st.floats(0, 1),
    st.sampled_from([0.0, 1e-9, 0.01, 0.02, 0.1, 0.5]),
    st.sampled_from([2**20, 64, 4]),
)
def test_a_forwarded_amount_keys_in_its_own_bucket_or_the_one_below(received, loss, tolerance, max_keys):
    sent = received * (1 - tolerance * loss)
    assume(received * (1 - tolerance) <= sent <= received)
    others = [1e-300, 1e300, 7.0]  # the value range, which sets the bucket width under a cap
    value = np.array([received, sent, *others])
    key, n_keys = value_keys(value, np.zeros(len(value), np.int16), 1, bucket_width(tolerance), max_keys)
    assert 0 <= key[0] - key[1] <= (1 if tolerance > 0 else 0)
    assert (key >= 0).all() and key.max() < n_keys - 1  # the spare top key stays empty


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transfers, st.sampled_from(NAMES), st.integers(1, 300), st.randoms(use_true_random=False))
def test_frequency_matches_consecutive_gaps_per_direction(rows, who, window, rnd):
    table = _table(rows)
    shuffled = table.take(np.array(rnd.sample(range(len(table)), len(table)), dtype=np.int64))
    result = frequent_transfers(shuffled, shuffled.code_of(who), Parameters(time_difference=window))
    involved, runs = set(), []
    for column in (shuffled.dst, shuffled.src):  # incoming, then outgoing
        mine = sorted(
            (int(shuffled.timestamp[r]), r) for r in range(len(shuffled)) if column[r] == shuffled.code_of(who)
        )
        run = mine[:1]
        for before, now in zip(mine, [*mine[1:], None]):
            if now is not None and now[0] - before[0] < window:
                run.append(now)
                continue
            if len(run) >= 2:
                involved.update(r for _, r in run)
                runs.append((len(run), run[0][0], run[-1][0]))
            run = [now]
    assert set(result.rows.tolist()) == involved
    assert result.evidence["burst_count"] == len(runs)
    listed = [(b["transfers"], b["start"], b["end"]) for b in result.evidence["bursts"]]
    assert sorted(listed, key=lambda b: (-b[0], b[1])) == listed and sorted(listed) == sorted(runs)


@settings(max_examples=200, deadline=None)
@given(transfers)
def test_zscores_match_each_assets_mean_and_deviation(rows):
    table = _table(rows)
    z = zscores(table)
    for a in range(len(table.assets)):
        x = table.value[table.asset == a]
        expected = (x - x.mean()) / x.std() if len(x) and x.std() > 1e-12 * max(abs(x.mean()), 1) else 0 * x
        assert np.allclose(z[table.asset == a], expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(transfers, st.sampled_from(NAMES), st.sets(st.sampled_from(NAMES)))
def test_direct_exposure_counts_each_transfer_with_a_listed_counterparty(rows, who, listed):
    table = _table(rows)
    labels = LabelIndex(Label(Chain.TRON, name, name, "sanctioned", "test") for name in listed)
    result = relation_to_listed(table, who, labels, Parameters())
    sender, receiver = table.sender, table.receiver
    direct = [
        r
        for r in range(len(table))
        if who in (sender[r], receiver[r]) and (receiver[r] if sender[r] == who else sender[r]) in listed - {who}
    ]
    assert result.rows.tolist() == direct
    by_party = {}
    for r in direct:
        party = receiver[r] if sender[r] == who else sender[r]
        by_party[party] = by_party.get(party, 0) + 1
    assert {c["address"]: c["transfers"] for c in result.evidence["direct"]} == by_party
