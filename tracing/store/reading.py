"""Reading stored transfers into a TransferTable a chunk at a time.

Rows come from the driver's cursor as plain tuples (SQLAlchemy's ``Row`` objects
cost half as much again as reading them), ``size`` at a time, and each chunk
becomes numpy columns at once, so the tuples of a whole chain (several GiB at
10^7 transfers) never coexist. Addresses and assets get integer codes in the
order they are first seen, across chunks, from one dictionary each; the codes
are turned into sorted order once at the end.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import count
from operator import itemgetter

import numpy as np
import sqlalchemy as sa

from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.store.schema import TRANSFER_COLUMNS

__all__ = ["READ_CHUNK", "read_chunks", "table_from_chunks"]

READ_CHUNK = 100_000  # rows per fetch: about 60 MB of driver tuples
_CURSOR = "tracing_transfers_read"

(_TX_HASH, _INDEX, _BLOCK, _TIMESTAMP, _SENDER, _RECEIVER, _SYMBOL, _CONTRACT, _DECIMALS, _AMOUNT) = range(
    len(TRANSFER_COLUMNS)
)


def read_chunks(conn: sa.Connection, query: sa.Select, size: int = READ_CHUNK) -> Iterator[list[tuple]]:
    """The rows of ``query``, ``size`` at a time, as plain tuples straight from the driver.

    SQLite's cursor steps through the table as rows are fetched. On PostgreSQL a
    client-side cursor would receive the whole result at once, so the rows come
    through a server-side cursor (``DECLARE`` ... ``FETCH``) in the connection's
    transaction.
    """
    if conn.dialect.name != "postgresql":
        cursor = conn.execute(query).cursor
        while rows := cursor.fetchmany(size):
            yield rows
        return
    compiled = query.compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"DECLARE {_CURSOR} NO SCROLL CURSOR FOR {compiled}", compiled.params)
    while rows := conn.exec_driver_sql(f"FETCH FORWARD {int(size)} FROM {_CURSOR}").cursor.fetchall():
        yield rows
    conn.exec_driver_sql(f"CLOSE {_CURSOR}")  # after an error, the transaction's rollback closes it


class _Codes(defaultdict):
    """Integer codes of values in the order they are first seen (a new value gets the next code)."""

    def __init__(self):
        super().__init__(count().__next__)

    def of(self, values: Iterable, dtype, n: int) -> np.ndarray:
        """The codes of ``n`` values, coding the new ones."""
        return np.fromiter(map(self.__getitem__, values), dtype, count=n)


def _column(rows: list[tuple], j: int):
    return map(itemgetter(j), rows)


def table_from_chunks(chain: Chain, chunks: Iterable[list[tuple]]) -> TransferTable:
    """Chunks of rows of :data:`~tracing.store.schema.TRANSFER_COLUMNS` as one table in canonical time order."""
    addresses, assets = _Codes(), _Codes()
    parts: dict[str, list[np.ndarray]] = defaultdict(list)
    for rows in chunks:
        n = len(rows)
        parts["tx_hash"].append(np.fromiter(_column(rows, _TX_HASH), object, count=n))
        parts["amount"].append(np.fromiter(map(int, _column(rows, _AMOUNT)), object, count=n))  # exact
        for name, j in (("index", _INDEX), ("block", _BLOCK), ("timestamp", _TIMESTAMP)):
            parts[name].append(np.fromiter(_column(rows, j), np.int64, count=n))
        parts["src"].append(addresses.of(_column(rows, _SENDER), np.int32, n))
        parts["dst"].append(addresses.of(_column(rows, _RECEIVER), np.int32, n))
        keys = zip(_column(rows, _SYMBOL), _column(rows, _CONTRACT), _column(rows, _DECIMALS))
        parts["asset"].append(assets.of(keys, np.int16, n))
    if not parts:
        return TransferTable.empty(chain)
    names = np.array(list(addresses), dtype=str)  # in code order
    order = np.argsort(names, kind="stable")
    rank = np.empty(len(names), dtype=np.int32)
    rank[order] = np.arange(len(names), dtype=np.int32)
    distinct = [Asset(*key) for key in assets]  # in code order
    sorted_assets = sorted(distinct)
    asset_rank = np.array([sorted_assets.index(a) for a in distinct], dtype=np.int16)
    columns = {name: np.concatenate(parts.pop(name)) for name in list(parts)}  # each chunk freed once joined
    return TransferTable.from_codes(
        chain,
        addresses=names[order],
        assets=sorted_assets,
        tx_hash=columns["tx_hash"],
        index=columns["index"],
        block=columns["block"],
        timestamp=columns["timestamp"],
        src=rank[columns["src"]],
        dst=rank[columns["dst"]],
        asset=asset_rank[columns["asset"]],
        amount=columns["amount"],
    ).sorted()
