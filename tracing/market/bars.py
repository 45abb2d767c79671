"""One-minute bars per pair, built from trades in one vectorised pass.

A bar holds open, high, low, close (by event time; equal times keep arrival
order), volume (base units), buy and sell volume (by the taker's side), quote
volume (price x quantity), trade count, taker-buy count and the *rush*: the
most taker buys within any :data:`RUSH_SECONDS` consecutive seconds of the
minute. Minutes without trades have no bar, as in the original streaming SQL.
"""

from dataclasses import dataclass, fields

import numpy as np
from numba import njit

from tracing.market.trades import TradeTable

__all__ = ["BAR_FIELDS", "RUSH_SECONDS", "Bars", "build_bars", "rush_of"]

RUSH_SECONDS = 5
MINUTE_MS = 60_000


@dataclass(frozen=True)
class Bars:
    """Bars as parallel arrays; ``minute`` counts minutes since the Unix epoch (UTC)."""

    pairs: tuple[str, ...]
    pair: np.ndarray  # int32
    minute: np.ndarray  # int64
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    buy_volume: np.ndarray
    sell_volume: np.ndarray
    quote_volume: np.ndarray
    count: np.ndarray  # int64
    buy_count: np.ndarray  # int64
    rush: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.minute)

    def take(self, index) -> "Bars":
        """The bars at ``index`` (slice, mask or integer array)."""
        return Bars(self.pairs, *(getattr(self, f)[index] for f in BAR_FIELDS))

    def in_pair_order(self) -> "Bars":
        """Sorted by pair, then minute: the order the detectors read."""
        return self.take(np.lexsort((self.minute, self.pair)))

    def of_pair(self, name: str) -> "Bars":
        """The bars of one pair (none when the pair is unknown)."""
        code = self.pairs.index(name) if name in self.pairs else -1
        return self.take(self.pair == code)

    def concat(self, other: "Bars") -> "Bars":
        """These bars then ``other``'s (same pair codes; ``other``'s pair list, which may be longer)."""
        return Bars(other.pairs, *(np.concatenate([getattr(self, f), getattr(other, f)]) for f in BAR_FIELDS))

    @classmethod
    def empty(cls, pairs: tuple[str, ...] = ()) -> "Bars":
        """No bars."""
        ints = {"pair": np.int32, "minute": np.int64, "count": np.int64, "buy_count": np.int64, "rush": np.int64}
        return cls(pairs, *(np.zeros(0, ints.get(f, np.float64)) for f in BAR_FIELDS))


BAR_FIELDS = tuple(f.name for f in fields(Bars) if f.name != "pairs")


def build_bars(trades: TradeTable) -> Bars:
    """One-minute bars of every pair, sorted by pair then minute.

    Examples
    --------
    >>> import numpy as np
    >>> t = TradeTable.from_columns(["X/BTC"] * 3, [0, 1_000, 61_000], [True, False, True], [1.0, 2.0, 3.0], [1.0, 1.0, 2.0])
    >>> b = build_bars(t)
    >>> b.minute.tolist(), b.close.tolist(), b.buy_volume.tolist()
    ([0, 1], [2.0, 3.0], [1.0, 2.0])
    """
    if len(trades) == 0:
        return Bars.empty(trades.pairs)
    order = np.lexsort((trades.ts, trades.pair))  # stable: equal times keep arrival order
    pair, ts = trades.pair[order], trades.ts[order]
    price, qty, buy = trades.price[order], trades.qty[order], trades.buy[order]
    minute = ts // MINUTE_MS
    new = np.empty(len(ts), dtype=bool)
    new[0] = True
    np.not_equal(pair[1:], pair[:-1], out=new[1:])
    new[1:] |= minute[1:] != minute[:-1]
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(ts))
    buy_qty = np.where(buy, qty, 0.0)
    volume = np.add.reduceat(qty, starts)
    buy_volume = np.add.reduceat(buy_qty, starts)
    return Bars(
        trades.pairs,
        pair[starts],
        minute[starts],
        price[starts],
        np.maximum.reduceat(price, starts),
        np.minimum.reduceat(price, starts),
        price[ends - 1],
        volume,
        buy_volume,
        np.add.reduceat(qty - buy_qty, starts),
        np.add.reduceat(price * qty, starts),
        ends - starts,
        np.add.reduceat(buy.astype(np.int64), starts),
        _rush_per_bar(starts, ts, buy),
    )


@njit(cache=True)
def rush_of(per_second: np.ndarray) -> int:
    """The most taker buys within any RUSH_SECONDS consecutive seconds of one minute's 60 counts."""
    best = 0
    window = 0
    for s in range(60):
        window += per_second[s]
        if s >= RUSH_SECONDS:
            window -= per_second[s - RUSH_SECONDS]
        best = max(best, window)
    return best


@njit(cache=True)
def _rush_per_bar(starts: np.ndarray, ts: np.ndarray, buy: np.ndarray) -> np.ndarray:
    out = np.zeros(len(starts), dtype=np.int64)
    per_second = np.zeros(60, dtype=np.int64)
    n = len(ts)
    for b in range(len(starts)):
        end = starts[b + 1] if b + 1 < len(starts) else n
        per_second[:] = 0
        for i in range(starts[b], end):
            if buy[i]:
                per_second[(ts[i] % MINUTE_MS) // 1000] += 1
        out[b] = rush_of(per_second)
    return out
