"""Compiled loops of the scoring engine (numba): linear passes numpy could only do with extra sorts.

``cache=True`` keeps the machine code in ``__pycache__``, so only the first run
on a machine pays the compilation. Hot loops do not call helper functions that
take arrays: each such call costs reference counting, more than the loop body.
"""

import numba
import numpy as np

__all__ = [
    "bursts",
    "counterparty_cells",
    "forwarding_links",
    "group_ids",
    "group_moments",
    "riding_chains",
    "run_volumes",
    "standardise",
]

_jit = numba.njit(cache=True, nogil=True)


# -- test 3, hiding through intermediaries ---------------------------------------------------
@_jit
def group_ids(src, dst, key, n_accounts, n_keys):
    """Dense ids of each row's departure group (sender, key) and arrival group (receiver, key), and the
    group one key below and above each (-1: none); rows with a negative key get -1.

    No sort: the rows are bucketed by account (a counting sort), then each
    account numbers its keys with a scratch table it clears after itself.
    """
    start = np.zeros(n_accounts + 1, np.int64)
    for i in range(len(key)):
        if key[i] >= 0:
            start[src[i] + 1] += 1
            start[dst[i] + 1] += 1
    for a in range(n_accounts):
        start[a + 1] += start[a]
    fill = start[:-1].copy()
    entries = np.empty(start[-1], np.int64)  # row << 1 | side (0 departure, 1 arrival), by account
    for i in range(len(key)):
        if key[i] >= 0:
            entries[fill[src[i]]] = i << 1
            fill[src[i]] += 1
            entries[fill[dst[i]]] = i << 1 | 1
            fill[dst[i]] += 1
    gid = np.full((2, len(key)), -1, np.int32)
    group_key = np.empty(len(entries), np.int64)
    below = np.full(len(entries), -1, np.int32)
    above = np.full(len(entries), -1, np.int32)
    scratch = np.full(n_keys + 1, -1, np.int64)  # one spare: the key above the last one
    groups = 0
    for a in range(n_accounts):
        first = groups
        for e in range(start[a], start[a + 1]):
            k = key[entries[e] >> 1]
            if scratch[k] < 0:
                scratch[k] = groups
                group_key[groups] = k
                groups += 1
            gid[entries[e] & 1, entries[e] >> 1] = scratch[k]
        for g in range(first, groups):
            k = group_key[g]
            above[g] = scratch[k + 1]
            below[g] = scratch[k - 1] if k > 0 else -1
        for g in range(first, groups):
            scratch[group_key[g]] = -1
    return gid[0], gid[1], below[:groups], above[:groups]


@_jit
def _sweep(query_gid, insert_gid, neighbour, span, src, dst, value, timestamp, tx, window, tolerance, forward, link):
    """One sweep of :func:`forwarding_links`: forward, departures look back at arrivals; backward, the reverse.

    Each group keeps a list of its rows seen so far, newest first; a row looks
    through the lists of its own group and, if ``span``, the ``neighbour``
    group, and keeps the first row within the window that passes the check.
    Times are kept beside the links, so rows outside the window are never
    read: the rows looked at are recent ones, still in the cache.
    """
    n = len(timestamp)
    head = np.empty((len(neighbour), 2), timestamp.dtype)  # per group: newest row so far and its time
    head[:, 0] = -1
    chain = np.empty((n, 2), timestamp.dtype)  # per row: the next row of its group's list and its time
    for step in range(n):
        i = step if forward else n - 1 - step
        g = query_gid[i]
        if g >= 0:
            for k in range(span + 1):
                h = g if k == 0 else neighbour[g]
                j = head[h, 0] if h >= 0 else -1
                t = head[h, 1] if h >= 0 else 0
                while j >= 0 and abs(timestamp[i] - t) <= window:
                    r, s = (j, i) if forward else (i, j)  # r arrives, s departs and may forward it
                    if (
                        value[s] <= value[r]
                        and value[s] >= value[r] * (1.0 - tolerance)
                        and dst[s] != src[r]
                        and (timestamp[s] > timestamp[r] or tx[s] == tx[r])
                    ):
                        if link[i] < 0 or (j > link[i]) == forward:  # the latest arrival, the earliest departure
                            link[i] = j
                        break
                    j, t = chain[j, 0], chain[j, 1]
        g = insert_gid[i]
        if g >= 0:
            chain[i, 0], chain[i, 1] = head[g, 0], head[g, 1]
            head[g, 0], head[g, 1] = i, timestamp[i]


@_jit
def forwarding_links(out_gid, in_gid, below, above, span, src, dst, value, timestamp, tx, window, tolerance):
    """``pred`` and ``succ`` of every row (see :func:`tracing.scoring.hiding.pass_through_links`).

    ``out_gid``/``in_gid`` number each row's departure and arrival group on one
    scale (account, asset and value bucket); ``below``/``above`` give the group
    one bucket lower/higher, or -1. A departure in bucket ``b`` can forward
    arrivals of buckets ``b .. b + span``. Rows must be in time order; with
    ``timestamp`` as int32 (seconds since the first row) the lists take half
    the cache.
    """
    pred = np.full(len(timestamp), -1, np.int64)
    succ = np.full(len(timestamp), -1, np.int64)
    _sweep(out_gid, in_gid, above, span, src, dst, value, timestamp, tx, window, tolerance, True, pred)
    _sweep(in_gid, out_gid, below, span, src, dst, value, timestamp, tx, window, tolerance, False, succ)
    return pred, succ


@_jit
def riding_chains(src, dst, code, pred, succ, max_hops):
    """The address's transfers that ride a chain, and where each chain starts and ends.

    Returns how many transfers the address has; for each riding one, its
    position among them, its row, and the first and last rows reached by
    following ``pred`` and ``succ`` (at most ``max_hops`` steps each way).
    """
    n = len(src)
    position = np.empty(n, np.int64)
    rows = np.empty(n, np.int64)
    first = np.empty(n, np.int64)
    last = np.empty(n, np.int64)
    mine = riding = 0
    for i in range(n):
        if src[i] != code and dst[i] != code:
            continue
        if pred[i] >= 0 or succ[i] >= 0:
            position[riding], rows[riding] = mine, i
            r, h = i, 0
            while h < max_hops and pred[r] >= 0:
                r, h = pred[r], h + 1
            first[riding] = r
            r, h = i, 0
            while h < max_hops and succ[r] >= 0:
                r, h = succ[r], h + 1
            last[riding] = r
            riding += 1
        mine += 1
    return mine, position[:riding], rows[:riding], first[:riding], last[:riding]


# -- test 1, unusual values ----------------------------------------------------------------
@_jit
def group_moments(group, x, n_groups):
    """Mean and (population) standard deviation of ``x`` within each group."""
    count = np.zeros(n_groups)
    mean = np.zeros(n_groups)
    for i in range(len(x)):
        count[group[i]] += 1.0
        mean[group[i]] += x[i]
    for g in range(n_groups):
        mean[g] /= max(count[g], 1.0)
    spread = np.zeros(n_groups)
    for i in range(len(x)):
        d = x[i] - mean[group[i]]
        spread[group[i]] += d * d
    for g in range(n_groups):
        spread[g] = np.sqrt(spread[g] / max(count[g], 1.0))
    return mean, spread


@_jit
def standardise(x, group, center, spread):
    """``(x - center) / spread`` of each row's group; 0 where the group has no spread beyond float noise."""
    z = np.zeros(len(x))
    for i in range(len(x)):
        g = group[i]
        if spread[g] > 1e-12 * max(abs(center[g]), 1.0):
            z[i] = (x[i] - center[g]) / spread[g]
    return z


# -- test 2, frequent transfers ------------------------------------------------------------
@_jit
def bursts(order, src, dst, code, timestamp, window):
    """Runs of transfers closer than ``window`` to the previous one of the same direction.

    ``order`` lists the rows in time order. Returns the address's incoming and
    its outgoing rows, each in time order (a transfer to itself is in both);
    ``involved``, whether each row is in a run; and each run of two or more
    transfers as its direction (0 in, 1 out), its half-open range in that
    direction's rows, and its first and last time.
    """
    sequences = np.empty((2, len(order)), np.int64)
    count = np.zeros(2, np.int64)
    run_start = np.zeros(2, np.int64)
    involved = np.zeros(len(timestamp), np.bool_)
    runs = np.empty((len(order) + 2, 5), np.int64)  # side, start, end, first time, last time
    n_runs = 0
    for step in range(len(order) + 1):
        r = order[step] if step < len(order) else -1
        for side in range(2):
            if r >= 0 and (dst[r] if side == 0 else src[r]) != code:
                continue
            k = count[side]
            if r >= 0 and k > 0 and timestamp[r] - timestamp[sequences[side, k - 1]] < window:
                pass  # the run goes on
            else:  # the run before k (if any) has ended
                start = run_start[side]
                if k - start >= 2:
                    runs[n_runs, 0], runs[n_runs, 1], runs[n_runs, 2] = side, start, k
                    runs[n_runs, 3] = timestamp[sequences[side, start]]
                    runs[n_runs, 4] = timestamp[sequences[side, k - 1]]
                    n_runs += 1
                    for j in range(start, k):
                        involved[sequences[side, j]] = True
                run_start[side] = k
            if r >= 0:
                sequences[side, k] = r
                count[side] = k + 1
    return sequences[0, : count[0]], sequences[1, : count[1]], involved, runs[:n_runs]


@_jit
def run_volumes(sequence, start, end, asset, value, n_assets):
    """Volume per asset of the rows ``sequence[start:end]``."""
    volume = np.zeros(n_assets)
    for j in range(start, end):
        volume[asset[sequence[j]]] += value[sequence[j]]
    return volume


# -- test 4, relation to listed entities ---------------------------------------------------
@_jit
def counterparty_cells(src, dst, asset, value, code, slot, n_slots, n_assets):
    """Per (counterparty slot, asset), the address's transfers and volume; and its rows whose slot is below
    ``n_slots - 1``.

    ``slot`` maps every address to a slot; the last slot collects everyone not listed.
    """
    transfers = np.zeros((n_slots, n_assets), np.int64)
    volume = np.zeros((n_slots, n_assets))
    rows = np.empty(len(src), np.int64)
    m = 0
    for i in range(len(src)):
        if src[i] != code and dst[i] != code:
            continue
        k = slot[dst[i] if src[i] == code else src[i]]
        transfers[k, asset[i]] += 1
        volume[k, asset[i]] += value[i]
        if k < n_slots - 1:
            rows[m] = i
            m += 1
    return transfers, volume, rows[:m]
