"""The streaming detector: trades in arrival order -> closed one-minute bars -> alerts.

Event time with a watermark: the watermark is the newest event time seen minus
``lateness_ms`` (5 s); a minute's bars close when the watermark passes the
minute's end. A trade whose minute has already closed is *late*: it is counted
(:attr:`StreamingDetector.late`) and left out, never silently. The state is
bounded per pair: the open bars (at most ``lateness // 1 min + 2`` per pair,
each with 60 per-second buy counts for the rush) and each detector's per-pair
state. Closed bars go through the same detector code as the batch path, so the
alerts are the batch path's whenever no trade is later than the watermark allows.
"""

import io
from dataclasses import dataclass

import numpy as np
from numba import njit

from tracing.errors import BadParameters
from tracing.market.bars import MINUTE_MS, Bars, rush_of
from tracing.market.detector import Alert, MarketDetector
from tracing.market.trades import TradeTable

__all__ = ["StreamStep", "StreamingDetector"]

_NONE = np.iinfo(np.int64).min
_F = ("open", "high", "low", "close", "volume", "buy_volume", "sell_volume", "quote_volume")
_I = ("minute", "open_ts", "close_ts", "count", "buy_count")


@dataclass(frozen=True)
class StreamStep:
    """What one batch of trades closed: the bars (in minute order) and each detector's alerts."""

    bars: Bars
    alerts: list[Alert]


class StreamingDetector:
    """Incremental bars and detectors over a trade stream (see the module docstring).

    Parameters
    ----------
    detectors : list of MarketDetector
        Fitted detectors; each keeps its own per-pair state.
    lateness_ms : int
        How late (event time behind the newest one) a trade may arrive, 0 to 10 minutes.
    """

    def __init__(self, detectors: list[MarketDetector], *, lateness_ms: int = 5000):
        if not 0 <= lateness_ms <= 10 * MINUTE_MS:
            raise BadParameters("lateness_ms", f"must be between 0 and 600000, got {lateness_ms}")
        self.detectors = detectors
        self.lateness_ms = int(lateness_ms)
        self.slots = self.lateness_ms // MINUTE_MS + 2
        self.pairs: list[str] = []
        self._code: dict[str, int] = {}
        self.clock = np.array([_NONE, _NONE, 0, 0], dtype=np.int64)  # newest time, next minute to close, late, seen
        self._alloc(0)
        self.states = [d.new_state() for d in detectors]

    @property
    def late(self) -> int:
        """Trades that arrived after their minute had closed (left out of the bars)."""
        return int(self.clock[2])

    @property
    def trades_seen(self) -> int:
        """Every trade pushed, late ones included."""
        return int(self.clock[3])

    @property
    def watermark_ms(self) -> int | None:
        """Newest event time minus the allowed lateness (None before the first trade)."""
        return None if self.clock[0] == _NONE else int(self.clock[0]) - self.lateness_ms

    def _alloc(self, n_pairs: int) -> None:
        old = getattr(self, "slot_i", None)
        size = max(n_pairs, 16 if old is None else 2 * len(old))
        slot_f = np.zeros((size, self.slots, len(_F)))
        slot_i = np.full((size, self.slots, len(_I)), -1, dtype=np.int64)
        per_second = np.zeros((size, self.slots, 60), dtype=np.int64)
        touched = np.zeros((self.slots, size), dtype=np.int32)
        if old is not None:
            slot_f[: len(old)], slot_i[: len(old)], per_second[: len(old)] = self.slot_f, self.slot_i, self.per_second
            touched[:, : len(old)] = self.touched
        else:
            self.touched_n = np.zeros(self.slots, dtype=np.int64)
        self.slot_f, self.slot_i, self.per_second, self.touched = slot_f, slot_i, per_second, touched

    def codes(self, names) -> np.ndarray:
        """Stream pair codes of pair names, registering new pairs."""
        for name in names:
            if name not in self._code:
                self._code[name] = len(self.pairs)
                self.pairs.append(name)
        if len(self.pairs) > len(self.slot_i):
            self._alloc(len(self.pairs))
        return np.array([self._code[n] for n in names], dtype=np.int32)

    def push(self, trades: TradeTable) -> StreamStep:
        """Feed trades in arrival order; returns the bars and alerts this closed."""
        if len(trades) == 0:
            return self._emit(
                0, np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros((0, 8)), np.zeros((0, 3), np.int64)
            )
        pair = self.codes(trades.pairs)[trades.pair]
        return self._run(pair, trades.ts, trades.buy, trades.price, trades.qty, flush=False)

    def flush(self) -> StreamStep:
        """Close every open bar (end of input): the watermark moves past every trade seen."""
        return self._run(*self._nothing(), flush=True)

    def advance(self, event_ms: int) -> StreamStep:
        """Move event time to ``event_ms`` without a trade (a heartbeat), closing the minutes it passes."""
        return self._run(*self._nothing(), flush=False, advance=int(event_ms))

    @staticmethod
    def _nothing() -> tuple:
        return np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), np.zeros(0)

    def _run(self, pair, ts, buy, price, qty, *, flush: bool, advance: int = _NONE) -> StreamStep:
        capacity = len(ts) + len(self.pairs) * self.slots
        out_pair = np.empty(capacity, np.int32)
        out_minute = np.empty(capacity, np.int64)
        out_f = np.empty((capacity, len(_F)))
        out_i = np.empty((capacity, 3), np.int64)
        n = _stream_kernel(
            pair, ts, buy, price, qty, self.lateness_ms, flush, advance,
            self.slot_f, self.slot_i, self.per_second, self.touched, self.touched_n, self.clock,
            out_pair, out_minute, out_f, out_i,
        )  # fmt: skip
        return self._emit(n, out_pair, out_minute, out_f, out_i)

    def _emit(self, n, out_pair, out_minute, out_f, out_i) -> StreamStep:
        f = {name: out_f[:n, j].copy() for j, name in enumerate(_F)}
        bars = Bars(
            tuple(self.pairs), out_pair[:n].copy(), out_minute[:n].copy(),
            f["open"], f["high"], f["low"], f["close"], f["volume"], f["buy_volume"], f["sell_volume"],
            f["quote_volume"], out_i[:n, 0].copy(), out_i[:n, 1].copy(), out_i[:n, 2].copy(),
        )  # fmt: skip
        alerts = []
        for detector, state in zip(self.detectors, self.states):
            alerts += detector.run(bars, state).alerts(bars, detector.name)
        return StreamStep(bars, alerts)

    def to_bytes(self) -> bytes:
        """The whole state (open bars, clock, pairs, detector states) as one blob, for checkpoints."""
        buf = io.BytesIO()
        arrays = {"slot_f": self.slot_f, "slot_i": self.slot_i, "per_second": self.per_second}
        arrays |= {"touched": self.touched, "touched_n": self.touched_n, "clock": self.clock}
        arrays |= {f"state{i}": np.frombuffer(s.to_bytes(), np.uint8) for i, s in enumerate(self.states)}
        np.savez(buf, pairs=np.array(self.pairs, dtype=str), **arrays)
        return buf.getvalue()

    def load_bytes(self, blob: bytes) -> None:
        """Restore what :meth:`to_bytes` wrote (same detectors and lateness)."""
        with np.load(io.BytesIO(blob)) as data:
            self.pairs = [str(p) for p in data["pairs"]]
            self._code = {p: i for i, p in enumerate(self.pairs)}
            for name in ("slot_f", "slot_i", "per_second", "touched", "touched_n", "clock"):
                setattr(self, name, data[name].copy())
            for i, state in enumerate(self.states):
                state.load_bytes(data[f"state{i}"].tobytes())


@njit(cache=True)
def _close_minute(minute, slot_f, slot_i, per_second, touched, touched_n, out_pair, out_minute, out_f, out_i, n_out):
    s = minute % slot_i.shape[1]
    for j in range(touched_n[s]):
        p = touched[s, j]
        if slot_i[p, s, 0] != minute:
            continue
        out_pair[n_out] = p
        out_minute[n_out] = minute
        out_f[n_out, :] = slot_f[p, s, :]
        out_i[n_out, 0] = slot_i[p, s, 3]
        out_i[n_out, 1] = slot_i[p, s, 4]
        out_i[n_out, 2] = rush_of(per_second[p, s])
        n_out += 1
        slot_i[p, s, 0] = -1
        per_second[p, s, :] = 0
    touched_n[s] = 0
    return n_out


@njit(cache=True)
def _stream_kernel(
    pair, ts, buy, price, qty, lateness, flush, advance,
    slot_f, slot_i, per_second, touched, touched_n, clock,
    out_pair, out_minute, out_f, out_i,
):  # fmt: skip
    n_out = 0
    n_slots = slot_i.shape[1]
    if advance != _NONE and clock[1] != _NONE and advance > clock[0]:
        clock[0] = advance
        while (clock[1] + 1) * MINUTE_MS <= clock[0] - lateness:
            n_out = _close_minute(
                clock[1], slot_f, slot_i, per_second, touched, touched_n, out_pair, out_minute, out_f, out_i, n_out
            )
            clock[1] += 1
    for i in range(len(ts)):
        t = ts[i]
        clock[3] += 1
        if clock[1] == _NONE:
            clock[0] = t
            clock[1] = (t - lateness) // MINUTE_MS
        if t > clock[0]:
            clock[0] = t
        watermark = clock[0] - lateness
        while (clock[1] + 1) * MINUTE_MS <= watermark:
            n_out = _close_minute(
                clock[1], slot_f, slot_i, per_second, touched, touched_n, out_pair, out_minute, out_f, out_i, n_out
            )
            clock[1] += 1
        m = t // MINUTE_MS
        if m < clock[1]:
            clock[2] += 1
            continue
        p = pair[i]
        s = m % n_slots
        f = slot_f[p, s]
        b = slot_i[p, s]
        if b[0] != m:  # the pair's first trade in this minute
            b[0], b[1], b[2], b[3], b[4] = m, t, t, 0, 0
            f[0], f[1], f[2], f[3] = price[i], price[i], price[i], price[i]
            f[4:] = 0.0
            touched[s, touched_n[s]] = p
            touched_n[s] += 1
        if t < b[1]:  # open: earliest event, first arrival among equal times
            b[1] = t
            f[0] = price[i]
        if t >= b[2]:  # close: latest event, last arrival among equal times
            b[2] = t
            f[3] = price[i]
        f[1] = max(f[1], price[i])
        f[2] = min(f[2], price[i])
        f[4] += qty[i]
        if buy[i]:
            f[5] += qty[i]
            b[4] += 1
            per_second[p, s, (t % MINUTE_MS) // 1000] += 1
        else:
            f[6] += qty[i]
        f[7] += price[i] * qty[i]
        b[3] += 1
    if flush and clock[1] != _NONE:
        last = clock[0] // MINUTE_MS
        while clock[1] <= last:
            n_out = _close_minute(
                clock[1], slot_f, slot_i, per_second, touched, touched_n, out_pair, out_minute, out_f, out_i, n_out
            )
            clock[1] += 1
    return n_out
