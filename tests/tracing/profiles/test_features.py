"""Behavioural features on a hand-made table: every feature checked against its definition."""

import math

import numpy as np
import pytest

from tracing.labels import Label, LabelIndex
from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.profiles.features import FEATURE_NAMES, FEATURES, Reference, address_features
from tracing.sources.demo import demo_address

USDT = Asset("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6)
T0 = 1_699_920_000  # 2023-11-14 00:00 UTC
H, D = 3600, 86_400
A, B, C, DEST, X, S = (demo_address(Chain.TRON, n) for n in ("a", "b", "c", "d", "exchange", "listed"))
ROWS = [  # sender, receiver, seconds after T0, USDT
    (B, A, 1 * H, 100),
    (A, DEST, 1 * H + 600, 100),  # forwards the 100 within ten minutes: a pass-through link
    (C, A, 2 * D + 5 * H, 250),
    (A, X, 2 * D + 5 * H + 1800, 37.5),
    (S, A, 10 * D, 1000),
    (C, B, 12 * D, 80),
]
LABELS = LabelIndex(
    [Label(Chain.TRON, X, "Some Exchange", "exchange", "test"), Label(Chain.TRON, S, "Listed", "sanctioned", "test")]
)


def _table(rows, assets=None) -> TransferTable:
    return TransferTable.from_columns(
        Chain.TRON,
        tx_hash=[f"{i:064x}" for i in range(len(rows))],
        index=[0] * len(rows),
        block=[100 + int(r[2]) // 3 for r in rows],
        timestamp=[T0 + r[2] for r in rows],
        sender=[r[0] for r in rows],
        receiver=[r[1] for r in rows],
        asset=assets or [USDT] * len(rows),
        amount=[int(r[3] * 10**6) for r in rows],
    )


def _features(rows=ROWS, **options) -> dict[str, dict[str, float]]:
    found = address_features(_table(rows), labels=LABELS, **options)
    return {a: dict(zip(FEATURE_NAMES, found.row(a))) for a in found.addresses}


def test_every_feature_of_a_hand_made_address():
    a = _features()[A]
    hours = np.array([2, 2, 1]) / 5  # hours 1, 1, 5, 5 and 0
    expected = {
        "transfers_in": 3,
        "transfers_out": 2,
        "counterparties_in": 3,
        "counterparties_out": 2,
        "assets": 1,
        "active_days": 3,
        "span_days": (10 * D - H) / D,
        "idle_days": 2.0,  # the reference ends with the table's last transfer, C -> B on day 12
        "gap_log_median": math.log10(1800),  # gaps 600 s, 1800 s and two of days: the lower median
        "quick_gap_share": 0.5,
        "value_log_mean": np.mean(np.log10(np.array([100, 100, 250, 37.5, 1000]) / 100)),  # median of all: 100
        "value_log_spread": np.std(np.log10(np.array([100, 100, 250, 37.5, 1000]) / 100)),
        "round_share": 0.8,  # 37.5 is not round; 100, 250 and 1000 are
        "fan_balance": (3 - 2) / 5,
        "pass_through_share": 0.4,  # the 100 in and the 100 out
        "kept_share": 1 - (100 + 37.5) / (100 + 250 + 1000),
        "hour_entropy": -(hours * np.log(hours)).sum() / np.log(24),
        "exchange_share": 0.2,
        "risky_share": 0.2,
    }
    assert set(expected) == set(FEATURES)
    for name, value in expected.items():
        assert a[name] == pytest.approx(value, abs=1e-9), name


def test_single_transfer_addresses_and_the_time_statistics_of_others():
    found = _features()
    dest, b = found[DEST], found[B]
    assert dest["transfers_in"] == 1 and dest["transfers_out"] == 0 and dest["span_days"] == 0
    assert dest["gap_log_median"] == pytest.approx(math.log10(12 * D - H))  # no gap: the reference span
    assert dest["kept_share"] == 1 and dest["fan_balance"] == 1 and dest["hour_entropy"] == 0
    assert b["gap_log_median"] == pytest.approx(math.log10(12 * D - H)) and b["quick_gap_share"] == 0
    assert b["idle_days"] == 0 and found[S]["fan_balance"] == -1 and found[S]["kept_share"] == 0


def test_input_order_and_subsets_do_not_change_features():
    full = _features()
    shuffled = _features([ROWS[i] for i in np.random.default_rng(3).permutation(len(ROWS))])
    only_a = _features(addresses=np.array([A]))
    assert list(only_a) == [A]
    for address, values in full.items():
        assert shuffled[address] == pytest.approx(values)
    assert only_a[A] == pytest.approx(full[A])


def test_a_reference_makes_features_independent_of_the_rest_of_the_table():
    reference = Reference.of(_table(ROWS))
    alone = _features([r for r in ROWS if A in r[:2]], reference=reference)[A]
    assert alone == pytest.approx(_features()[A])
    assert Reference.from_dict(reference.to_dict()) == reference


def test_without_labels_the_label_shares_are_zero_and_assets_are_never_mixed():
    trx = Asset("TRX", "native", 6)
    table = _table([*ROWS, (A, C, 3 * D, 5)], assets=[USDT] * len(ROWS) + [trx])
    a = dict(zip(FEATURE_NAMES, address_features(table).row(A)))
    assert a["assets"] == 2 and a["exchange_share"] == 0 and a["risky_share"] == 0
    assert a["transfers_out"] == 3 and a["counterparties_out"] == 3
    # The lone TRX transfer is its asset's median: its size is log10(1) = 0, whatever USDT amounts are.
    usdt_sizes = np.log10(np.array([100, 100, 250, 37.5, 1000]) / 100)
    assert a["value_log_mean"] == pytest.approx(np.mean([*usdt_sizes, 0]))
