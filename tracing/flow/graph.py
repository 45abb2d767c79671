"""Graphs of a trace: the transfer multigraph (evidence) and the aggregated display graph.

:func:`transfer_graph` keeps one edge per transfer. :func:`display_graph` draws one
edge per address pair and folds large fan-outs into a "+N more" node, which the
dashboard expands on click by passing the node in ``expanded``.
"""

from collections import defaultdict

import networkx as nx
import numpy as np

from tracing.flow.result import Trace
from tracing.model import TransferTable
from tracing.model.transfer import format_units

__all__ = ["MORE", "display_graph", "more_node", "trace_graph", "transfer_graph"]

MORE = "+more"
"""Suffix of collapsed nodes' ids: ``'<parent>+more'``."""


def more_node(parent: str) -> str:
    """Id of the node that stands for ``parent``'s collapsed counterparties."""
    return f"{parent}{MORE}"


def transfer_graph(table: TransferTable, traced: np.ndarray | None = None) -> nx.MultiDiGraph:
    """One edge per transfer, keyed ``tx_hash:index``.

    Edge attributes: ``tx_hash``, ``index``, ``timestamp``, ``asset``, ``amount`` (exact
    decimal string in token units), ``value`` (float) and, when given, ``traced``.

    >>> from tracing.testing import make_table
    >>> g = transfer_graph(make_table([1.5, 2], senders=["A", "A"], receivers=["B", "B"]))
    >>> g.number_of_edges("A", "B"), sorted(d["amount"] for *_, d in g.edges(data=True))
    (2, ['1.5', '2'])
    """
    g = nx.MultiDiGraph(chain=table.chain.value)
    g.add_nodes_from(table.addresses[np.unique(np.concatenate([table.src, table.dst]))].tolist())
    sender, receiver = table.sender, table.receiver
    for i in range(len(table)):
        asset = table.assets[table.asset[i]]
        attrs = {
            "tx_hash": str(table.tx_hash[i]),
            "index": int(table.index[i]),
            "timestamp": int(table.timestamp[i]),
            "asset": asset.symbol,
            "amount": format_units(int(table.amount[i]), asset.decimals),
            "value": float(table.value[i]),
        }
        if traced is not None:
            attrs["traced"] = float(traced[i])
        g.add_edge(str(sender[i]), str(receiver[i]), key=f"{attrs['tx_hash']}:{attrs['index']}", **attrs)
    return g


def trace_graph(trace: Trace) -> nx.MultiDiGraph:
    """The traced transfers (see :func:`transfer_graph`) with the trace's per-address results on the nodes.

    Nodes carry ``hop``, ``received``, ``sent``, ``taint_share``, ``first``, ``last``,
    ``label`` and ``category``; edges also carry ``traced`` and ``hop``.
    """
    g = transfer_graph(trace.edges, trace.traced)
    g.graph.update({**trace.params.changed(), "source": trace.source, "asset": trace.asset.symbol})
    for row in trace.address_rows():
        g.add_node(row.pop("address"), **row)
    for (*_, data), hop in zip(g.edges(keys=True, data=True), _edge_hops(trace, g)):
        data["hop"] = hop
    return g


def _edge_hops(trace: Trace, g: nx.MultiDiGraph) -> list[int]:
    hops = {f"{tx}:{i}": int(h) for tx, i, h in zip(trace.edges.tx_hash, trace.edges.index.tolist(), trace.edge_hop)}
    return [hops[key] for _, _, key in g.edges(keys=True)]


def display_graph(trace: Trace, *, max_fanout: int = 8, max_nodes: int = 40, expanded=()) -> nx.DiGraph:
    """The trace as one edge per address pair, with large fan-outs collapsed.

    Parameters
    ----------
    trace : Trace
    max_fanout : int
        A node with more counterparties downstream (in the trace's direction) keeps the
        ``max_fanout`` largest and folds the rest into one ``'<node>+more'`` node.
        Exits and sanctioned addresses are never folded away.
    max_nodes : int
        Past this many drawn addresses, those that received the least traced value fold
        into a "+N more" node of the address they came from (the source, exits, sanctioned
        addresses and the counterparties of expanded nodes always stay).
    expanded : iterable of str
        Nodes whose counterparties are all shown.

    Returns
    -------
    networkx.DiGraph
        Graph: ``source``, ``direction``, ``model`` and ``seed`` (the amount traced from the source).
        Nodes: ``hop``, ``received``, ``taint`` (share of inflow), ``label``, ``category``, ``sanctioned``,
        ``kind`` ('source', 'exit', 'address' or 'more'), ``count`` (addresses a node
        stands for). Edges: ``traced`` and ``value`` (sums), ``count``, ``first``,
        ``last`` (unix times) and ``transactions``.
    """
    forward = trace.params.direction == "forward"
    edges = _aggregate(trace)
    downstream = defaultdict(list)
    for (u, v), e in edges.items():
        near, far = (u, v) if forward else (v, u)
        if near != far:
            downstream[near].append((e["traced"], far))
    rows = {str(a): i for i, a in enumerate(trace.addresses)}
    exits = {e.address for e in trace.exits}
    sanctioned = {str(a) for a, g in zip(trace.addresses, trace.group) if g == "sanctioned"}
    pinned = exits | sanctioned  # never folded away
    shown_by = set()
    for near, fars in downstream.items():
        fars.sort(key=lambda x: -x[0])
        keep = fars if near in expanded or len(fars) <= max_fanout else fars[:max_fanout]
        shown_by.update(far for _, far in keep)
    group = {}
    for near in sorted(downstream, key=lambda a: (trace.hop[rows[a]], a)):
        if near in group or near in expanded or len(downstream[near]) <= max_fanout:
            continue
        for _, far in downstream[near][max_fanout:]:
            if far not in shown_by and far not in pinned and far != trace.source:
                group.setdefault(far, more_node(near))
    _fold_descendants(group, downstream, trace.source, pinned)
    _fold_beyond_budget(group, downstream, trace, rows, pinned, set(expanded), max_nodes)
    g = nx.DiGraph(source=trace.source, direction=trace.params.direction, model=trace.params.model, seed=trace.seed)
    share = trace.taint_share
    for address, i in rows.items():
        if address in group:
            _fold(g, group[address], trace, i)
            continue
        kind = "source" if address == trace.source else "exit" if address in exits else "address"
        g.add_node(
            address,
            hop=int(trace.hop[i]),
            received=float(trace.received[i]),
            taint=float(share[i]),
            label=trace.label[i],
            category=trace.category[i],
            sanctioned=address in sanctioned,
            kind=kind,
            count=1,
        )
    folded: dict[tuple[str, str], dict] = {}
    for (u, v), e in edges.items():
        a, b = group.get(u, u), group.get(v, v)
        if a != b:
            _merge(folded, (a, b), e)
    g.add_edges_from((a, b, e) for (a, b), e in folded.items())
    return g


def _fold_descendants(group: dict, downstream: dict, source: str, exits: set) -> None:
    """Fold, with their folded ancestor, the addresses reached only through folded ones.

    Without this, a folded node's own counterparties would still be drawn, hanging
    off a "+N more" node, and a deep trace would stay as crowded as before.
    """
    visible, frontier = {source}, [source]
    while frontier:  # what is reached from the source without passing a folded node
        frontier = [
            far
            for near in frontier
            for _, far in downstream.get(near, ())
            if far not in visible and far not in group and not visible.add(far)
        ]
    frontier = list(group)
    while frontier:  # the rest inherits the "+N more" node of the folded address it hangs from
        nxt = []
        for near in frontier:
            for _, far in downstream.get(near, ()):
                if far not in visible and far not in group and far not in exits:
                    group[far] = group[near]
                    nxt.append(far)
        frontier = nxt


def _fold_beyond_budget(group, downstream, trace: Trace, rows, exits, expanded: set, max_nodes: int) -> None:
    """Fold the least-funded drawn addresses into their parent's "+N more" node until ``max_nodes`` remain."""
    shown = [a for a in rows if a not in group]
    if len(shown) <= max_nodes:
        return
    parent: dict[str, tuple[float, str]] = {}  # the drawn address each one received most from
    for near, fars in downstream.items():
        if near in group:
            continue
        for traced, far in fars:
            if traced > parent.get(far, (-1.0, ""))[0]:
                parent[far] = (traced, near)
    keep = {trace.source} | exits | {far for near in expanded for _, far in downstream.get(near, ())}
    ranked = sorted((a for a in shown if a not in keep and a in parent), key=lambda a: -trace.received[rows[a]])
    room = max(max_nodes - len(keep & set(shown)), 0)
    for address in ranked[room:]:
        group[address] = more_node(parent[address][1])
    for more in set(group.values()):
        near = more.removesuffix(MORE)
        if near in group:  # a folded address's "+N more" joins the node it was folded into
            for address, node in group.items():
                if node == more:
                    group[address] = group[near]
    _fold_descendants(group, downstream, trace.source, exits)


def _aggregate(trace: Trace) -> dict[tuple[str, str], dict]:
    """Traced transfers summed per (sender, receiver): one group-by over the edge table."""
    t = trace.edges
    if not len(t):
        return {}
    pairs, group = np.unique(np.stack([t.src, t.dst], axis=1), axis=0, return_inverse=True)
    group = group.reshape(-1)
    k = len(pairs)
    traced = np.bincount(group, weights=np.asarray(trace.traced, dtype=float), minlength=k)
    value = np.bincount(group, weights=t.value, minlength=k)
    count = np.bincount(group, minlength=k)
    first = np.full(k, np.iinfo(np.int64).max)
    last = np.full(k, np.iinfo(np.int64).min)
    np.minimum.at(first, group, t.timestamp)
    np.maximum.at(last, group, t.timestamp)
    order = np.argsort(group, kind="stable")  # transactions of each pair, in edge order
    transactions = np.split(t.tx_hash[order], np.cumsum(count)[:-1])
    names = t.addresses
    return {
        (str(names[s]), str(names[r])): {
            "traced": float(traced[g]),
            "value": float(value[g]),
            "count": int(count[g]),
            "first": int(first[g]),
            "last": int(last[g]),
            "transactions": [str(x) for x in transactions[g]],
        }
        for g, (s, r) in enumerate(pairs)
    }


def _merge(edges: dict, key, e: dict) -> None:
    if key not in edges:
        edges[key] = {**e, "transactions": list(e["transactions"])}
        return
    old = edges[key]
    old["traced"] += e["traced"]
    old["value"] += e["value"]
    old["count"] += e["count"]
    old["first"] = min(old["first"], e["first"])
    old["last"] = max(old["last"], e["last"])
    old["transactions"] += e["transactions"]


def _fold(g: nx.DiGraph, node: str, trace: Trace, i: int) -> None:
    """Add address ``i`` of the trace into the collapsed node ``node``."""
    if node not in g:
        blank = {"label": "", "category": "", "sanctioned": False, "kind": "more", "count": 0}
        g.add_node(node, hop=int(trace.hop[i]), received=0.0, taint=0.0, **blank)
    data = g.nodes[node]
    data["count"] += 1
    data["received"] += float(trace.received[i])
    data["hop"] = min(data["hop"], int(trace.hop[i]))
    data["label"] = f"+{data['count']} more"
