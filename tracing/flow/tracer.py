"""Trace funds forward or backward from an address, a theft transaction, or an amount and time.

A trace starts in one of three ways: from an address (everything it sends in the
window is traced; it is hop 0), from a transaction (``tx``, the theft: its amount is
traced from its receiver, its sender is hop 0), or from an amount the address held
(``amount``: at ``since`` forward; backward at ``until``, split over the inflows that
funded it under the model). Labelled exchanges, mixers and bridges are exits: funds that
reach them are counted and not followed further.

>>> from tracing.testing import make_table
>>> t = make_table([100, 60, 40], times=[0, 10, 20], senders=["V", "T", "T"], receivers=["T", "A", "B"])
>>> result = trace(t, "V", TraceParameters(model="fifo"))
>>> {str(a): float(r) for a, r in zip(result.addresses, result.received)}
{'V': 0.0, 'T': 100.0, 'A': 60.0, 'B': 40.0}
"""

import numpy as np

from tracing.errors import AddressNotFound, BadParameters
from tracing.flow.index import FlowIndex
from tracing.flow.params import TraceParameters
from tracing.flow.result import Trace, destination_group
from tracing.flow.taint import Propagation, Seed
from tracing.labels import EXIT_CATEGORIES, LabelIndex
from tracing.model import TransferTable

__all__ = ["describe", "select_asset", "trace", "trace_index"]


def trace(
    table: TransferTable, source: str, params: TraceParameters | None = None, *, labels: LabelIndex | None = None
) -> Trace:
    """Trace ``source``'s funds through ``table`` (one chain, any assets, any order).

    Parameters
    ----------
    table : TransferTable
        The transfers to trace through.
    source : str
        Canonical address the trace starts from.
    params : TraceParameters, optional
        Direction, model, limits and seed; defaults to ``TraceParameters()``.
    labels : LabelIndex, optional
        Who addresses belong to; labelled exchanges, mixers and bridges are exits.

    Returns
    -------
    Trace

    Raises
    ------
    AddressNotFound
        ``table`` holds no transfer of ``source``.
    BadParameters
        The asset or seed transaction does not fit the data.

    See Also
    --------
    trace_index : the same on a prebuilt :class:`FlowIndex` (one asset).
    """
    params = params or TraceParameters()
    code = table.code_of(source)
    if code < 0:
        raise AddressNotFound(f"no transfers of {source} are in the data to trace")
    asset = select_asset(table, code, params)
    index = FlowIndex.build(table.take(table.asset == asset), params.direction)
    return trace_index(index, source, params, labels=labels)


def select_asset(table: TransferTable, code: int, params: TraceParameters) -> int:
    """The asset code to trace: the requested symbol, the seed transaction's, or the source's usual one."""
    if params.tx is not None:
        rows = _tx_rows(table, params.tx) & ((table.src == code) | (table.dst == code))
        if not rows.any():
            raise BadParameters("tx", f"no stored transfer of transaction {params.tx} involves the source address")
        found = {int(a) for a in table.asset[rows]}
        if params.asset is not None:
            found = {a for a in found if table.assets[a].symbol.upper() == params.asset}
        if not found:
            raise BadParameters("asset", f"transaction {params.tx} moves no {params.asset}")
        return min(found)
    if params.asset is not None:
        matches = [i for i, a in enumerate(table.assets) if a.symbol.upper() == params.asset]
        if not matches:
            known = ", ".join(sorted({a.symbol for a in table.assets}))
            raise BadParameters("asset", f"no {params.asset} transfers in the data; assets present: {known}")
        return matches[0]
    side = table.src if params.direction == "forward" else table.dst
    mine = table.asset[side == code]
    if not len(mine):
        mine = table.asset[(table.src == code) | (table.dst == code)]
    return int(np.bincount(mine).argmax())


def _tx_rows(table: TransferTable, tx: str) -> np.ndarray:
    """Rows of transaction ``tx`` (hex hashes also match when typed in another case)."""
    rows = table.tx_hash == tx
    return rows if rows.any() else table.tx_hash == tx.lower()


def trace_index(
    index: FlowIndex, source: str, params: TraceParameters | None = None, *, labels: LabelIndex | None = None
) -> Trace:
    """Trace ``source`` over a prebuilt index (its direction must be ``params.direction``)."""
    params = params or TraceParameters()
    if index.direction != params.direction:
        raise ValueError(f"the index is built for tracing {index.direction}, not {params.direction}")
    table = index.table
    code = table.code_of(source)
    if code < 0:
        raise AddressNotFound(f"no transfers of {source} are in the data to trace")
    start, end = index.window(params.since, params.until)
    stops = _exit_mask(table, labels)
    stops[code] = False
    seeds, origin = _seeds(index, code, params, start)
    run = Propagation(index, params.model, params.hops, params.min_amount, start, end, stops, origin).run(seeds)
    return _result(index, source, params, run, labels, seed=sum(s.amount for s in seeds) or run.sent[code])


def _exit_mask(table: TransferTable, labels: LabelIndex | None) -> np.ndarray:
    if labels is None:
        return np.zeros(len(table.addresses), dtype=bool)
    exits = np.concatenate([labels.addresses(table.chain, c) for c in EXIT_CATEGORIES])
    return np.isin(table.addresses, exits)


def _seeds(index: FlowIndex, code: int, params: TraceParameters, start: int) -> tuple[list[Seed], int]:
    """The seeds of a trace and the origin (the source, when everything it sends is traced)."""
    if params.amount is not None:
        time = index.time[start] if start < len(index) else (params.since or 0)
        return [Seed(code, start - 0.5, params.amount, 0, params.since or time)], -1
    if params.tx is None:
        return [], code
    seeds = []
    for row in np.flatnonzero(_tx_rows(index.table, params.tx)):
        pos = int(row) if index.direction == "forward" else len(index) - 1 - int(row)
        src, dst, value, time = index.src[pos], index.dst[pos], index.value[pos], index.time[pos]
        if src == code and dst != code:
            seeds.append(Seed(dst, pos, value, 1, time, edge=pos))
        elif dst == code:
            seeds.append(Seed(code, pos, value, 0, time))
    if not seeds and not _tx_rows(index.table, params.tx).any():
        raise BadParameters("tx", f"transaction {params.tx} is a self-transfer: it moves no funds to trace")
    if not seeds:
        role = "sends" if params.direction == "forward" else "receives"
        raise BadParameters("tx", f"transaction {params.tx} neither {role} the traced asset from nor to the source")
    return seeds, -1


def describe(labels: LabelIndex | None, chain, address: str) -> tuple[str, str]:
    """Label name and category to show for an address (exits first, then sanctions, then any)."""
    found = labels.of(chain, address) if labels is not None else []
    if not found:
        return "", ""
    rank = {c: i for i, c in enumerate((*EXIT_CATEGORIES, "sanctioned"))}
    best = min(found, key=lambda lb: rank.get(lb.category, len(rank)))
    return best.name, best.category


def _names(labels: LabelIndex | None, chain, addresses: np.ndarray) -> list[tuple[str, str, str]]:
    """:func:`describe` of each address and its :func:`destination_group` (looked up only for the labelled ones)."""
    named = [("", "", "")] * len(addresses)
    if labels is not None:
        for i in np.flatnonzero(np.isin(addresses, labels.addresses(chain))):
            address = str(addresses[i])
            group = destination_group({lb.category for lb in labels.of(chain, address)})
            named[i] = (*describe(labels, chain, address), group)
    return named


def _result(index: FlowIndex, source: str, params: TraceParameters, run: Propagation, labels, seed: float) -> Trace:
    table = index.table
    hop = np.array(run.hop)
    reached = np.flatnonzero(hop <= params.hops)
    received = np.array(run.received)[reached]
    order = np.lexsort((-received, hop[reached]))
    reached = reached[order]
    addresses = table.addresses[reached]
    named = _names(labels, table.chain, addresses)
    start, end = index.window(params.since, params.until)
    positions = np.frombuffer(run.edges, dtype=np.int64)
    rows = index.rows[positions]
    by_time = np.argsort(rows, kind="stable")
    far = np.frombuffer(index.dst, dtype=np.int64)[positions]
    return Trace(
        chain=table.chain,
        source=source,
        asset=index.asset,
        params=params,
        seed=float(seed),
        addresses=addresses,
        hop=hop[reached],
        received=np.array(run.received)[reached],
        sent=np.array(run.sent)[reached],
        inflow=index.inflow_totals(start, end)[reached],
        first=np.array(run.first)[reached],
        last=np.array(run.last)[reached],
        label=tuple(n for n, _, _ in named),
        category=tuple(c for _, c, _ in named),
        group=tuple(g for _, _, g in named),
        edges=table.take(rows[by_time]),
        traced=np.frombuffer(run.traced, dtype=np.float64)[by_time],
        edge_hop=hop[far][by_time],
    )
