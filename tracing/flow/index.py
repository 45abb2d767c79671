"""The arrays a trace runs on: one asset's transfers in processing order, grouped per address.

A :class:`FlowIndex` is built once per table and direction (vectorised, O(n log n)).
Forward, the processing order is time order; backward, it is reversed time order with
senders and receivers swapped, so one engine traces both ways. For every address it
holds its outgoing and incoming positions (CSR layout) and its running balance, where
funds an address sends beyond what the table shows it received count as unknown,
untainted funds (the balance never goes below zero).

The hot loop of :mod:`tracing.flow.taint` reads scalars, so the per-position columns are
:class:`array.array` (compact, fast to index, ``bisect`` works on them, and
``np.frombuffer`` views them as numpy arrays without a copy).
"""

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from tracing.flow.scans import running_min, running_sum
from tracing.model import Asset, TransferTable

__all__ = ["Composition", "FlowIndex", "Holding", "segmented_scan"]


def segmented_scan(values: np.ndarray, group: np.ndarray, op: np.ufunc) -> np.ndarray:
    """Inclusive scan of ``op`` (``np.add`` or ``np.minimum``) restarting where ``group`` changes.

    ``group`` must be sorted (equal ids contiguous). One compiled pass
    (:mod:`tracing.flow.scans`).

    >>> segmented_scan(np.array([1.0, 2, 3, 4, 5]), np.array([0, 0, 0, 1, 1]), np.add)
    array([1., 3., 6., 4., 9.])
    """
    scan = {np.add: running_sum, np.minimum: running_min}[op]
    return scan(np.ascontiguousarray(values, dtype=np.float64), np.ascontiguousarray(group))


def _csr(keys: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions grouped by key (ascending within a group) and the group pointers."""
    n = len(keys)
    packed = keys.astype(np.int64) * n + np.arange(n)  # (key, position) in one int64: a plain sort is stable
    packed.sort()
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_groups), out=ptr[1:])
    return packed % max(n, 1), ptr


def _ints(values: np.ndarray) -> array:
    return array("q", np.ascontiguousarray(values, dtype=np.int64).tobytes())


def _floats(values: np.ndarray) -> array:
    return array("d", np.ascontiguousarray(values, dtype=np.float64).tobytes())


class _Events:
    """Each transfer as an outflow event then an inflow event, grouped per address, with running balances.

    ``order`` sorts the 2n events (outflows first, then inflows, by position) by
    (address, position, outflow before inflow); ``balance`` is the balance after
    each sorted event and ``before`` the one before it (unknown funds fill any gap).
    """

    def __init__(self, src: np.ndarray, dst: np.ndarray, value: np.ndarray, n_addr: int):
        n = len(src)
        # One int64 key per event, (address, position, kind): a plain sort orders them, and decodes back.
        keys = np.concatenate([src, dst]).astype(np.int64) * (2 * n) + 2 * np.tile(np.arange(n), 2)
        keys[n:] += 1
        keys.sort()
        self.n = n
        self.addr, self.pos, self.kind = keys // (2 * n), keys % (2 * n) // 2, keys % 2
        self.order = self.kind * n + self.pos  # each sorted event's place among the outflows, then the inflows
        self.key = 2 * self.pos + self.kind  # an outflow at p sorts before the inflow at p
        self.value = np.concatenate([value, value])[self.order]
        running = segmented_scan(np.where(self.kind == 0, -self.value, self.value), self.addr, np.add)
        lowest = segmented_scan(running, self.addr, np.minimum)
        self.balance = running - np.minimum(lowest, 0.0)
        self.before = self.exclusive(self.balance)
        self.ptr = np.zeros(n_addr + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.addr, minlength=n_addr), out=self.ptr[1:])

    def exclusive(self, inclusive: np.ndarray) -> np.ndarray:
        """The value before each event, from a per-address inclusive running value (0 at a group's start)."""
        shifted = np.concatenate([[0.0], inclusive[:-1]])
        shifted[np.concatenate([[True], self.addr[1:] != self.addr[:-1]])] = 0.0
        return shifted

    def running(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-address running sums of ``values`` (one per sorted event): before and after each event."""
        after = segmented_scan(values, self.addr, np.add)
        return after - values, after

    def at_out(self, values: np.ndarray) -> np.ndarray:
        """``values`` of the sorted events, at each transfer's outflow event (indexed by position)."""
        return self._at(values, 0)

    def at_in(self, values: np.ndarray) -> np.ndarray:
        """``values`` of the sorted events, at each transfer's inflow event (indexed by position)."""
        return self._at(values, 1)

    def _at(self, values: np.ndarray, kind: int) -> np.ndarray:
        out = np.zeros(self.n)
        mask = self.kind == kind
        out[self.pos[mask]] = values[mask]
        return out


@dataclass(frozen=True, eq=False)
class Composition:
    """What each transfer is made of under the forward models, for tracing backward.

    Indexed by processing position of a backward index (transfer ``p`` is row
    ``rows[p]``, its on-chain sender is the backward receiver). Per transfer:
    ``in_lo``/``in_hi``, the receiver's cumulative inflow before and after it (its
    place in the receiver's FIFO queue); ``known_lo``/``known_hi``, the sender's
    cumulative outflow of known funds (the part of its queue it consumed);
    ``share_base``, the sender's balance (or the amount, if larger) when it was sent;
    ``log_keep_out``/``drains_out`` and ``log_keep_in``/``drains_in``, the sender's
    (receiver's) running sum of ``log(1 - amount / balance)`` over its earlier
    outflows and its count of outflows that emptied it: a unit received at ``i`` is
    still in the balance at ``o`` in the share ``exp(log_keep_out[o] - log_keep_in[i])``
    when no outflow in between emptied the address.
    """

    in_lo: array
    in_hi: array
    known_lo: array
    known_hi: array
    share_base: array
    log_keep_out: array
    drains_out: array
    log_keep_in: array
    drains_in: array

    @classmethod
    def of(cls, table: TransferTable, rows: np.ndarray) -> "Composition":
        """The composition of ``table``'s transfers (time order), reindexed by ``rows``."""
        ev = _Events(table.src.astype(np.int64), table.dst.astype(np.int64), table.value, len(table.addresses))
        out, incoming = ev.kind == 0, ev.kind == 1
        inflow_lo, inflow_hi = ev.running(np.where(incoming, ev.value, 0.0))
        known_lo, known_hi = ev.running(np.where(out, np.minimum(ev.value, ev.before), 0.0))
        drained = out & (ev.before <= ev.value) & (ev.value > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            keep = np.where(out & ~drained & (ev.before > 0), np.log1p(-ev.value / ev.before), 0.0)
        log_keep, _ = ev.running(keep)
        drains, _ = ev.running(drained.astype(np.float64))
        return cls(
            in_lo=_floats(ev.at_in(inflow_lo)[rows]),
            in_hi=_floats(ev.at_in(inflow_hi)[rows]),
            known_lo=_floats(ev.at_out(known_lo)[rows]),
            known_hi=_floats(ev.at_out(known_hi)[rows]),
            share_base=_floats(np.maximum(ev.at_out(ev.before), table.value)[rows]),
            log_keep_out=_floats(ev.at_out(log_keep)[rows]),
            drains_out=_floats(ev.at_out(drains)[rows]),
            log_keep_in=_floats(ev.at_in(log_keep)[rows]),
            drains_in=_floats(ev.at_in(drains)[rows]),
        )


@dataclass(frozen=True)
class Holding:
    """An address's funds at one moment, in the terms of :class:`Composition`.

    ``inflow``: everything it had received (the back of its FIFO queue); ``balance``:
    what it still held; ``log_keep`` and ``drains``: its running sum of
    ``log(1 - amount / balance)`` over its outflows, and its count of outflows that
    emptied it, so a unit received at ``i`` is still held in the share
    ``exp(log_keep - log_keep_in[i])`` when ``drains == drains_in[i]``.
    """

    inflow: float
    balance: float
    log_keep: float
    drains: float


@dataclass(frozen=True, eq=False)
class FlowIndex:
    """One asset's transfers, ready to trace in one direction (see the module docstring).

    Build it with :meth:`build`. Position ``p`` is the ``p``-th transfer in processing
    order; ``rows[p]`` is its row in ``table``.
    """

    table: TransferTable
    direction: str
    asset: Asset | None
    rows: np.ndarray
    src: array
    dst: array
    value: array
    time: array
    out_ptr: array
    out_pos: array
    in_ptr: array
    in_pos: array
    in_cum: array
    out_cum: array
    ev_ptr: array
    ev_key: array
    ev_balance: array
    balance_before_out: array
    composition: "Composition | None"

    @classmethod
    def build(cls, table: TransferTable, direction: str = "forward") -> "FlowIndex":
        """Index ``table`` (one asset, any order) for tracing ``direction``.

        Self-transfers move no money, so no model sees them: they are left out.
        """
        if len(table) and (table.asset != table.asset[0]).any():
            raise ValueError("a flow index holds one asset; filter the table first")
        table = table.sorted()
        moving = table.src != table.dst
        if not moving.all():
            table = table.take(moving)
        n, n_addr = len(table), len(table.addresses)
        rows = np.arange(n, dtype=np.int64)
        src, dst = table.src.astype(np.int64), table.dst.astype(np.int64)
        if direction == "backward":
            rows = rows[::-1].copy()
            src, dst = dst[::-1].copy(), src[::-1].copy()
        value = table.value[rows]
        out_pos, out_ptr = _csr(src, n_addr)
        in_pos, in_ptr = _csr(dst, n_addr)
        in_cum = segmented_scan(value[in_pos], dst[in_pos], np.add)
        out_cum = segmented_scan(value[out_pos], src[out_pos], np.add)
        ev = _Events(src, dst, value, n_addr)
        return cls(
            table=table,
            direction=direction,
            asset=table.assets[table.asset[0]] if n else None,
            rows=rows,
            src=_ints(src),
            dst=_ints(dst),
            value=_floats(value),
            time=_ints(table.timestamp[rows]),
            out_ptr=_ints(out_ptr),
            out_pos=_ints(out_pos),
            in_ptr=_ints(in_ptr),
            in_pos=_ints(in_pos),
            in_cum=_floats(in_cum),
            out_cum=_floats(out_cum),
            ev_ptr=_ints(ev.ptr),
            ev_key=_ints(ev.key),
            ev_balance=_floats(ev.balance),
            balance_before_out=_floats(ev.at_out(ev.before)),
            composition=Composition.of(table, rows) if direction == "backward" else None,
        )

    def __len__(self) -> int:
        return len(self.rows)

    def window(self, since: int | None, until: int | None) -> tuple[int, int]:
        """Processing positions ``[start, end)`` of the transfers inside ``[since, until]``."""
        times = self.table.timestamp
        lo = 0 if since is None else int(np.searchsorted(times, since, side="left"))
        hi = len(times) if until is None else int(np.searchsorted(times, until, side="right"))
        return (lo, hi) if self.direction == "forward" else (len(times) - hi, len(times) - lo)

    def balance_before(self, address: int, position: float) -> float:
        """Balance of ``address`` just before the transfer at ``position`` arrives.

        A fractional ``position`` (a seed
        between transfers) counts every event before it.
        """
        lo, hi = self.ev_ptr[address], self.ev_ptr[address + 1]
        k = bisect_left(self.ev_key, 2 * position + 1, lo, hi)
        return self.ev_balance[k - 1] if k > lo else 0.0

    def inflow_between(self, address: int, after: float, before: float) -> float:
        """Value ``address`` received at positions strictly between ``after`` and ``before``."""
        lo, hi = self.in_ptr[address], self.in_ptr[address + 1]
        k1 = bisect_right(self.in_pos, after, lo, hi)
        k2 = bisect_left(self.in_pos, before, lo, hi)
        if k2 <= k1:
            return 0.0
        return self.in_cum[k2 - 1] - (self.in_cum[k1 - 1] if k1 > lo else 0.0)

    def holding(self, address: int, position: float) -> "Holding":
        """Backward: what ``address`` held, under the forward models, when the sweep reaches ``position``.

        That is its state after every transfer at a later processing position (an
        earlier time) than ``position``, read from its own transfers in time order.
        """
        if self.direction != "backward":
            raise ValueError("holdings are read for backward traces")
        n = len(self)
        first = max(int(np.ceil(position)), 0)  # positions >= first happened before the holding
        rows = np.arange(n - 1, first - 1, -1)  # those positions in time order
        src = np.frombuffer(self.dst, dtype=np.int64)[rows]  # the backward index swapped the parties
        dst = np.frombuffer(self.src, dtype=np.int64)[rows]
        mine = (src == address) | (dst == address)
        value = np.frombuffer(self.value, dtype=np.float64)[rows][mine]
        ev = _Events(src[mine], dst[mine], value, len(self.table.addresses))
        at = slice(ev.ptr[address], ev.ptr[address + 1])
        out, incoming = ev.kind[at] == 0, ev.kind[at] == 1
        before = ev.before[at]
        amount = ev.value[at]
        drained = out & (before <= amount) & (amount > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            keep = np.where(out & ~drained & (before > 0), np.log1p(-amount / before), 0.0)
        return Holding(
            inflow=float(amount[incoming].sum()),
            balance=float(ev.balance[at][-1]) if at.stop > at.start else 0.0,
            log_keep=float(keep.sum()),
            drains=float(drained.sum()),
        )

    def inflow_totals(self, start: int, end: int) -> np.ndarray:
        """Value received by each address at positions ``[start, end)`` (the denominator of taint shares)."""
        dst = np.frombuffer(self.dst, dtype=np.int64)[start:end]
        value = np.frombuffer(self.value, dtype=np.float64)[start:end]
        return np.bincount(dst, weights=value, minlength=len(self.table.addresses)).astype(np.float64)
