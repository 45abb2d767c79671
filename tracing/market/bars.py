"""One-minute bars per pair, built from trades in one compiled pass after an O(n) ordering.

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

__all__ = ["BAR_FIELDS", "RUSH_SECONDS", "Bars", "build_bars", "pair_time_order", "rush_of"]

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
        return self if self.is_in_pair_order() else self.take(np.lexsort((self.minute, self.pair)))

    def is_in_pair_order(self) -> bool:
        """True when sorted by pair, then minute (what :func:`build_bars` returns)."""
        step, later = np.diff(self.pair), np.diff(self.minute) > 0
        return bool(np.all((step > 0) | ((step == 0) & later)))

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
    order = pair_time_order(trades.pair, trades.ts, len(trades.pairs))
    n_bars = _count_bars(order, trades.pair, trades.ts)
    floats = np.empty((8, n_bars))  # open, high, low, close, volume, buy, sell, quote
    ints = np.empty((5, n_bars), dtype=np.int64)  # pair, minute, count, buy count, rush
    _fill_bars(order, trades.pair, trades.ts, trades.buy, trades.price, trades.qty, floats, ints)
    return Bars(trades.pairs, ints[0].astype(np.int32), ints[1], *floats, ints[2], ints[3], ints[4])


def pair_time_order(pair: np.ndarray, ts: np.ndarray, n_pairs: int) -> np.ndarray:
    """Indices sorting trades by pair, then time; equal times keep arrival order.

    Trades usually arrive in time order: then one counting pass by pair (stable,
    O(n)) is the whole sort; otherwise a stable time sort goes first.
    """
    by_time = None if np.all(ts[1:] >= ts[:-1]) else np.argsort(ts, kind="stable")
    pairs_in_time = pair if by_time is None else pair[by_time]
    order = _counting_order(pairs_in_time, np.bincount(pairs_in_time, minlength=n_pairs))
    return order if by_time is None else by_time[order]


@njit(cache=True)
def _counting_order(pair: np.ndarray, counts: np.ndarray) -> np.ndarray:
    position = np.zeros(len(counts), dtype=np.int64)
    for p in range(1, len(counts)):
        position[p] = position[p - 1] + counts[p - 1]
    order = np.empty(len(pair), dtype=np.int64)
    for i in range(len(pair)):
        order[position[pair[i]]] = i
        position[pair[i]] += 1
    return order


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
def _count_bars(order, pair, ts) -> int:
    n, last_pair, last_minute = 0, -1, -1
    for k in range(len(order)):
        i = order[k]
        m = ts[i] // MINUTE_MS
        if pair[i] != last_pair or m != last_minute:
            n += 1
            last_pair, last_minute = pair[i], m
    return n


@njit(cache=True)
def _fill_bars(order, pair, ts, buy, price, qty, floats, ints):
    """One pass over the trades in pair-then-time order, one bar per (pair, minute)."""
    per_second = np.zeros(60, dtype=np.int64)
    b = -1
    for k in range(len(order)):
        i = order[k]
        m = ts[i] // MINUTE_MS
        if b < 0 or pair[i] != ints[0, b] or m != ints[1, b]:
            if b >= 0:
                ints[4, b] = rush_of(per_second)
                per_second[:] = 0
            b += 1
            ints[0, b], ints[1, b], ints[2, b], ints[3, b] = pair[i], m, 0, 0
            floats[0, b] = floats[1, b] = floats[2, b] = price[i]
            floats[4:, b] = 0.0
        floats[1, b] = max(floats[1, b], price[i])
        floats[2, b] = min(floats[2, b], price[i])
        floats[3, b] = price[i]  # the last in time order (arrival order among equal times)
        floats[4, b] += qty[i]
        if buy[i]:
            floats[5, b] += qty[i]
            ints[3, b] += 1
            per_second[(ts[i] % MINUTE_MS) // 1000] += 1
        else:
            floats[6, b] += qty[i]
        floats[7, b] += price[i] * qty[i]
        ints[2, b] += 1
    if b >= 0:
        ints[4, b] = rush_of(per_second)
