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
    "group_ids_from_sorted",
    "group_moments",
    "packed_group_keys",
    "riding_chains",
    "run_volumes",
    "standardise",
]

_jit = numba.njit(cache=True, nogil=True)


# -- test 3, hiding through intermediaries ---------------------------------------------------
@_jit
def packed_group_keys(src, dst, asset, bucket, n_assets, n_buckets, row_bits):
    """One key ``group << (row_bits + 1) | row << 1 | side`` per departure (side 0) and arrival (side 1).

    A departure's group is (sender, asset, bucket), an arrival's (receiver, asset,
    bucket); rows without a bucket (``bucket < 0``) are left out.
    """
    live = 0
    for i in range(len(bucket)):
        live += bucket[i] >= 0
    keys = np.empty(2 * live, np.int64)
    k = 0
    for i in range(len(bucket)):
        if bucket[i] >= 0:
            keys[k] = ((((np.int64(src[i]) * n_assets + asset[i]) * n_buckets + bucket[i]) << row_bits | i) << 1) | 0
            keys[k + 1] = (
                (((np.int64(dst[i]) * n_assets + asset[i]) * n_buckets + bucket[i]) << row_bits | i) << 1
            ) | 1
            k += 2
    return keys


@_jit
def group_ids_from_sorted(keys, row_bits, n):
    """Dense group ids from the sorted keys of :func:`packed_group_keys`.

    Returns the departure group id and the arrival group id of every row (-1
    when left out), and the group key of each id (ascending).
    """
    gid = np.full((2, n), -1, np.int32)
    group_keys = np.empty(len(keys), np.int64)
    g = -1
    for k in range(len(keys)):
        group = keys[k] >> (row_bits + 1)
        if g < 0 or group != group_keys[g]:
            g += 1
            group_keys[g] = group
        gid[keys[k] & 1, (keys[k] >> 1) & ((np.int64(1) << row_bits) - 1)] = g
    return gid[0], gid[1], group_keys[: g + 1]


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
