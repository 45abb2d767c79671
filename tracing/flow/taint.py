"""Time-respecting taint propagation: the engine under every trace.

Transfers are processed in processing order (time order forward, reversed time order
backward; see :class:`~tracing.flow.index.FlowIndex`) with a heap holding, for each
address that holds traced funds, its next outgoing transfer. A transfer therefore only
ever carries funds that arrived before it, every transfer is looked at once at most,
and the work is proportional to the transfers that leave traced addresses.

Three taint models decide how much of an outgoing transfer is traced:

``poison``
    Once an address received traced funds, everything it sends afterwards is traced
    in full (the upper bound; amounts are not conserved).
``haircut``
    Each transfer carries the address's traced share of its balance at that moment:
    ``traced * amount / balance``.
``fifo``
    Each address is a queue of lots (clean or traced, in arrival order); a transfer
    takes the oldest lots first.

Funds an address sends beyond the balance the data shows count as unknown, clean funds.
Under haircut and FIFO no address passes on more traced value than it received.
Self-transfers move no money and are not in the index. In a trace from an address,
everything the source sends is traced; traced funds that come back to it are counted
as received but not sent on again (they would be counted twice).

Backward (where did the money come from), a traced payment is attributed to the inflows
that funded it under the same model, read forward: poison, every earlier inflow in
full; haircut, each inflow in proportion to what was left of it in the balance when the
payment left; FIFO, the inflows whose place in the queue the payment consumed. The
forward composition of every transfer is precomputed
(:class:`~tracing.flow.index.Composition`), so backward traces run in the same sweep,
in reversed time order, and conserve value too.
"""

import heapq
import math
from array import array
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from tracing.flow.index import FlowIndex

__all__ = ["EPSILON", "Propagation", "Seed"]

EPSILON = 1e-9
"""Traced holdings at or below this many token units are treated as spent."""


@dataclass(frozen=True)
class Seed:
    """Traced funds entering the trace: ``amount`` arriving at ``address`` at ``position``.

    ``edge`` is the processing position of the seed transfer when there is one (the
    theft), so it is shown in the trace and its sender is hop 0; -1 otherwise.
    """

    address: int
    position: float
    amount: float
    hop: int
    time: int
    edge: int = -1


@dataclass(eq=False)
class Propagation:
    """State of one propagation over a :class:`FlowIndex`; call :meth:`run`.

    Parameters
    ----------
    index : FlowIndex
    model : {'poison', 'haircut', 'fifo'}
    hops : int
        Addresses this many hops from the source receive but do not pass on.
    min_amount : float
        Transfers carrying less traced value are not followed.
    start, end : int
        Processing positions of the time window.
    stops : numpy.ndarray of bool
        Addresses that receive but never pass on (exits).
    origin : int
        The source address when everything it sends is traced (a trace from an
        address), else -1.

    After :meth:`run`: per address ``held``, ``hop``, ``received``, ``sent``, ``first``
    and ``last`` (lists indexed by address code), and ``edges`` / ``traced``, the
    processing positions of the traced transfers and the value each carried.
    """

    index: FlowIndex
    model: str
    hops: int
    min_amount: float
    start: int
    end: int
    stops: np.ndarray
    origin: int = -1
    edges: array = field(default_factory=lambda: array("q"))
    traced: array = field(default_factory=lambda: array("d"))

    def __post_init__(self):
        n = len(self.index.table.addresses)
        self.held = [0.0] * n
        self.hop = [self.hops + 1] * n
        self.received = [0.0] * n
        self.sent = [0.0] * n
        self.first = [-1] * n
        self.last = [-1] * n
        self.cursor = [-1] * n
        self.memory: dict = {}  # per address: FIFO lots, or (backward) remembered slices or weighted sums
        self.synced: dict[int, float] = {}  # FIFO: position up to which clean inflows are queued
        self.skipped: dict[int, int] = {}  # FIFO: out-list index up to which outflows are taken off the queue

    # -- FIFO lots -----------------------------------------------------------------------
    def _enqueue(self, v: int, position: float, amount: float, whole: float) -> None:
        """Append a lot of ``whole`` (``amount`` of it traced) to ``v``'s queue."""
        lots = self.memory.get(v)
        if lots is None or self.held[v] <= EPSILON:
            self.skipped.pop(v, None)
            lots = self.memory[v] = deque()
            self.held[v] = 0.0
            ahead = self.index.balance_before(v, position)
            if ahead > 0:
                lots.append([ahead, 0.0])
        else:
            self._sync(v, position)
        size = max(whole, amount)
        if size > 0:
            lots.append([size, amount / size])
        self.synced[v] = position

    def _sync(self, v: int, position: float) -> None:
        """Append the clean funds ``v`` received since its last traced event as one lot."""
        gap = self.index.inflow_between(v, self.synced[v], position)
        if gap > 0:
            self.memory[v].append([gap, 0.0])
        self.synced[v] = position

    def _dequeue(self, u: int, position: int, amount: float) -> float:
        """Traced value of ``amount`` taken from the front of ``u``'s queue."""
        self._sync(u, position)
        out, need, lots = 0.0, amount, self.memory[u]
        while need > 0 and lots:
            lot = lots[0]
            take = min(need, lot[0])
            out += take * lot[1]
            need -= take
            lot[0] -= take
            if lot[0] <= EPSILON:
                lots.popleft()
        return min(out, self.held[u])

    def _skip_clean(self, u: int, k: int) -> int:
        """FIFO: the first of ``u``'s outflows from list index ``k`` on that reaches a traced lot.

        The outflows before it only take the clean funds queued ahead of the first traced
        lot (arrivals join the back of the queue, so nothing can change that); their
        total is taken off the queue now and they are never looked at one by one.
        """
        lots, ix = self.memory.get(u), self.index
        k = max(k, self.skipped.get(u, k))  # outflows already taken off the queue are not taken twice
        clean = 0.0
        for lot in lots or ():
            if lot[1] > 0:
                break
            clean += lot[0]
        else:
            return k
        first, end = ix.out_ptr[u], ix.out_ptr[u + 1]
        if clean <= 0 or k >= end:
            return k
        before = ix.out_cum[k - 1] if k > first else 0.0
        j = bisect_right(ix.out_cum, before + clean, k, end)
        self.skipped[u] = j
        if j > k:
            taken = ix.out_cum[j - 1] - before
            while taken > 0 and lots and lots[0][1] == 0:
                step = min(taken, lots[0][0])
                lots[0][0] -= step
                taken -= step
                if lots[0][0] <= EPSILON:
                    lots.popleft()
        return j

    # -- backward: what each traced payment was made of ------------------------------------
    def _remember_interval(self, v: int, position: float, amount: float, whole: float) -> None:
        """Backward FIFO: the payment at ``position`` took the slice ``known_lo..known_hi`` of ``v``'s inflows."""
        c = self.index.composition
        lo, hi = c.known_lo[position], c.known_hi[position]
        if hi > lo and whole > 0:
            self.memory.setdefault(v, deque()).append([lo, hi, amount / whole])

    def _take_interval(self, u: int, position: int, amount: float) -> float:
        """Backward FIFO: traced value of the inflow at ``position``: its slice's overlap with the remembered ones."""
        c, lots = self.index.composition, self.memory.get(u)
        lo, hi = c.in_lo[position], c.in_hi[position]
        out = gone = 0.0
        while lots and lots[0][1] > lo:  # slices above this inflow's start belong to it or to skipped inflows
            start, end, density = lots[0]
            overlap = max(0.0, min(end, hi) - max(start, lo))
            out += overlap * density
            gone += (end - max(start, lo) - overlap) * density
            if start < lo:
                lots[0][1] = lo
                break
            lots.popleft()
        self.held[u] -= gone
        return min(out, amount, max(self.held[u], 0.0))

    def _remember_share(self, v: int, position: float, amount: float, whole: float) -> None:
        """Backward haircut: add a traced payment of ``v`` to its running, survival-weighted sum."""
        c = self.index.composition
        if c.share_base[position] <= 0:  # a payment of nothing was made of nothing
            return
        term, keep, drains = amount / c.share_base[position], c.log_keep_out[position], c.drains_out[position]
        state = self.memory.get(v)
        if state is None or drains < state[2]:  # first payment, or ``v`` was emptied in between
            self.memory[v] = [term, keep, drains]
        else:
            state[0] = state[0] * math.exp(state[1] - keep) + term
            state[1] = keep

    def _remember_holding(self, v: int, position: float, amount: float) -> None:
        """Backward from funds ``v`` held (a seed between transfers): what they were made of.

        FIFO: the last ``amount`` units of its queue; haircut: that share of its balance.
        Beyond the balance the data shows, funds are unknown and trace to no one.
        """
        h = self.index.holding(v, position)
        held = min(amount, h.balance)
        if held <= 0:
            return
        if self.model == "fifo":
            self.memory.setdefault(v, deque()).append([h.inflow - held, h.inflow, 1.0])
        else:
            self.memory[v] = [held / h.balance, h.log_keep, h.drains]

    def _take_share(self, u: int, position: int, amount: float) -> float:
        """Backward haircut: the part of the remembered payments the inflow at ``position`` funded."""
        c, state = self.index.composition, self.memory.get(u)
        if state is None or c.drains_in[position] < state[2]:  # emptied since: it funded none of them
            self.held[u] = 0.0
            return 0.0
        share = amount * state[0] * math.exp(state[1] - c.log_keep_in[position])
        return min(share, amount, self.held[u])

    def _drop(self, u: int) -> None:
        """Forget what ``u`` holds: its outflows are no longer followed, so its state would go stale."""
        self.held[u] = 0.0
        self.memory.pop(u, None)
        self.synced.pop(u, None)
        self.skipped.pop(u, None)

    # -- the sweep ---------------------------------------------------------------------
    def _hooks(self):
        """How arrivals are remembered and outflows valued: ``(remember, take)`` (None: inline or unused)."""
        backward = self.index.composition is not None
        if self.model == "fifo":
            return (self._remember_interval, self._take_interval) if backward else (self._enqueue, self._dequeue)
        if self.model == "haircut" and backward:
            return self._remember_share, self._take_share
        return None, None

    def run(self, seeds: list[Seed]) -> "Propagation":
        """Inject the seeds, then process every outgoing transfer of a traced address in order.

        The loop keeps everything it touches in local variables: it runs once per
        traced transfer, up to millions of times.
        """
        ix, model, hops, end, stops, origin = self.index, self.model, self.hops, self.end, self.stops, self.origin
        held, hop, received, sent, first, last, cursor = (
            self.held,
            self.hop,
            self.received,
            self.sent,
            self.first,
            self.last,
            self.cursor,
        )
        edges, traced, heap, floor = self.edges, self.traced, [], max(self.min_amount, EPSILON)
        out_pos, out_ptr, src, dst, value, time = ix.out_pos, ix.out_ptr, ix.src, ix.dst, ix.value, ix.time
        balance_before_out = ix.balance_before_out
        push, pop, replace = heapq.heappush, heapq.heappop, heapq.heapreplace
        remember, take = self._hooks()
        backward = ix.composition is not None
        skip = self._skip_clean if model == "fifo" and ix.composition is None else None

        def arrive(v: int, position: float, amount: float, h: int, t: int, whole: float) -> None:
            received[v] += amount
            if first[v] < 0:
                first[v] = t
            last[v] = t
            if h < hop[v]:
                hop[v] = h
            if v == origin:
                return  # the source already sends everything in full: funds coming back are not sent twice
            if remember is not None and backward and position != int(position):
                self._remember_holding(v, position, amount)  # a seed held between transfers
            elif remember is not None:
                remember(v, position, amount, whole)
            held[v] += amount
            if cursor[v] < 0 and hop[v] < hops and not stops[v]:
                schedule(v, position)

        def schedule(u: int, after: float) -> None:
            k = bisect_right(out_pos, after, out_ptr[u], out_ptr[u + 1])
            if skip is not None:
                k = skip(u, k)
            if k < out_ptr[u + 1] and out_pos[k] < end:
                cursor[u] = k
                push(heap, out_pos[k])

        for seed in seeds:
            whole = seed.amount
            if seed.edge >= 0:
                edges.append(seed.edge)
                traced.append(seed.amount)
                sent[src[seed.edge]] += seed.amount
                hop[src[seed.edge]] = 0
                whole = value[seed.edge]
            arrive(seed.address, seed.position, seed.amount, seed.hop, seed.time, whole)
        if origin >= 0:
            hop[origin] = 0
            schedule(origin, self.start - 0.5)
        everything = model == "poison"
        while heap:
            position = heap[0]  # popped below, or replaced by the sender's next transfer (one sift)
            u = src[position]
            amount = value[position]
            if everything or u == origin:
                out = amount
            elif take is not None:
                out = take(u, position, amount)
                held[u] -= out
            else:  # forward haircut, inline: the hot path
                balance = balance_before_out[position]
                out = held[u] if balance <= amount else held[u] * amount / balance
                held[u] -= out
            k = cursor[u] + 1 if skip is None or u == origin else skip(u, cursor[u] + 1)
            if k < out_ptr[u + 1] and out_pos[k] < end and (everything or u == origin or held[u] >= floor):
                cursor[u] = k
                replace(heap, out_pos[k])
            else:
                cursor[u] = -1
                pop(heap)
                if held[u] < floor and not (everything or u == origin):
                    self._drop(u)  # a residue below min_amount is not followed, now or after the next arrival
            if out >= floor:
                edges.append(position)
                traced.append(out)
                sent[u] += out
                arrive(dst[position], position, out, hop[u] + 1, time[position], amount)
        return self
