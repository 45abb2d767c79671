"""Trace from what the store holds: gather the neighbourhood hop by hop, then trace it.

Each hop is one batched query (:meth:`~tracing.store.Store.transfers_where`) for every
address of the frontier at once, never one query per address. Exits are not expanded:
a trace stops there.
"""

import numpy as np

from tracing.errors import AddressNotFound
from tracing.flow.params import TraceParameters
from tracing.flow.result import Trace
from tracing.flow.tracer import trace
from tracing.labels import EXIT_CATEGORIES, LabelIndex
from tracing.model import Chain, TransferTable, normalize_address
from tracing.store import Store

__all__ = ["gather_around", "gather_flow", "trace_stored"]


def gather_flow(
    store: Store, chain: Chain, source: str, params: TraceParameters, *, labels: LabelIndex
) -> TransferTable:
    """Every stored transfer of the addresses within ``params.hops - 1`` hops of ``source``.

    Forward, a frontier's receivers (of transfers from ``since`` on) are the next
    frontier; backward, its senders (of transfers up to ``until``). Each address's
    whole history on that side of the window is loaded, since balances matter to the
    taint models.
    """
    forward = params.direction == "forward"
    exits = {str(a) for c in EXIT_CATEGORIES for a in labels.addresses(chain, c)}
    tables, seen, frontier = [], set(), {source}
    for _ in range(params.hops):
        if not frontier:
            break
        found = store.transfers_where(
            chain,
            senders=frontier,
            receivers=frontier,
            since=None if forward else params.since,
            until=params.until if forward else None,
        )
        tables.append(found)
        seen |= frontier
        near, far = (found.sender, found.receiver) if forward else (found.receiver, found.sender)
        in_window = np.ones(len(found), dtype=bool)
        if forward and params.since is not None:
            in_window = found.timestamp >= params.since
        if not forward and params.until is not None:
            in_window = found.timestamp <= params.until
        frontier = set(far[np.isin(near, list(frontier)) & in_window].tolist()) - seen - exits
    return _unique(TransferTable.concat(tables)) if tables else TransferTable.empty(chain)


def gather_around(
    store: Store, chain: Chain, source: str, hops: int, *, labels: LabelIndex, limit: int = 200_000
) -> TransferTable:
    """Every stored transfer of the addresses within ``hops - 1`` hops of ``source`` on either side.

    :func:`gather_flow` both ways in one query per hop (for exposure, which traces
    both ways): the next frontier is the receivers of what the forward frontier
    sent and the senders of what the backward frontier received. Exits end both;
    so does holding ``limit`` transfers (the last hops then reach less far).
    """
    exits = {str(a) for c in EXIT_CATEGORIES for a in labels.addresses(chain, c)}
    tables, seen, ahead, behind = [], set(), {source}, {source}
    for _ in range(hops):
        frontier = ahead | behind
        if not frontier or sum(len(t) for t in tables) >= limit:
            break
        found = store.transfers_where(chain, senders=frontier, receivers=frontier)
        tables.append(found)
        seen |= frontier
        ahead = set(found.receiver[np.isin(found.sender, list(ahead))].tolist()) - seen - exits
        behind = set(found.sender[np.isin(found.receiver, list(behind))].tolist()) - seen - exits
    return _unique(TransferTable.concat(tables)) if tables else TransferTable.empty(chain)


def _unique(table: TransferTable) -> TransferTable:
    """Drop transfers fetched twice (once per end)."""
    keys = [f"{h}:{i}" for h, i in zip(table.tx_hash, table.index.tolist())]
    _, first = np.unique(np.array(keys, dtype=str), return_index=True)
    return table.take(np.sort(first))


def trace_stored(
    store: Store,
    address: str,
    params: TraceParameters | None = None,
    *,
    chain: Chain | str | None = None,
    labels: LabelIndex | None = None,
) -> Trace:
    """Validate ``address``, gather its neighbourhood from ``store`` and trace it.

    Raises
    ------
    InvalidAddress
        The address is malformed for its chain.
    AddressNotFound
        The store holds no transfer of it.
    """
    params = params or TraceParameters()
    chain, address = normalize_address(address, chain)
    labels = labels if labels is not None else store.label_index(chain)
    table = gather_flow(store, chain, address, params, labels=labels)
    if not len(table):
        raise AddressNotFound(
            f"no transfers are stored for {chain.value} address {address}; import or fetch its transfers first"
        )
    return trace(table, address, params, labels=labels)
