"""Trades: one columnar table (pair, event time, taker side, price, quantity) and its readers.

A :class:`TradeTable` holds parallel numpy arrays; pairs are int32 codes into
``pairs``. Files: CSV (plain or gzip) with a header naming at least
``symbol`` (or ``pair``), ``timestamp`` (Unix milliseconds) or ``datetime``
(ISO 8601), ``side`` (the taker's: ``buy``/``sell``), ``price`` and ``amount``
(or ``quantity``) -- the CCXT ``fetch_trades`` export of ``../shared/data/pumps``
is one -- and Parquet files with the same columns.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from tracing.errors import ImportFormatError

__all__ = ["TradeTable", "concat_trades", "read_trades"]

_ALIASES = {"pair": "symbol", "quantity": "amount", "qty": "amount"}


@dataclass(frozen=True)
class TradeTable:
    """Trades as parallel arrays, in arrival order unless said otherwise.

    ``ts`` is the event time in Unix milliseconds, ``buy`` is True when the taker
    bought, ``pair`` indexes ``pairs``.
    """

    pairs: tuple[str, ...]
    pair: np.ndarray  # int32
    ts: np.ndarray  # int64 ms
    buy: np.ndarray  # bool
    price: np.ndarray  # float64
    qty: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.ts)

    @classmethod
    def from_columns(cls, symbols, ts, buy, price, qty) -> "TradeTable":
        """Build a table from per-trade symbol strings (or one array of them) and numeric columns."""
        names, codes = np.unique(np.asarray(symbols, dtype=object).astype(str), return_inverse=True)
        return cls(
            tuple(str(n) for n in names),
            codes.astype(np.int32),
            np.asarray(ts, dtype=np.int64),
            np.asarray(buy, dtype=bool),
            np.asarray(price, dtype=np.float64),
            np.asarray(qty, dtype=np.float64),
        )

    def take(self, index: np.ndarray) -> "TradeTable":
        """The trades at ``index`` (a slice, mask or integer array), same pair codes."""
        return TradeTable(
            self.pairs, self.pair[index], self.ts[index], self.buy[index], self.price[index], self.qty[index]
        )

    def in_time_order(self) -> "TradeTable":
        """The trades sorted by event time; equal times keep their arrival order."""
        return self.take(np.argsort(self.ts, kind="stable"))


def concat_trades(tables: list[TradeTable]) -> TradeTable:
    """One table of several, pair codes re-numbered over the union of their pairs."""
    names = sorted({p for t in tables for p in t.pairs})
    code = {p: i for i, p in enumerate(names)}
    pair = [np.array([code[p] for p in t.pairs], dtype=np.int32)[t.pair] for t in tables]
    cat = np.concatenate
    return TradeTable(
        tuple(names),
        cat(pair) if pair else np.zeros(0, np.int32),
        cat([t.ts for t in tables]) if tables else np.zeros(0, np.int64),
        cat([t.buy for t in tables]) if tables else np.zeros(0, bool),
        cat([t.price for t in tables]) if tables else np.zeros(0),
        cat([t.qty for t in tables]) if tables else np.zeros(0),
    )


def read_trades(*paths: str | Path) -> TradeTable:
    """Read trade files (``.csv``, ``.csv.gz``, ``.parquet``) into one table.

    Raises :class:`~tracing.errors.ImportFormatError` naming the file and the row
    of the first value that cannot be read; nothing is returned half-read.
    """
    if not paths:
        raise ImportFormatError("no trade files given")
    return concat_trades([_read_one(Path(p)) for p in paths])


def _read_one(path: Path) -> TradeTable:
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    parquet = path.suffix == ".parquet"
    try:
        table = pq.read_table(path) if parquet else pcsv.read_csv(path)
    except (pa.ArrowException, OSError, EOFError) as err:
        kind = "Parquet" if parquet else "CSV"
        raise ImportFormatError(f"{path}: cannot be read as {kind}: {str(err).splitlines()[0]}") from err
    cols = {_ALIASES.get(n.strip().lower(), n.strip().lower()): table.column(n) for n in table.column_names}
    missing = [c for c in ("symbol", "side", "price", "amount") if c not in cols]
    if "timestamp" not in cols and "datetime" not in cols:
        missing.append("timestamp or datetime")
    if missing:
        raise ImportFormatError(f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(cols) or 'none'}")
    first = 1 if parquet else 2  # CSV: the header is line 1

    def where(i: int) -> str:
        return f"{path}, {'row' if parquet else 'line'} {i + first}"

    side = pc.utf8_lower(pc.cast(cols["side"], pa.string())).to_numpy(zero_copy_only=False)
    buy = side == "buy"
    bad = np.flatnonzero(~buy & (side != "sell"))
    if len(bad):
        raise ImportFormatError(f"{where(bad[0])}: side {side[bad[0]]!r} is neither buy nor sell")
    if "timestamp" in cols:
        ts = _numbers(where, cols["timestamp"], "timestamp").astype(np.int64)
    else:
        ts = _times(where, cols["datetime"])
    price = _numbers(where, cols["price"], "price")
    qty = _numbers(where, cols["amount"], "amount")
    bad = np.flatnonzero(~(price > 0) | ~(qty > 0) | ~np.isfinite(price) | ~np.isfinite(qty))
    if len(bad):
        raise ImportFormatError(f"{where(bad[0])}: price and amount must be positive numbers")
    symbols = pc.dictionary_encode(pc.cast(cols["symbol"], pa.string())).combine_chunks()
    if symbols.null_count:
        raise ImportFormatError(f"{where(_first_null(symbols))}: symbol is empty")
    return TradeTable(
        tuple(symbols.dictionary.to_pylist()),
        symbols.indices.to_numpy().astype(np.int32),
        ts,
        buy,
        price,
        qty,
    )


def _first_null(column) -> int:
    return int(np.flatnonzero(pc.is_null(column).to_numpy(zero_copy_only=False))[0])


def _numbers(where, column, name: str) -> np.ndarray:
    """A numeric column as float64; the first value that is not a number is named."""
    if column.null_count:
        raise ImportFormatError(f"{where(_first_null(column))}: {name} is empty")
    try:
        return pc.cast(column, pa.float64()).to_numpy()
    except pa.ArrowException:
        values = column.to_pylist()
        for i, v in enumerate(values):
            try:
                float(v)
            except (ValueError, TypeError):
                raise ImportFormatError(f"{where(i)}: {name} {v!r} is not a number") from None
        raise


def _times(where, column) -> np.ndarray:
    """ISO 8601 datetimes (or Arrow timestamps) as Unix milliseconds; naive times are UTC."""
    if pa.types.is_timestamp(column.type):
        if column.null_count:
            raise ImportFormatError(f"{where(_first_null(column))}: datetime is empty")
        return pc.cast(column, pa.timestamp("ms", tz=column.type.tz)).cast(pa.int64()).to_numpy()
    out = np.empty(len(column), dtype=np.int64)
    for i, v in enumerate(column.to_pylist()):
        try:
            when = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
        except ValueError:
            raise ImportFormatError(f"{where(i)}: datetime {v!r} is not ISO 8601") from None
        out[i] = round((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() * 1000)
    return out
