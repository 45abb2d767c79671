"""Reading a chain back in chunks gives the very table that building it from all its rows at once gives."""

from dataclasses import fields

import numpy as np

from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.testing import USDT_TRON

TRX = Asset("TRX", "native", 6)
BIG = Asset("BIG", "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf", 36)
T = 1_700_000_000

# Written out of time order; one second holds rows told apart by block, then index, then hash.
ROWS = [  # tx_hash, index, block, timestamp, sender, receiver, asset, amount
    ("c3", 0, 12, T + 5, "TB", "TA", USDT_TRON, 7),
    ("b2", 1, 10, T, "TA", "TC", BIG, 2**64 + 1),
    ("b2", 0, 10, T, "TA", "TB", TRX, 5),
    ("a1", 0, 9, T, "TD", "TA", BIG, 3 * 10**40),
    ("a0", 1, 10, T, "TC", "TD", USDT_TRON, 2**70 - 1),
    ("d4", 0, 13, T - 60, "TB", "TC", TRX, 0),
    ("e5", 2, 14, T + 9, "TA", "TA", BIG, 2**64),
]
ETHEREUM = TransferTable.from_columns(
    Chain.ETHEREUM,
    tx_hash=["0x01"],
    index=[0],
    block=[1],
    timestamp=[T],
    sender=["0x" + "a" * 40],
    receiver=["0x" + "b" * 40],
    asset=[Asset("ETH", "native", 18)],
    amount=[10**18],
)


def _written() -> TransferTable:
    columns = list(zip(*ROWS))
    names = ("tx_hash", "index", "block", "timestamp", "sender", "receiver", "asset", "amount")
    return TransferTable.from_columns(Chain.TRON, **dict(zip(names, map(list, columns))))


def _assert_same(got: TransferTable, expected: TransferTable) -> None:
    for f in fields(TransferTable):
        a, b = getattr(got, f.name), getattr(expected, f.name)
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype, f.name
            assert a.tolist() == b.tolist(), f.name
            assert [type(x) for x in a.tolist()] == [type(x) for x in b.tolist()], f.name
        else:
            assert a == b, f.name


def test_reading_in_chunks_gives_the_table_of_all_rows_at_once(any_store):
    table = _written()
    any_store.add_transfers(table, "t")
    any_store.add_transfers(ETHEREUM, "t")  # another chain's transfers are not read
    expected = table.sorted()  # what a whole read built: from_columns over the rows, in canonical order
    assert expected.tx_hash.tolist() == ["d4", "a1", "b2", "a0", "b2", "c3", "e5"]  # ties: block, index, hash
    for chunk in (1, 3, len(ROWS), 1000):  # one row, a remainder, exactly one full chunk, more than the table
        _assert_same(any_store.transfers_on(Chain.TRON, chunk=chunk), expected)
    assert [int(a) for a in any_store.transfers_on("tron").amount] == [0, 3 * 10**40, 5, 2**70 - 1, 2**64 + 1, 7, 2**64]


def test_reading_a_chain_with_nothing_stored_gives_an_empty_table(any_store):
    any_store.add_transfers(_written(), "t")
    _assert_same(any_store.transfers_on(Chain.ETHEREUM, chunk=2), TransferTable.empty(Chain.ETHEREUM))
