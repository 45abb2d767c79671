"""Test 3, hiding through intermediaries: pass-through chains followed hop by hop.

An account *passes funds through* when it receives an amount and sends the same
amount on (losing at most ``tolerance`` of it, for fees) within
``time_difference`` seconds, to someone other than the sender. Linking every
incoming transfer to the outgoing transfers that forward it gives, for each
transfer, at most one predecessor (the latest matching arrival) and at most one
successor (the earliest matching departure). Chains are followed along those
links, so the origin of the funds and every intermediary are named.

Linking and finding where each chain starts and ends are compiled linear passes
(:mod:`tracing.scoring.kernels`); only the chains listed as evidence are walked
hop by hop.

Receiving and paying on is the ordinary business of exchanges, bridges and other
services (sweeps, deposits and withdrawals): a link whose intermediary is
labelled with one of :data:`~tracing.labels.PASS_THROUGH_CATEGORIES` is not
hiding. Such links are cut before chains are followed and reported apart, with
the services they passed through.
"""

from dataclasses import dataclass

import numpy as np

from tracing.labels import PASS_THROUGH_CATEGORIES, LabelIndex
from tracing.model import TransferTable, display_address
from tracing.model.transfer import format_units
from tracing.params import Parameters
from tracing.scoring.kernels import (
    LOG2_ERROR,
    forwarding_links,
    riding_chains,
    same_second_candidates,
    value_keys,
)
from tracing.scoring.result import EVIDENCE_LIMIT, TestResult, largest_first

__all__ = ["Links", "bucket_width", "cut_service_links", "hiding_through_intermediaries", "pass_through_links"]

_MAX_KEYS = 1 << 20  # (asset, value bucket) keys at most: bounds a scratch table of the linking
_LONGEST_SECOND = 64  # rows of one second compared pair by pair; a longer second has all its hashes read


@dataclass(frozen=True)
class Links:
    """``pred[r]``: the transfer that row ``r`` forwards (or -1); ``succ[r]``: the one forwarding ``r``."""

    pred: np.ndarray
    succ: np.ndarray


def bucket_width(tolerance: float) -> float:
    """The narrowest value bucket, in log2 units, that an amount losing ``tolerance`` cannot skip.

    >>> round(bucket_width(0.01), 4)
    0.0149
    """
    return float(-np.log2(1 - tolerance) + LOG2_ERROR) * (1 + 1e-6)  # the slack covers rounding


def _value_keys(table: TransferTable, tolerance: float) -> tuple[np.ndarray, int, int]:
    """Key of each row's asset and value bucket (-1 for zero amounts), how many keys there are, and how many
    buckets below its own a forwarded amount can fall.

    Buckets are log-spaced, a little wider than the tolerance, so an amount
    forwarded with a loss of at most ``tolerance`` falls in its own bucket or
    the one below; equal amounts always share one. No bucket is narrower than
    the value range split in ``_MAX_KEYS`` per asset: wider buckets only add
    candidates, and every candidate is checked exactly.
    """
    value = np.ascontiguousarray(table.value, dtype=np.float64)
    key, n_keys = value_keys(value, table.asset, max(len(table.assets), 1), bucket_width(tolerance), _MAX_KEYS)
    return key, n_keys, int(tolerance > 0)


def _transaction_ids(table: TransferTable, rows: np.ndarray) -> np.ndarray:
    """An id per row of ``rows``, equal for two rows exactly when they share a transaction."""
    position: dict[str, int] = {}
    return np.array([position.setdefault(h, k) for k, h in enumerate(table.tx_hash[rows].tolist())], dtype=np.int64)


def pass_through_links(table: TransferTable, *, tolerance: float, window: int) -> Links:
    """Link each transfer to the one it forwards, over a time-sorted table.

    Departure ``s`` forwards arrival ``r`` when ``s`` leaves the account ``r``
    paid, in the same asset, after ``r`` and at most ``window`` seconds later
    (in the same second only within the same transaction), to someone other
    than ``r``'s sender, with at most ``tolerance`` of the amount lost. Each
    arrival links to its earliest forwarding departure, each departure to its
    latest forwarded arrival (:func:`tracing.scoring.kernels.forwarding_links`).

    Parameters
    ----------
    table : TransferTable
        Must be in canonical time order (``table.sorted()``): row position is time rank.
    tolerance : float
        Largest fraction of an amount lost on the way.
    window : int
        Longest time in seconds an amount may rest at the intermediary.
    """
    key, n_keys, span = _value_keys(table, tolerance)
    stamps, value, tolerance = table.timestamp, table.value, float(tolerance)
    fits = len(stamps) == 0 or int(stamps[-1] - stamps[0]) < 2**31
    shared = same_second_candidates(table.src, table.dst, key, span, value, stamps, tolerance, _LONGEST_SECOND)
    pred, succ = forwarding_links(
        table.src,
        table.dst,
        key,
        n_keys,
        span,
        value,
        stamps,
        shared,
        _transaction_ids(table, shared),
        int(window),
        tolerance,
        len(table.addresses),
        np.empty(0, np.int32 if fits else np.int64),
    )
    return Links(pred=pred, succ=succ)


def cut_service_links(table: TransferTable, links: Links, labels: LabelIndex | None) -> tuple[Links, np.ndarray]:
    """``links`` without those whose intermediary is a labelled service, and the rows that arrived at one and
    were forwarded by it (the cut links' arrivals)."""
    if labels is None or not len(table):
        return links, np.zeros(0, dtype=np.int64)
    service = np.isin(table.addresses, labels.addresses(table.chain, PASS_THROUGH_CATEGORIES))
    if not service.any():
        return links, np.zeros(0, dtype=np.int64)
    pred, succ = links.pred.copy(), links.succ.copy()
    arrivals = np.flatnonzero((succ >= 0) & service[table.dst])
    pred[(pred >= 0) & service[table.src]] = -1
    succ[arrivals] = -1
    return Links(pred=pred, succ=succ), arrivals


def _services(table: TransferTable, arrivals: np.ndarray, code: int, labels: LabelIndex) -> list[dict]:
    """The services the address's funds passed through (or the address itself, if one), with link counts."""
    mine = arrivals[(table.src[arrivals] == code) | (table.dst[arrivals] == code)] if code >= 0 else arrivals[:0]
    services, counts = np.unique(table.dst[mine], return_counts=True)
    out = []
    for s, n in sorted(zip(services.tolist(), counts.tolist()), key=lambda x: -x[1])[:EVIDENCE_LIMIT]:
        address = str(table.addresses[s])
        label = next((lb for lb in labels.of(table.chain, address) if lb.category in PASS_THROUGH_CATEGORIES), None)
        out.append(
            {
                "address": display_address(table.chain, address),
                "name": label.name if label else "",
                "category": label.category if label else "",
                "forwards": n,
            }
        )
    return out


def _chain_rows(links: Links, row: int, max_hops: int) -> tuple[list[int], bool]:
    """The rows of the chain through ``row``, origin first, and whether ``max_hops`` cut it."""
    before, r = [], row
    while len(before) < max_hops and links.pred[r] >= 0:
        r = int(links.pred[r])
        before.append(r)
    after, r = [], row
    while len(after) < max_hops and links.succ[r] >= 0:
        r = int(links.succ[r])
        after.append(r)
    return [*before[::-1], row, *after], max(len(before), len(after)) == max_hops


def _first_positions(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of the first occurrence in ``keys`` of each of the (few, distinct, present) ``wanted`` keys."""
    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(wanted)
    at = np.minimum(np.searchsorted(wanted[order], keys), len(wanted) - 1)
    hit = np.flatnonzero(wanted[order][at] == keys)
    found = np.full(len(wanted), len(keys), dtype=np.int64)
    np.minimum.at(found, order[at[hit]], hit)
    return found


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


def hiding_through_intermediaries(
    context: TransferTable, address: str, params: Parameters, labels: LabelIndex | None = None
) -> TestResult:
    """Score the share of the address's transfers that ride pass-through chains (0-100).

    Parameters
    ----------
    context : TransferTable
        The address's transfers and those of its neighbourhood (the accounts funds
        may have passed through), in canonical time order.
    address : str
        Canonical address under investigation.
    labels : LabelIndex, optional
        Labelled exchanges and services, whose pass-through is reported apart from hiding.
    """
    parameters = {
        "time_difference": params.time_difference,
        "tolerance": params.hiding_tolerance,
        "max_hops": params.hiding_max_hops,
    }
    links = pass_through_links(context, tolerance=params.hiding_tolerance, window=params.time_difference)
    links, service_rows = cut_service_links(context, links, labels)
    hops = params.hiding_max_hops
    n, ride_pos, riding, first, last = riding_chains(
        context.src, context.dst, context.code_of(address), links.pred, links.succ, hops
    )
    # One chain per (first row, last row): the in and out transfers of a mule share a chain.
    keys = first * np.int64(len(context)) + last
    chain_keys = np.sort(keys)
    chain_keys = chain_keys[np.diff(chain_keys, prepend=-1) != 0]
    shown = chain_keys[largest_first(context.value[chain_keys // max(len(context), 1)])]
    chains = [
        _describe_chain(context, *_chain_rows(links, int(riding[k]), hops)) for k in _first_positions(keys, shown)
    ]
    intermediaries = sorted({a for c in chains for a in c["intermediaries"]})
    origins = sorted({c["origin"] for c in chains})
    score = 100.0 * len(riding) / n if n else 0.0
    if not n:
        explanation = "No transfers to follow."
    elif len(riding):
        explanation = (
            f"{len(riding):,} of {n:,} transfers ride {len(chain_keys):,} pass-through chain(s) "
            f"(same amount forwarded within {params.time_difference:,} s) through "
            f"{len(intermediaries):,} intermediar{'y' if len(intermediaries) == 1 else 'ies'}, "
            f"from {len(origins):,} origin(s)."
        )
    else:
        explanation = f"No transfer passes through an intermediary unchanged within {params.time_difference:,} s."
    services = _services(context, service_rows, context.code_of(address), labels) if len(service_rows) else []
    if services:
        forwards = sum(x["forwards"] for x in services)
        explanation += (
            f" {forwards} forward(s) through {len(services)} labelled exchange(s) or service(s) are their ordinary "
            "business (deposits, sweeps, withdrawals), reported apart and not counted."
        )
    evidence = {
        "riding_count": len(riding),
        "chain_count": len(chain_keys),
        "origins": origins,
        "intermediaries": intermediaries,
        "chains": chains,
        "service_forwards": _services(context, service_rows, context.code_of(address), labels)
        if len(service_rows)
        else [],
    }
    return TestResult("hiding", score, explanation, evidence, parameters, ride_pos)
