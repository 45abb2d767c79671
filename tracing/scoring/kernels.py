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
    "group_moments",
    "riding_chains",
    "run_volumes",
    "same_second_candidates",
    "standardise",
    "value_keys",
]

_jit = numba.njit(cache=True, nogil=True)


# -- test 3, hiding through intermediaries ---------------------------------------------------
_MANTISSA_BITS = 12
_LOG2_MANTISSA = np.log2(1 + np.arange(1 << _MANTISSA_BITS) / (1 << _MANTISSA_BITS))
LOG2_ERROR = float(np.log2(1 + 2.0**-_MANTISSA_BITS))  # how far below log2(x) the level of x may be


@_jit
def _level(bits):
    """A monotone approximation of log2 of a positive float from its bit pattern: at most ``LOG2_ERROR`` below."""
    return ((bits >> 52) - 1023) + _LOG2_MANTISSA[(bits >> (52 - _MANTISSA_BITS)) & ((1 << _MANTISSA_BITS) - 1)]


@_jit
def _forwards(sent, received, tolerance):
    """Whether ``sent`` passes ``received`` on, losing at most ``tolerance`` of it."""
    return sent <= received and sent >= received * (1.0 - tolerance)


@_jit
def value_keys(value, asset, n_assets, width, max_keys):
    """Key of each row's asset and log-spaced value bucket (-1 for amounts that are not positive), and the
    number of keys.

    Buckets are at least ``width`` wide, and wider when the value range would
    need more than ``max_keys`` keys. ``value`` amounts are at least 2^-1022
    (normal floats), so the level of an amount is within ``LOG2_ERROR`` of its log2.
    """
    bits = value.view(np.int64)
    low, high = np.inf, -np.inf
    for i in range(len(value)):
        if value[i] > 0:
            x = _level(bits[i])
            low, high = min(low, x), max(high, x)
    key = np.full(len(value), -1, np.int32)
    if low > high:
        return key, 1
    width = max(width, (high - low) / max(max_keys // n_assets - 2, 1))
    n_buckets = np.int64((high - low) / width) + 2  # a spare top bucket: one up from the highest is never live
    for i in range(len(value)):
        if value[i] > 0:
            key[i] = asset[i] * n_buckets + np.int64((_level(bits[i]) - low) / width)
    return key, n_assets * n_buckets


@_jit
def same_second_candidates(src, dst, key, span, value, timestamp, tolerance, longest):
    """Rows that share their second with a row they may forward, or be forwarded by: only those need their
    transaction compared. Seconds holding more than ``longest`` rows are taken whole.
    """
    flag = np.zeros(len(timestamp), np.bool_)
    first = 0  # the first row of the current second
    for s in range(1, len(timestamp)):
        if timestamp[s] != timestamp[s - 1]:
            first = s
        elif s - first > longest:
            flag[s] = True
        elif s - first == longest:
            flag[first : s + 1] = True
        else:
            for r in range(first, s):
                if (
                    key[s] >= 0
                    and 0 <= key[r] - key[s] <= span
                    and src[s] == dst[r]
                    and dst[s] != src[r]
                    and _forwards(value[s], value[r], tolerance)
                ):
                    flag[r] = flag[s] = True
    return np.flatnonzero(flag)


@_jit
def _same_transaction(rows, ids, r, s):
    """Whether rows ``r`` and ``s`` are both among the (sorted) ``rows`` with equal ``ids``."""
    i, j = np.searchsorted(rows, r), np.searchsorted(rows, s)
    return i < len(rows) and j < len(rows) and rows[i] == r and rows[j] == s and ids[i] == ids[j]


@_jit
def _passing_accounts(src, dst, key, n_accounts):
    """Where each account's entries start in a layout holding only accounts that can pass funds on: those
    that receive from someone and send to someone else (an account that only ever deals with one
    counterparty cannot). The account's departures and arrivals, with -1 keys left out, take one entry each.
    """
    peer = np.full((n_accounts, 2), -1, np.int64)  # per account: its one receiver and one sender so far, -2: several
    count = np.zeros((n_accounts, 2), np.int64)  # departures, arrivals
    for i in range(len(key)):
        if key[i] >= 0:
            for side in range(2):
                a, other = (src[i], dst[i]) if side == 0 else (dst[i], src[i])
                count[a, side] += 1
                if peer[a, side] == -1:
                    peer[a, side] = other
                elif peer[a, side] != other:
                    peer[a, side] = -2
    start = np.zeros(n_accounts + 1, np.int64)
    for a in range(n_accounts):
        passing = count[a, 0] > 0 and count[a, 1] > 0 and (peer[a, 0] != peer[a, 1] or peer[a, 0] == -2)
        start[a + 1] = start[a] + (count[a, 0] + count[a, 1] if passing else 0)
    return start


@_jit
def forwarding_links(src, dst, key, n_keys, span, value, timestamp, shared, tx, window, tolerance, n_accounts, clock):
    """``pred`` and ``succ`` of every row (see :func:`tracing.scoring.hiding.pass_through_links`).

    The departures and arrivals of each account that can pass funds on are
    bucketed with a counting sort, in time order, with their key and time
    beside them. Then two sweeps per account: forward, each departure looks
    back at arrivals; backward, each arrival looks ahead at departures. The
    entries seen so far sit in one list per key, newest first, with their
    times beside the links: a row looks at its own key's list and the
    neighbouring one (``span``: the departure's key is at most that far below
    the arrival's) and takes the first row within the window that passes the
    check, so rows outside the window are never read. Entries keep their time
    in seconds since the first row, as the type of the (empty) ``clock``: int32
    where it fits. Rows must number fewer than 2^31. Of two rows of one second,
    only ``shared`` ones can share a transaction: the one ``tx`` says.
    """
    n = len(key)
    start = _passing_accounts(src, dst, key, n_accounts)
    fill = start[:-1].copy()
    entries = np.empty(start[-1], np.int64)  # key << 32 | row << 1 | side (0 departure, 1 arrival)
    times = np.empty(start[-1], clock.dtype)
    base = timestamp[0] if n else 0
    for i in range(n):
        k = np.int64(key[i])
        if k >= 0:
            for side in range(2):
                a = src[i] if side == 0 else dst[i]
                f = fill[a]
                if f < start[a + 1]:
                    entries[f], times[f] = k << 32 | i << 1 | side, timestamp[i] - base
                    fill[a] = f + 1
    pred = np.full(n, -1, np.int32)
    succ = np.full(n, -1, np.int32)
    head = np.full((n_keys + 1, 2), -1, clock.dtype)  # per key: the newest entry of its list and its time
    chain = np.empty((len(entries), 2), clock.dtype)  # per entry: the next entry of its list and its time
    skip = np.empty(len(entries), np.int32)  # per entry: the next entry of its list with another counterparty
    low = (1 << 32) - 1
    for a in range(n_accounts):
        lo, hi = start[a], start[a + 1]
        for sweep in range(2 if hi > lo else 0):
            forward = sweep == 0  # forward: arrivals are listed, departures look; backward: the reverse
            for step in range(hi - lo):
                e = lo + step if forward else hi - 1 - step
                k, row, now = entries[e] >> 32, (entries[e] & low) >> 1, times[e]
                if ((entries[e] & 1) == 1) == forward:
                    h = head[k, 0]
                    chain[e, 0], chain[e, 1] = h, head[k, 1]
                    skip[e] = h
                    if h >= 0:
                        below = (entries[h] & low) >> 1  # the entry listed before: same counterparty?
                        if (src[below] == src[row]) if forward else (dst[below] == dst[row]):
                            skip[e] = skip[h]
                    head[k, 0], head[k, 1] = e, now
                    continue
                for d in range(span + 1):
                    h = k + d if forward else k - d
                    j = head[h, 0] if h >= 0 else -1
                    t = head[h, 1] if h >= 0 else now
                    while j >= 0 and abs(now - t) <= window:
                        other = (entries[j] & low) >> 1
                        r, s = (other, row) if forward else (row, other)  # r arrives, s departs and may forward it
                        if dst[s] == src[r]:  # back to its sender, as are the entries before skip[j]
                            j = skip[j]
                            t = times[j] if j >= 0 else now
                            continue
                        if _forwards(value[s], value[r], tolerance) and (
                            now != t or _same_transaction(shared, tx, r, s)
                        ):
                            if forward and (pred[row] < 0 or other > pred[row]):  # the latest arrival
                                pred[row] = other
                            if not forward and (succ[row] < 0 or other < succ[row]):  # the earliest departure
                                succ[row] = other
                            break
                        j, t = chain[j, 0], chain[j, 1]
            for e in range(lo, hi):
                head[entries[e] >> 32, 0] = -1
    return pred, succ


@_jit
def riding_chains(src, dst, code, pred, succ, max_hops):
    """The address's transfers that ride a chain, and where each chain starts and ends.

    Returns how many transfers the address has; for each riding one, its
    position among them, its row, and the first and last rows reached by
    following ``pred`` and ``succ`` (at most ``max_hops`` steps each way).
    """
    n = len(src)
    position = np.empty(n, np.int32)
    rows = np.empty(n, np.int32)
    first = np.empty(n, np.int32)
    last = np.empty(n, np.int32)
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
    """Mean and (population) standard deviation of ``x`` within each group.

    Sums run in four interleaved lanes, so consecutive rows of one group do not wait on each other.
    """
    count = np.zeros((n_groups, 4))
    total = np.zeros((n_groups, 4))
    for i in range(len(x)):
        count[group[i], i & 3] += 1.0
        total[group[i], i & 3] += x[i]
    mean = np.zeros(n_groups)
    for g in range(n_groups):
        mean[g] = total[g].sum() / max(count[g].sum(), 1.0)
    square = np.zeros((n_groups, 4))
    for i in range(len(x)):
        d = x[i] - mean[group[i]]
        square[group[i], i & 3] += d * d
    spread = np.zeros(n_groups)
    for g in range(n_groups):
        spread[g] = np.sqrt(square[g].sum() / max(count[g].sum(), 1.0))
    return mean, spread


@_jit
def standardise(x, group, center, spread):
    """``(x - center) / spread`` of each row's group; 0 where the group has no spread beyond float noise."""
    usable = np.zeros(len(spread))
    divisor = np.ones(len(spread))
    for g in range(len(spread)):
        if spread[g] > 1e-12 * max(abs(center[g]), 1.0):
            usable[g], divisor[g] = 1.0, spread[g]
    z = np.empty(len(x))
    for i in range(len(x)):
        g = group[i]
        z[i] = (x[i] - center[g]) / divisor[g] * usable[g] + 0.0  # + 0.0: no -0.0 where unusable
    return z


# -- test 2, frequent transfers ------------------------------------------------------------
@_jit
def bursts(order, src, dst, code, timestamp, window):
    """Runs of transfers closer than ``window`` to the previous one of the same direction.

    ``order`` lists the rows in time order; empty, the rows are in time order
    already. Returns the address's incoming and its outgoing rows, each in
    time order (a transfer to itself is in both); ``involved``, whether each
    row is in a run; and each run of two or more transfers as its direction
    (0 in, 1 out), its half-open range in that direction's rows, and its first
    and last time. The rows are split by direction without a branch, then
    each direction is cut into runs.
    """
    n = len(timestamp)
    sequences = np.empty((2, n), np.int32)
    ins = outs = 0
    for step in range(n):
        r = order[step] if len(order) else step
        sequences[0, ins], sequences[1, outs] = r, r
        ins += dst[r] == code
        outs += src[r] == code
    involved = np.zeros(n, np.bool_)
    runs = np.empty(((ins + outs) // 2 + 1, 5), np.int64)  # side, start, end, first time, last time
    n_runs = 0
    for side in range(2):
        sequence = sequences[side, : ins if side == 0 else outs]
        start = 0
        for k in range(1, len(sequence) + 1):
            if k < len(sequence) and timestamp[sequence[k]] - timestamp[sequence[k - 1]] < window:
                continue  # the run goes on
            if k - start >= 2:
                runs[n_runs, 0], runs[n_runs, 1], runs[n_runs, 2] = side, start, k
                runs[n_runs, 3], runs[n_runs, 4] = timestamp[sequence[start]], timestamp[sequence[k - 1]]
                n_runs += 1
                for j in range(start, k):
                    involved[sequence[j]] = True
            start = k
    return sequences[0, :ins], sequences[1, :outs], involved, runs[:n_runs]


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
    """Per (listed counterparty slot, asset), the address's transfers and volume; and the address's rows
    with a listed counterparty.

    ``slot`` maps every address to a slot below ``n_slots``, or to ``n_slots`` when it is not listed (as
    the address itself, ``code``, never is).
    """
    transfers = np.zeros((n_slots, n_assets), np.int64)
    volume = np.zeros((n_slots, n_assets))
    rows = np.empty(len(src), np.int64)
    m = 0
    for i in range(len(src) if code >= 0 else 0):
        mine = (src[i] == code) | (dst[i] == code)
        k = slot[(src[i] ^ dst[i] ^ code) if mine else code]  # the counterparty: the one of the two that is not code
        if k < n_slots:
            transfers[k, asset[i]] += 1
            volume[k, asset[i]] += value[i]
            rows[m] = i
            m += 1
    return transfers, volume, rows[:m]
