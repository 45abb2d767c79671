"""One validation for both stores: SQLite and PostgreSQL accept and refuse the same rows, and two
imports racing each report only the transfers they stored."""

import threading
from dataclasses import replace

import numpy as np
import pytest

from tracing.errors import ImportFormatError
from tracing.model.transfer import Asset
from tracing.testing import make_table


def _with(table, **columns):
    """``table`` with some columns replaced (each a list of one value per row)."""
    changes = {}
    for name, values in columns.items():
        column = np.empty(len(values), dtype=object) if name in ("tx_hash", "amount") else None
        if column is not None:
            column[:] = values
        changes[name] = column if column is not None else np.asarray(values, dtype=np.int64)
    return replace(table, **changes)


BAD = {
    "a 40-character symbol": lambda t: replace(t, assets=(Asset("X" * 40, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6),)),
    "a 200-character hash": lambda t: _with(t, tx_hash=["ab" * 100, *t.tx_hash[1:]]),
    "a NUL byte in a hash": lambda t: _with(t, tx_hash=["ab\x00cd", *t.tx_hash[1:]]),
    "index 3e9": lambda t: _with(t, index=[3_000_000_000, *t.index[1:]]),
    "a 101-digit amount": lambda t: _with(t, amount=[10**100, *t.amount[1:]]),
    "a timestamp past 2^63": lambda t: _with(t, timestamp=[2**63 - 1, *t.timestamp[1:]]),
}


@pytest.mark.parametrize("spoil", BAD.values(), ids=BAD.keys())
def test_both_stores_refuse_what_either_cannot_hold(any_store, spoil):
    table = spoil(make_table([1.0, 2.0, 3.0]))
    with pytest.raises(ImportFormatError, match="not stored"):
        any_store.add_transfers(table, "test")
    assert any_store.count_transfers() == 0
    assert any_store.add_transfers(make_table([1.0, 2.0, 3.0]), "test") == 3  # good rows still go in


def test_two_imports_racing_report_honest_counts(any_store):
    table = make_table([float(k % 97 + 1) for k in range(12_000)])
    counts, errors = [], []

    def run():
        try:
            counts.append(any_store.add_transfers(table, "race"))
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []  # SQLite said "database is locked" with a traceback
    assert sorted(counts) == [0, 12_000]  # PostgreSQL said "12000 new" twice
    assert any_store.count_transfers() == 12_000
