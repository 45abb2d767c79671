"""The four tests on small tables computed by hand, and their edge cases."""

import numpy as np
import pytest

from tracing.labels import Label, LabelIndex
from tracing.model import Chain
from tracing.model.transfer import Asset
from tracing.params import Parameters
from tracing.scoring import danger_score, score_tables
from tracing.scoring.frequency import frequent_transfers
from tracing.scoring.hiding import hiding_through_intermediaries, pass_through_links
from tracing.scoring.relation import relation_to_listed
from tracing.scoring.values import unusual_values, zscores
from tracing.testing import USDT_TRON, make_table

P = Parameters()
T0 = 1_700_000_000


# -- value --------------------------------------------------------------------------------
def test_one_outlier_among_equal_amounts_is_flagged():
    table = make_table([10] * 19 + [1000])
    result = unusual_values(table, P)
    assert result.score == pytest.approx(5.0)
    assert result.rows.tolist() == [19]
    assert result.evidence["transfers"][0]["amount"] == "1000"
    assert result.evidence["transfers"][0]["z"] == pytest.approx(np.sqrt(19), rel=1e-3)


@pytest.mark.parametrize("values", [[], [5.0], [7.0] * 40, [0.1] * 3])  # 0.1 * 3: the mean is a hair above 0.1
def test_empty_single_and_constant_histories_score_zero_without_nan(values):
    for method in ("zscore", "robust"):
        result = unusual_values(make_table(values), P.with_(value_method=method))
        assert result.score == 0.0 and result.explanation
        z = zscores(make_table(values), method)
        assert not np.isnan(z).any() and not np.signbit(z).any()  # no -0.0 in the evidence either


def test_amounts_of_different_assets_are_not_compared():
    usdc = Asset("USDC", "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", 6)
    # Small USDT amounts and large USDC amounts: each is ordinary within its asset.
    table = make_table([10, 11, 9, 10] * 5 + [1e6, 1.1e6, 0.9e6, 1e6] * 5, assets=[USDT_TRON] * 20 + [usdc] * 20)
    assert unusual_values(table, P).score == 0.0
    pooled = make_table([10, 11, 9, 10] * 5 + [1e6, 1.1e6, 0.9e6, 1e6] * 5)
    assert np.abs(zscores(table)).max() < 1.5
    assert (zscores(pooled)[:20] < -0.9).all()  # pooled, every small amount would sit a sigma below the mean


def test_robust_method_resists_heavy_tails():
    rng = np.random.default_rng(3)
    values = [*list(rng.lognormal(5, 1, 500)), 1000000000.0]
    z, zr = zscores(make_table(values)), zscores(make_table(values), "robust")
    assert np.count_nonzero(z >= 3) == 1  # the mean/std test sees only the giant
    assert zr[-1] > 10 and np.count_nonzero(zr >= 3) >= 1


def test_amounts_above_two_to_the_64():
    wei = Asset("ETH", "native", 18)
    table = make_table([1.0] * 15 + [5000.0], asset=wei)
    assert int(table.amount[-1]) == 5000 * 10**18 > 2**64
    assert unusual_values(table, P).rows.tolist() == [15]


# -- transfers ----------------------------------------------------------------------------
def test_frequency_counts_per_direction():
    # Outgoing at 0, 100, 200 (a burst of 3); incoming at 50 and 20,000 (apart).
    times = [T0, T0 + 100, T0 + 200, T0 + 50, T0 + 20_000]
    senders = ["A", "A", "A", "B", "B"]
    receivers = ["B", "B", "B", "A", "A"]
    table = make_table([1] * 5, times=times, senders=senders, receivers=receivers)
    result = frequent_transfers(table, table.code_of("A"), P)
    assert result.score == pytest.approx(60.0)
    assert result.evidence["bursts"] == [
        {"direction": "out", "transfers": 3, "start": T0, "end": T0 + 200, "volume": {"USDT": 3.0}}
    ]


def test_burst_volume_is_given_per_asset():
    trx = Asset("TRX", "native", 6)
    table = make_table([5, 7, 100], times=[T0, T0 + 60, T0 + 120], assets=[USDT_TRON, USDT_TRON, trx])
    burst = frequent_transfers(table, table.code_of("X"), P).evidence["bursts"][0]
    assert burst["transfers"] == 3 and burst["volume"] == {"USDT": 12.0, "TRX": 100.0}


def test_frequency_does_not_depend_on_input_order():
    rng = np.random.default_rng(11)
    times = list(T0 + rng.integers(0, 200_000, 60))
    senders = list(rng.choice(["A", "B"], 60))
    receivers = ["B" if s == "A" else "A" for s in senders]
    table = make_table(list(rng.uniform(1, 9, 60)), times=times, senders=senders, receivers=receivers)
    expected = frequent_transfers(table, table.code_of("A"), P)
    for _ in range(5):
        shuffled = table.take(rng.permutation(60))
        got = frequent_transfers(shuffled, shuffled.code_of("A"), P)
        assert got.score == expected.score and got.evidence == expected.evidence


def test_gap_equal_to_the_window_is_not_frequent():
    table = make_table([1, 1], times=[T0, T0 + 13000])
    assert frequent_transfers(table, table.code_of("X"), P).score == 0.0


# -- hiding -------------------------------------------------------------------------------
def _chain_table(amounts, gaps, names=("O", "M1", "M2", "D")):
    times = [T0 + sum(gaps[:i]) for i in range(len(amounts))]
    return make_table(amounts, times=times, senders=list(names[:-1]), receivers=list(names[1:]))


def test_a_two_mule_chain_is_followed_back_to_its_origin():
    table = _chain_table([1000, 999, 998], [300, 300]).sorted()
    result = hiding_through_intermediaries(table, "M2", P)
    assert result.score == 100.0
    chain = result.evidence["chains"][0]
    assert chain["origin"] == "O" and chain["intermediaries"] == ["M1", "M2"] and chain["destination"] == "D"
    assert (chain["amount_sent"], chain["amount_arrived"]) == ("1000", "998")
    links = pass_through_links(table, tolerance=0.01, window=13000)
    assert links.pred.tolist() == [-1, 0, 1] and links.succ.tolist() == [1, 2, -1]


@pytest.mark.parametrize(
    ("amounts", "gaps", "why"),
    [
        ([1000, 900], [300], "amount changed by more than the tolerance"),
        ([1000, 1000], [13_001], "left after the window"),
        ([1000, 1000], [0], "same second, different transactions"),
        ([0, 0], [60], "zero amounts (address poisoning)"),
    ],
)
def test_no_pass_through(amounts, gaps, why):
    table = _chain_table(amounts, gaps, names=("O", "M", "D")).sorted()
    assert hiding_through_intermediaries(table, "M", P).score == 0.0, why


def test_funds_sent_back_to_their_sender_are_not_hidden():
    table = make_table([500, 500], times=[T0, T0 + 60], senders=["A", "M"], receivers=["M", "A"])
    assert hiding_through_intermediaries(table.sorted(), "M", P).score == 0.0


def test_a_departure_before_the_arrival_is_not_a_pass_through():
    table = make_table([500, 500], times=[T0 + 60, T0], senders=["A", "M"], receivers=["M", "B"])
    assert hiding_through_intermediaries(table.sorted(), "M", P).score == 0.0


def test_long_chains_are_cut_at_max_hops_and_say_so():
    names = [f"N{i}" for i in range(8)]
    table = _chain_table([100.0] * 7, [60] * 6, names=names).sorted()
    result = hiding_through_intermediaries(table, "N0", P.with_(hiding_max_hops=3))
    assert result.evidence["chains"][0]["truncated"] is True
    full = hiding_through_intermediaries(table, "N0", P)
    assert full.evidence["chains"][0]["intermediaries"] == names[1:-1]


# -- relation -----------------------------------------------------------------------------
LISTED = LabelIndex([Label(Chain.TRON, "BAD", "Bad Actor", "sanctioned", "test list")])


def test_a_listed_address_scores_100():
    table = make_table([1, 2], senders=["BAD", "BAD"], receivers=["Y", "Y"])
    result = relation_to_listed(table, "BAD", LISTED, P)
    assert result.score == 100.0 and result.evidence["listed"] is True


def test_direct_exposure_is_the_share_of_transfers_with_listed_counterparties():
    table = make_table([1, 2, 3, 4], senders=["A", "BAD", "A", "C"], receivers=["B", "A", "C", "A"])
    result = relation_to_listed(table, "A", LISTED, P)
    assert result.score == 25.0
    assert result.evidence["direct"][0]["address"] == "BAD" and result.evidence["direct"][0]["volume"] == {"USDT": 2.0}


def test_indirect_exposure_is_reported_but_not_scored():
    own = make_table([1], senders=["A"], receivers=["C"])
    second = make_table([5], senders=["C"], receivers=["BAD"])
    result = relation_to_listed(own, "A", LISTED, P, second_hop=second)
    assert result.score == 0.0
    assert result.evidence["indirect"][0]["via"] == "C" and result.evidence["indirect"][0]["listed"] == ["BAD"]


# -- danger score ---------------------------------------------------------------------------
def test_danger_score_is_the_weighted_mean():
    table = make_table([10] * 19 + [1000], senders=["A"] * 20, receivers=["B"] * 20)
    report = score_tables("A", table, LabelIndex(), P)
    scores = {k: t.score for k, t in report.tests.items()}
    weights = P.coefficients
    assert report.final_score == pytest.approx(sum(scores[k] * weights[k] for k in scores) / sum(weights.values()))
    only_value = P.with_(value_coefficient=1, transfers_coefficient=0, hiding_coefficient=0, relation_coefficient=0)
    assert score_tables("A", table, LabelIndex(), only_value).final_score == pytest.approx(scores["value"])


def test_an_address_with_no_transfers_scores_zero_everywhere():
    report = score_tables("Q", make_table([1], senders=["A"], receivers=["B"]), LabelIndex(), P)
    assert report.final_score == 0.0 and report.to_dict()["transfers_analysed"] == 0


def test_all_zero_coefficients_are_refused():
    from tracing.errors import BadParameters

    with pytest.raises(BadParameters, match="coefficients"):
        danger_score({"value": 50.0}, {"value": 0.0})


def test_one_huge_transfer_among_ordinary_ones_is_flagged():
    """The variance of 1e200 overflowed: the test scored 0 and flagged nothing."""
    from tracing.scoring.values import unusual_values

    values = [100.0 + k for k in range(30)] + [1e200]
    result = unusual_values(make_table(values), Parameters())
    assert result.evidence["flagged_count"] == 1
    assert result.score == pytest.approx(100 / 31)
    assert np.isfinite(zscores(make_table(values))).all()


def test_explanations_write_counts_with_thousands_separators():
    n = 1_200
    table = make_table([10.0] * (n - 1) + [1e9], times=[T0 + 10 * i for i in range(n)])
    assert frequent_transfers(table, table.code_of("X"), P).explanation.startswith(
        "1,200 of 1,200 transfers follow another"
    )
    assert unusual_values(table, P).explanation.startswith("1 of 1,200 transfers have unusual amounts")
