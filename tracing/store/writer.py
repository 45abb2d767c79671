"""Writing transfer tables inside one transaction: what is new, what was known, what disagrees with the store.

A :class:`TransferWriter` takes the tables of a file or a fetch one batch at a time.
Each batch is checked (:func:`~tracing.model.checks.check_table`), inserted with
``ON CONFLICT DO NOTHING ... RETURNING`` (the rows this transaction inserted, never
another's: honest counts when imports race), and the identities that were already
stored are read back in one query per batch (both statements: :mod:`tracing.store.batches`)
and compared: a stored transfer with the same ``(chain, tx_hash, index)`` but another
sender, receiver, asset, amount or time is a :class:`Clash`. The stored row is kept; the clash is reported. Blocks are not compared:
exports without block numbers store 0.
"""

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from tracing.errors import ImportFormatError
from tracing.model import TransferTable
from tracing.model.checks import check_table, clash_message
from tracing.model.transfer import format_units
from tracing.store import batches

__all__ = ["MAX_CLASHES", "Added", "Clash", "TransferWriter"]

MAX_CLASHES = 100  # clashes kept with their values; the rest are counted
INSERT_CHUNK = 5000
_COMPARED = ("timestamp", "sender", "receiver", "asset", "amount")


@dataclass(frozen=True)
class Clash:
    """A transfer whose identity is stored with other contents: ``differences`` are (field, stored, given)."""

    chain: str
    tx_hash: str
    index: int
    line: int | None
    differences: tuple[tuple[str, str, str], ...]

    def describe(self, given_by: str = "file") -> str:
        """One line: where, which transfer, and each field stored vs given (by the ``given_by``: file, API)."""
        where = f"line {self.line}: " if self.line is not None else ""
        fields = "; ".join(f"{name} stored {stored}, {given_by} {given}" for name, stored, given in self.differences)
        return f"{where}{self.chain} transfer {self.tx_hash} #{self.index} is stored otherwise: {fields}"


@dataclass(frozen=True)
class Added:
    """One batch written: distinct transfers read, new ones, and how many clashed with the store."""

    read: int
    new: int
    clashing: int


def _asset_text(symbol: str, contract: str, decimals: int) -> str:
    return f"{symbol} ({contract}, {decimals} decimals)"


def _insert_rows(table: TransferTable, source: str, start: int, stop: int) -> list[dict]:
    """Rows ``start:stop`` of a table as the store's insert parameters."""
    part = table.take(slice(start, stop))
    assets = part.assets
    return [
        {
            "chain": part.chain.value,
            "tx_hash": str(tx),
            "idx": int(index),
            "block": int(block),
            "timestamp": int(timestamp),
            "sender": str(sender),
            "receiver": str(receiver),
            "symbol": assets[asset].symbol,
            "contract": assets[asset].contract,
            "decimals": assets[asset].decimals,
            "amount": str(int(amount)),
            "value": float(value),
            "source": source,
        }
        for tx, index, block, timestamp, sender, receiver, asset, amount, value in zip(
            part.tx_hash,
            part.index.tolist(),
            part.block.tolist(),
            part.timestamp.tolist(),
            part.sender,
            part.receiver,
            part.asset.tolist(),
            part.amount,
            part.value.tolist(),
        )
    ]


def _differences(stored, row: dict) -> tuple[tuple[str, str, str], ...]:
    """(field, stored, given) for each compared field that differs (amounts in token units)."""
    _, _, _, _block, timestamp, sender, receiver, symbol, contract, decimals, amount = stored
    pairs = {
        "timestamp": (str(timestamp), str(row["timestamp"])),
        "sender": (sender, row["sender"]),
        "receiver": (receiver, row["receiver"]),
        "asset": (
            _asset_text(symbol, contract, decimals),
            _asset_text(row["symbol"], row["contract"], row["decimals"]),
        ),
        "amount": (
            f"{format_units(int(amount), decimals)} {symbol}",
            f"{format_units(int(row['amount']), row['decimals'])} {row['symbol']}",
        ),
    }
    return tuple((name, *pairs[name]) for name in _COMPARED if pairs[name][0] != pairs[name][1])


class TransferWriter:
    """Adds tables to the store inside the transaction ``conn`` (see the module docstring).

    ``clashes`` keeps the first :data:`MAX_CLASHES`, ``clash_count`` counts them all.
    """

    def __init__(self, conn: sa.Connection, source: str):
        self.conn, self.source = conn, source
        self._ours: list[np.ndarray] = []  # ids of the rows this writer inserted
        self.clashes: list[Clash] = []
        self.clash_count = 0

    def add(self, table: TransferTable, lines: np.ndarray | None = None) -> Added:
        """Write a table (``lines``: the file line of each row, when known); what was new and what clashed.

        Raises
        ------
        ImportFormatError
            The table holds what no store could (nothing of it is written), or a transfer this
            writer stored already comes again with other contents.
        """
        try:
            check_table(table)
        except ValueError as err:
            raise ImportFormatError(f"not stored: {err}") from None
        read = new = clashing = 0
        for start in range(0, len(table), INSERT_CHUNK):
            stop = min(start + INSERT_CHUNK, len(table))
            rows = _insert_rows(table, self.source, start, stop)
            inserted = batches.insert_new(self.conn, rows)
            self._ours.append(np.fromiter((r[0] for r in inserted), np.int64, count=len(inserted)))
            known = {(r[1], r[2]) for r in inserted}
            others = [(k, row) for k, row in enumerate(rows) if (row["tx_hash"], row["idx"]) not in known]
            repeated, clashing_here = self._compare(others, None if lines is None else lines[start:stop])
            read += len(rows) - repeated
            new += len(inserted)
            clashing += clashing_here
        return Added(read, new, clashing)

    def _compare(self, others: list[tuple[int, dict]], lines: np.ndarray | None) -> tuple[int, int]:
        """Compare rows not inserted with the stored ones (one query); (repeats of our own rows, clashes)."""
        if not others:
            return 0, 0
        chain = others[0][1]["chain"]
        keys = [(row["tx_hash"], row["idx"]) for _, row in others]
        stored = {(r[1], r[2]): r for r in batches.stored_twins(self.conn, chain, keys)}
        ours = np.concatenate(self._ours)
        others = [(k, row) for k, row in others if (row["tx_hash"], row["idx"]) in stored]  # else: rolled back
        ids = np.array([stored[(row["tx_hash"], row["idx"])][0] for _, row in others], dtype=np.int64)
        mine = np.isin(ids, ours)
        repeated = clashes = 0
        for (k, row), is_mine in zip(others, mine.tolist()):
            differences = _differences(stored[(row["tx_hash"], row["idx"])], row)
            line = None if lines is None else int(lines[k])
            if is_mine:  # the same identity earlier in this file
                if differences:
                    where = f"line {line}: " if line is not None else ""
                    name, before, after = differences[-1]
                    raise ImportFormatError(
                        where + clash_message(row["tx_hash"], row["idx"], f"{name} {before}", after)
                    )
                repeated += 1
            elif differences:
                clashes += 1
                self.clash_count += 1
                if len(self.clashes) < MAX_CLASHES:
                    self.clashes.append(Clash(chain, row["tx_hash"], row["idx"], line, differences))
        return repeated, clashes
