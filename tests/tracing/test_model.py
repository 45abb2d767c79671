"""Exact amounts, transfer tables and their canonical order."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracing.model import Chain, Transfer, TransferTable
from tracing.model.transfer import Asset, format_units, parse_units
from tracing.testing import USDT_TRON, make_table

WEI = Asset("ETH", "native", 18)


@pytest.mark.parametrize(
    ("text", "decimals", "units"),
    [
        ("1500.25", 6, 1_500_250_000),
        ("1,500.25", 6, 1_500_250_000),
        ("0", 18, 0),
        ("123456789012345678901234.5", 18, 123456789012345678901234500000000000000000),
        ("7", 0, 7),
    ],
)
def test_parse_units_is_exact(text, decimals, units):
    assert parse_units(text, decimals) == units
    assert parse_units(format_units(units, decimals), decimals) == units


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-1", "negative"),
        ("abc", "not a decimal"),
        ("1.0000001", "decimal places"),
        ("nan", "finite"),
        ("", "not a decimal"),
    ],
)
def test_parse_units_refuses(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_units(text, 6)


@given(st.integers(min_value=0, max_value=10**40), st.integers(min_value=0, max_value=36))
def test_format_parse_round_trip(units, decimals):
    assert parse_units(format_units(units, decimals), decimals) == units


def test_amounts_above_two_to_the_64_stay_exact():
    big = 2**64 * 1000 + 12345
    table = TransferTable.from_transfers(
        Chain.ETHEREUM,
        [Transfer(Chain.ETHEREUM, "0x" + "ab" * 32, 0, 1, 1_700_000_000, "0x" + "1" * 40, "0x" + "2" * 40, WEI, big)],
    )
    assert table.amount[0] == big and isinstance(table.amount[0], int)
    assert table.transfer(0).amount == big
    assert table.value[0] == pytest.approx(big / 1e18)


def test_canonical_order_does_not_depend_on_input_order():
    rng = np.random.default_rng(7)
    base = make_table(list(rng.uniform(1, 100, 50)), times=list(rng.integers(0, 20, 50)))
    shuffled = base.take(rng.permutation(len(base)))
    a, b = base.sorted(), shuffled.sorted()
    assert a.tx_hash.tolist() == b.tx_hash.tolist()
    assert np.all(np.diff(a.timestamp) >= 0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2), st.sampled_from("abc")), max_size=30),
    st.randoms(use_true_random=False),
)
def test_canonical_order_is_time_block_index_hash_whatever_the_input_order(keys, rnd):
    unique = sorted(set(keys))  # (tx_hash, index) identifies a transfer: no exact duplicates
    rnd.shuffle(unique)
    table = TransferTable.from_columns(
        Chain.TRON,
        tx_hash=[k[3] for k in unique],
        index=[k[2] for k in unique],
        block=[k[1] for k in unique],
        timestamp=[k[0] for k in unique],
        sender=["A"] * len(unique),
        receiver=["B"] * len(unique),
        asset=[USDT_TRON] * len(unique),
        amount=list(range(len(unique))),
    )
    ordered = table.sorted()
    got = list(zip(ordered.timestamp.tolist(), ordered.block.tolist(), ordered.index.tolist(), ordered.tx_hash))
    assert got == sorted(unique)
    assert ordered.sorted() is ordered


def test_concat_re_encodes_addresses_and_assets():
    usdc = Asset("USDC", "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8", 6)
    one = make_table([1.0], senders=["A"], receivers=["B"])
    two = make_table([2.0], senders=["C"], receivers=["A"], asset=usdc)
    both = TransferTable.concat([one, two])
    assert both.sender.tolist() == ["A", "C"] and both.receiver.tolist() == ["B", "A"]
    assert [both.assets[i].symbol for i in both.asset] == ["USDT", "USDC"]
    assert both.involving("A").value.tolist() == [1.0, 2.0]
    assert both.code_of("Z") == -1


def test_tables_refuse_mixed_chains_and_ragged_columns():
    eth = Transfer(Chain.ETHEREUM, "0x1", 0, 1, 1, "0x" + "1" * 40, "0x" + "2" * 40, WEI, 1)
    with pytest.raises(ValueError, match="tron"):
        TransferTable.from_transfers(Chain.TRON, [eth])
    with pytest.raises(ValueError, match="same length"):
        TransferTable.from_columns(
            Chain.TRON,
            tx_hash=["a"],
            index=[],
            block=[1],
            timestamp=[1],
            sender=["A"],
            receiver=["B"],
            asset=[USDT_TRON],
            amount=[1],
        )


def test_decimals_come_from_the_asset():
    with pytest.raises(ValueError, match="decimals"):
        Asset("X", "native", 40)
    table = make_table([1.5, 2.5], assets=[USDT_TRON, Asset("TRX", "native", 6)])
    assert table.decimals.tolist() == [6, 6]


def test_rows_tied_on_time_block_and_index_are_ordered_by_hash():
    hashes = ["cc", "aa", "bb", "dd"]
    table = TransferTable.from_columns(
        Chain.TRON,
        tx_hash=hashes,
        index=[0, 0, 0, 0],
        block=[7, 7, 7, 6],
        timestamp=[100, 100, 100, 99],
        sender=["A"] * 4,
        receiver=["B"] * 4,
        asset=[USDT_TRON] * 4,
        amount=[1, 2, 3, 4],
    )
    assert table.sorted().tx_hash.tolist() == ["dd", "aa", "bb", "cc"]
    ordered = table.sorted()
    assert ordered.sorted() is ordered  # already canonical: no copy
