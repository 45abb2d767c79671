"""How did funds get from A to B: bounded, time-respecting simple paths ranked by amount.

A path ``A -> X -> B`` is time-respecting when some transfer X -> B happens after a
transfer A -> X. Its amount is the bottleneck: the smallest, over its hops, of the value
moved on that hop after the funds arrived. Candidates are pruned first with two poison
traces (what A can reach, what can reach B, within the hop limit) so the path search
only walks addresses on some time-respecting route.
"""

import itertools
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np

from tracing.errors import AddressNotFound, BadParameters, NoFlowPath
from tracing.flow.params import TraceParameters
from tracing.flow.tracer import trace
from tracing.model import TransferTable

__all__ = ["FlowPath", "flow_paths"]


@dataclass(frozen=True)
class FlowPath:
    """One route: its addresses, the first transfer usable on each hop, and its amount."""

    addresses: tuple[str, ...]
    transactions: tuple[str, ...]
    times: tuple[int, ...]
    amount: float
    asset: str = ""

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "addresses": list(self.addresses),
            "transactions": list(self.transactions),
            "times": list(self.times),
            "amount": self.amount,
            "asset": self.asset,
        }


def check_distinct(source: str, target: str) -> None:
    """Refuse a path from an address to itself (:class:`~tracing.errors.BadParameters` on ``target``)."""
    if source == target:
        raise BadParameters("target", "is the source itself: a path joins two different addresses")


def flow_paths(
    table: TransferTable,
    source: str,
    target: str,
    *,
    hops: int = 6,
    asset: str | None = None,
    since: int | None = None,
    until: int | None = None,
    limit: int = 10,
    max_candidates: int = 10_000,
) -> list[FlowPath]:
    """The ``limit`` largest time-respecting simple paths from ``source`` to ``target``.

    Parameters
    ----------
    table : TransferTable
    source, target : str
        Canonical addresses.
    hops : int
        Longest path, in transfers.
    asset, since, until
        As in :class:`~tracing.flow.TraceParameters`.
    limit : int
        How many paths to return, largest amount first (then fewest hops).
    max_candidates : int
        Simple paths examined at most (bounds the work on dense graphs).

    Raises
    ------
    BadParameters
        ``source`` and ``target`` are the same address.
    AddressNotFound
        ``source`` or ``target`` has no transfer in ``table``.
    NoFlowPath
        No time-respecting path within ``hops`` joins them.

    Examples
    --------
    >>> from tracing.testing import make_table
    >>> t = make_table([5, 3, 4, 9], times=[1, 2, 3, 0], senders=["A", "X", "A", "Y"], receivers=["X", "B", "Y", "B"])
    >>> [(p.addresses, p.amount) for p in flow_paths(t, "A", "B")]
    [(('A', 'X', 'B'), 3.0)]
    """
    check_distinct(source, target)
    for address in (source, target):
        if table.code_of(address) < 0:
            raise AddressNotFound(f"no transfers of {address} are in the data")
    common = {"hops": hops, "asset": asset, "since": since, "until": until, "model": "poison"}
    ahead = trace(table, source, TraceParameters(direction="forward", **common))
    if target not in set(ahead.addresses.tolist()):
        raise NoFlowPath(f"no time-respecting flow from {source} to {target} within {hops} hops")
    behind = trace(table, target, TraceParameters(direction="backward", **common))
    hop_ahead = dict(zip(ahead.addresses.tolist(), ahead.hop.tolist()))
    hop_behind = dict(zip(behind.addresses.tolist(), behind.hop.tolist()))
    keep = {a for a, h in hop_ahead.items() if a in hop_behind and h + hop_behind[a] <= hops}
    moves = _moves(ahead.edges, keep)
    graph = nx.DiGraph(list(moves))
    found = []
    for nodes in itertools.islice(nx.all_simple_paths(graph, source, target, cutoff=hops), max_candidates):
        path = _walk(nodes, moves)
        if path is not None:
            found.append(path)
    if not found:
        raise NoFlowPath(f"no time-respecting flow from {source} to {target} within {hops} hops")
    found.sort(key=lambda p: (-p.amount, len(p.addresses), p.times))
    return [replace(p, asset=ahead.asset.symbol) for p in found[:limit]]


def _moves(edges: TransferTable, keep: set[str]) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per address pair inside ``keep``: times, value moved from each transfer on, and tx hashes."""
    sender, receiver = edges.sender, edges.receiver
    inside = np.isin(sender, list(keep)) & np.isin(receiver, list(keep)) & (sender != receiver)
    pairs: dict[tuple[str, str], list[int]] = {}
    for i in np.flatnonzero(inside):
        pairs.setdefault((str(sender[i]), str(receiver[i])), []).append(int(i))
    moves = {}
    for pair, rows in pairs.items():
        rows = np.array(rows)  # edges are in time order already
        remaining = np.cumsum(edges.value[rows][::-1])[::-1]
        moves[pair] = (edges.timestamp[rows], remaining, edges.tx_hash[rows])
    return moves


def _walk(nodes: list[str], moves: dict) -> FlowPath | None:
    """Follow ``nodes`` taking, on each hop, the first transfer after the funds arrived."""
    arrived, amount, txs, times = None, np.inf, [], []
    for pair in itertools.pairwise(nodes):
        when, remaining, hashes = moves[pair]
        k = 0 if arrived is None else int(np.searchsorted(when, arrived, side="left"))
        if k >= len(when):
            return None
        arrived = int(when[k])
        amount = min(amount, float(remaining[k]))
        txs.append(str(hashes[k]))
        times.append(arrived)
    return FlowPath(tuple(nodes), tuple(txs), tuple(times), amount)
