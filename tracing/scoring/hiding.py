"""Test 3, hiding through intermediaries: pass-through chains followed hop by hop.

An account *passes funds through* when it receives an amount and sends the same
amount on (losing at most ``tolerance`` of it, for fees) within
``time_difference`` seconds, to someone other than the sender. Linking every
incoming transfer to the outgoing transfers that forward it gives, for each
transfer, at most one predecessor (the latest matching arrival) and at most one
successor (the earliest matching departure). Chains are followed along those
links, so the origin of the funds and every intermediary are named.

Linking is one sort and a few binary searches over the whole table; chains are
walked one hop at a time over all rows at once.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from tracing.model import TransferTable, display_address
from tracing.model.transfer import format_units
from tracing.params import Parameters
from tracing.scoring.result import EVIDENCE_LIMIT, TestResult

__all__ = ["Links", "hiding_through_intermediaries", "pass_through_links"]

_PAIR_CHUNK = 4_000_000  # candidate pairs examined at once: bounds memory on hubs


@dataclass(frozen=True)
class Links:
    """``pred[r]``: the transfer that row ``r`` forwards (or -1); ``succ[r]``: the one forwarding ``r``."""

    pred: np.ndarray
    succ: np.ndarray


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with lo[i] <= j < hi[i], as two flat arrays."""
    counts = hi - lo
    owner = np.repeat(np.arange(len(lo)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, lo[owner] + offsets


def _value_buckets(value: np.ndarray, tolerance: float) -> tuple[np.ndarray, tuple[int, ...]]:
    """Bucket of each (positive) value, and which bucket offsets can hold a match.

    With a tolerance, buckets are log-spaced a little wider than the tolerance, so
    an amount forwarded with a loss of at most ``tolerance`` falls in its own
    bucket or the one below. Without one, equal amounts share a bucket.
    """
    if tolerance > 0:
        width = -np.log1p(-tolerance) * (1 + 1e-6)
        return np.floor(np.log(value) / width).astype(np.int64), (0, -1)
    return np.unique(value, return_inverse=True)[1].astype(np.int64).reshape(-1), (0,)


def pass_through_links(table: TransferTable, *, tolerance: float, window: int) -> Links:
    """Link each transfer to the one it forwards, over a time-sorted table.

    Departures are indexed by (account, asset, value bucket, row); since rows are
    in time order, the departures that can forward an arrival at row ``r`` are
    one contiguous range per bucket: rows after ``r`` up to the end of the
    window. Only those few candidates are checked exactly.

    Parameters
    ----------
    table : TransferTable
        Must be in canonical time order (``table.sorted()``): row position is time rank.
    tolerance : float
        Largest fraction of an amount lost on the way.
    window : int
        Longest time in seconds an amount may rest at the intermediary.
    """
    n = len(table)
    pred = np.full(n, -1, dtype=np.int64)
    succ = np.full(n, -1, dtype=np.int64)
    live = np.flatnonzero(table.value > 0)  # zero-value transfers (address poisoning) never carry funds
    if len(live) < 2:
        return Links(pred, succ)
    value = table.value
    n_assets = max(len(table.assets), 1)
    bucket, offsets = _value_buckets(value[live], tolerance)
    bucket -= bucket.min() - 1  # >= 1, so offset -1 stays >= 0
    n_buckets = int(bucket.max()) + 2
    out_group = (table.src[live].astype(np.int64) * n_assets + table.asset[live]) * n_buckets + bucket
    stride = np.int64(n + 1)
    out_order = np.argsort(out_group * stride + live)  # keys are unique: no need for a stable sort
    by_group = out_group[out_order]
    starts = np.concatenate([[True], by_group[1:] != by_group[:-1]])
    groups = by_group[starts]  # sorted distinct groups; dense id = position
    out_sorted = (np.cumsum(starts) - 1) * stride + live[out_order]
    in_base = (table.dst[live].astype(np.int64) * n_assets + table.asset[live]) * n_buckets + bucket
    last_row = np.searchsorted(table.timestamp, table.timestamp[live] + window, "right")  # rows within the window
    # Queries run in key order: binary searches on sorted needles stay in cache.
    in_order = np.argsort(in_base * stride + live)
    lo_parts, hi_parts, owner_parts = [], [], []
    for offset in offsets:
        wanted = in_base[in_order] + offset
        g = np.minimum(np.searchsorted(groups, wanted), len(groups) - 1)
        hit = np.flatnonzero(groups[g] == wanted)  # arrivals whose account sends this asset at this size at all
        owner = in_order[hit]
        lo = np.searchsorted(out_sorted, g[hit] * stride + live[owner] + 1)
        hi = np.searchsorted(out_sorted, g[hit] * stride + last_row[owner])
        some = hi > lo
        lo_parts.append(lo[some])
        hi_parts.append(hi[some])
        owner_parts.append(owner[some])
    lo, hi, owner = np.concatenate(lo_parts), np.concatenate(hi_parts), np.concatenate(owner_parts)
    counts = hi - lo
    total = int(counts.sum())
    cuts = np.searchsorted(np.cumsum(counts), np.arange(1, total // _PAIR_CHUNK + 1) * _PAIR_CHUNK, "right")
    edges = np.unique(np.concatenate([[0], cuts, [len(lo)]]))
    found_r, found_s = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    # Candidate ranges are walked in chunks so a hub with many equal amounts cannot exhaust memory.
    for a, b in itertools.pairwise(edges):
        i, j = _expand(lo[a:b], hi[a:b])
        r, s = live[owner[i + a]], live[out_order[j]]
        dt = table.timestamp[s] - table.timestamp[r]
        keep = (value[s] <= value[r]) & (value[s] >= value[r] * (1 - tolerance)) & (table.dst[s] != table.src[r])
        same_time = keep & (dt == 0)
        if same_time.any():  # within one second only a later part of the same transaction forwards
            keep[same_time] = table.tx_hash[s[same_time]] == table.tx_hash[r[same_time]]
        found_r.append(r[keep])
        found_s.append(s[keep])
    r, s = np.concatenate(found_r), np.concatenate(found_s)
    # Predecessor of s: the latest arrival it can forward. Successor of r: the earliest departure forwarding it.
    return Links(pred=_choose(s, r, -r, n), succ=_choose(r, s, s, n))


def _choose(keys: np.ndarray, partners: np.ndarray, first: np.ndarray, n: int) -> np.ndarray:
    """For each key, the partner with the smallest ``first``; -1 where a key has none.

    ``first`` is a row number (or its negation), so (key, first) never ties.
    """
    best = np.full(n, -1, dtype=np.int64)
    if not len(keys):
        return best
    order = np.argsort(keys * np.int64(2 * n + 1) + (first + n))
    head = np.ones(len(order), dtype=bool)
    head[1:] = keys[order][1:] != keys[order][:-1]
    best[keys[order[head]]] = partners[order[head]]
    return best


def _walk(rows: np.ndarray, step: np.ndarray, hops: int) -> np.ndarray:
    """Follow ``step`` from each row, one hop at a time: column h is the row h hops away (-1 past the end)."""
    path = np.full((len(rows), hops + 1), -1, dtype=np.int64)
    path[:, 0] = rows
    for h in range(1, hops + 1):
        prev = path[:, h - 1]
        alive = prev >= 0
        if not alive.any():
            break
        path[alive, h] = step[prev[alive]]
    return path


def _chain_rows(back: np.ndarray, fwd: np.ndarray) -> list[int]:
    """The rows of one chain, origin first, from its backward and forward walks."""
    before = [int(r) for r in back[1:] if r >= 0][::-1]
    return before + [int(back[0])] + [int(r) for r in fwd[1:] if r >= 0]


def _describe_chain(table: TransferTable, rows: list[int], truncated: bool) -> dict:
    chain = table.chain
    first, last = rows[0], rows[-1]
    asset = table.assets[table.asset[first]]
    return {
        "origin": display_address(chain, str(table.addresses[table.src[first]])),
        "intermediaries": [display_address(chain, str(table.addresses[table.dst[r]])) for r in rows[:-1]],
        "destination": display_address(chain, str(table.addresses[table.dst[last]])),
        "hops": len(rows),
        "asset": asset.symbol,
        "amount_sent": format_units(int(table.amount[first]), asset.decimals),
        "amount_arrived": format_units(int(table.amount[last]), asset.decimals),
        "start": int(table.timestamp[first]),
        "end": int(table.timestamp[last]),
        "transactions": [str(table.tx_hash[r]) for r in rows],
        "truncated": truncated,
    }


def hiding_through_intermediaries(context: TransferTable, address: str, params: Parameters) -> TestResult:
    """Score the share of the address's transfers that ride pass-through chains (0-100).

    Parameters
    ----------
    context : TransferTable
        The address's transfers and those of its neighbourhood (the accounts funds
        may have passed through), in canonical time order.
    address : str
        Canonical address under investigation.
    """
    parameters = {
        "time_difference": params.time_difference,
        "tolerance": params.hiding_tolerance,
        "max_hops": params.hiding_max_hops,
    }
    code = context.code_of(address)
    mine = np.flatnonzero((context.src == code) | (context.dst == code)) if code >= 0 else np.zeros(0, np.int64)
    n = len(mine)
    links = pass_through_links(context, tolerance=params.hiding_tolerance, window=params.time_difference)
    ride_pos = np.flatnonzero((links.pred[mine] >= 0) | (links.succ[mine] >= 0))  # rows of the address's own table
    riding = mine[ride_pos]
    back = _walk(riding, links.pred, params.hiding_max_hops)
    fwd = _walk(riding, links.succ, params.hiding_max_hops)
    # One chain per (first row, last row): the in and out transfers of a mule share a chain.
    depth_b = (back >= 0).sum(axis=1) - 1
    depth_f = (fwd >= 0).sum(axis=1) - 1
    first = back[np.arange(len(riding)), depth_b]
    last = fwd[np.arange(len(riding)), depth_f]
    _, pick = np.unique(np.stack([first, last], axis=1), axis=0, return_index=True) if len(riding) else ([], [])
    pick = np.asarray(pick, dtype=np.int64)
    pick = pick[np.argsort(-context.value[first[pick]], kind="stable")]
    chains = [
        _describe_chain(
            context,
            _chain_rows(back[k], fwd[k]),
            truncated=bool(depth_b[k] == params.hiding_max_hops or depth_f[k] == params.hiding_max_hops),
        )
        for k in pick[:EVIDENCE_LIMIT]
    ]
    intermediaries = sorted({a for c in chains for a in c["intermediaries"]})
    origins = sorted({c["origin"] for c in chains})
    score = 100.0 * len(riding) / n if n else 0.0
    if not n:
        explanation = "No transfers to follow."
    elif len(riding):
        explanation = (
            f"{len(riding)} of {n} transfers ride {len(pick)} pass-through chain(s) "
            f"(same amount forwarded within {params.time_difference:,} s) through "
            f"{len(intermediaries)} intermediar{'y' if len(intermediaries) == 1 else 'ies'}, "
            f"from {len(origins)} origin(s)."
        )
    else:
        explanation = f"No transfer passes through an intermediary unchanged within {params.time_difference:,} s."
    evidence = {
        "riding_count": len(riding),
        "chain_count": len(pick),
        "origins": origins,
        "intermediaries": intermediaries,
        "chains": chains,
    }
    return TestResult("hiding", score, explanation, evidence, parameters, ride_pos)
