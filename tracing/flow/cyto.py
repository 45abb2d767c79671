"""Cytoscape.js elements of a display graph: the trace page's picture, built without Dash.

Layered left to right by hop (backward traces grow to the left, so money always flows
left to right), node size by amount received (the source's: the amount traced from it,
which its caption says too), colour by category and taint share,
edge width by amount with the amount as label. A sanctioned address is a red octagon
captioned SANCTIONED whatever else it is (an exchange may be listed). Each node
carries ``tip``, the text of its tooltip. Plain dicts: dash-cytoscape draws them,
and tests read them.
"""

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from tracing.figures import amount, short_address

__all__ = ["CATEGORY_COLOURS", "STYLESHEET", "cytoscape_elements", "node_tip", "path_to"]

CATEGORY_COLOURS = {
    "source": "#212529",
    "exchange": "#0d6efd",
    "mixer": "#6f42c1",
    "bridge": "#20c997",
    "sanctioned": "#dc3545",
    "more": "#adb5bd",
}
_CLEAN, _TAINTED = (255, 229, 208), (176, 42, 55)  # taint share 0 -> 1
LAYER_X, ROW_Y = 260, 90

STYLESHEET = [
    {
        "selector": "node",
        "style": {
            "width": "data(size)",
            "height": "data(size)",
            "background-color": "data(colour)",
            "label": "data(caption)",
            "font-size": 12,
            "text-wrap": "wrap",
            "text-valign": "bottom",
            "text-margin-y": 4,
            "border-width": 1,
            "border-color": "#495057",
        },
    },
    {"selector": "node[kind = 'more']", "style": {"shape": "round-rectangle", "border-style": "dashed"}},
    {"selector": "node[kind = 'exit']", "style": {"shape": "diamond", "border-width": 2}},
    {
        "selector": "node[?sanctioned]",
        "style": {"shape": "octagon", "border-width": 4, "border-color": "#842029", "color": "#b02a37"},
    },
    {
        "selector": "edge",
        "style": {
            "width": "data(width)",
            "label": "data(caption)",
            "font-size": 11,
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "line-color": "#adb5bd",
            "target-arrow-color": "#adb5bd",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
        },
    },
    {"selector": "node:selected", "style": {"border-width": 5, "border-color": "#0d6efd", "border-style": "double"}},
    {
        "selector": ".highlight",
        "style": {
            "line-color": "#fd7e14",
            "target-arrow-color": "#fd7e14",
            "border-color": "#fd7e14",
            "border-width": 4,
        },
    },
]


def _colour(data: dict) -> str:
    if data["kind"] in ("source", "more"):
        return CATEGORY_COLOURS[data["kind"]]
    if data.get("sanctioned"):
        return CATEGORY_COLOURS["sanctioned"]
    if data["category"] in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[data["category"]]
    share = min(max(data["taint"], 0.0), 1.0)
    return "#" + "".join(f"{round(c + (t - c) * share):02x}" for c, t in zip(_CLEAN, _TAINTED))


def _positions(g: nx.DiGraph) -> dict[str, dict]:
    """Columns by hop; within a column, nodes follow the mean row of their upstream neighbours (fewer crossings)."""
    layers = defaultdict(list)
    for node, data in g.nodes(data=True):
        layers[data["hop"]].append(node)
    backward = g.graph.get("direction") == "backward"
    upstream = g.successors if backward else g.predecessors
    row: dict[str, float] = {}
    where = {}
    for hop in sorted(layers):
        nodes = layers[hop]

        def key(n):
            above = [row[m] for m in upstream(n) if m in row]
            return (sum(above) / len(above) if above else 0.0, -g.nodes[n]["received"], n)

        nodes.sort(key=key)
        for i, node in enumerate(nodes):
            row[node] = i - (len(nodes) - 1) / 2
            where[node] = {"x": (-1 if backward else 1) * hop * LAYER_X, "y": row[node] * ROW_Y}
    return where


def cytoscape_elements(g: nx.DiGraph, *, symbol: str = "", highlight: Iterable[str] = ()) -> list[dict]:
    """Nodes and edges of ``g`` (from :func:`~tracing.flow.display_graph`) for dash-cytoscape.

    ``highlight`` is a sequence of node ids (a path): those nodes and the edges
    between consecutive ones get the class ``highlight``.
    """
    path = list(highlight)
    on_path, steps = set(path), set(itertools.pairwise(path))
    seed = g.graph.get("seed", 0.0)
    shown = {n: seed if d["kind"] == "source" else d["received"] for n, d in g.nodes(data=True)}
    biggest_node = max(shown.values(), default=0.0) or 1.0
    biggest_edge = max((d["traced"] for *_, d in g.edges(data=True)), default=0.0) or 1.0
    where = _positions(g)
    elements = []
    for node, d in g.nodes(data=True):
        name = d["label"] if d["kind"] == "more" else (d["label"] or short_address(node))
        flag = "SANCTIONED\n" if d.get("sanctioned") else ""
        what = " traced" if d["kind"] == "source" else ""
        elements.append(
            {
                "data": {
                    "id": node,
                    "caption": f"{flag}{name}\n{amount(symbol, shown[node])}{what}".strip(),
                    "tip": node_tip(node, d, symbol, seed=seed),
                    "size": round(18 + 42 * math.sqrt(shown[node] / biggest_node), 1),
                    "seed": seed if d["kind"] == "source" else None,
                    "colour": _colour(d),
                    "sanctioned": bool(d.get("sanctioned")),
                    **{k: d[k] for k in ("hop", "received", "taint", "label", "category", "kind", "count")},
                },
                "position": where[node],
                "classes": "highlight" if node in on_path else "",
            }
        )
    for u, v, d in g.edges(data=True):
        elements.append(
            {
                "data": {
                    "id": f"{u}->{v}",
                    "source": u,
                    "target": v,
                    "caption": amount(symbol, d["traced"]),
                    "width": round(1 + 9 * math.sqrt(d["traced"] / biggest_edge), 2),
                    **{k: d[k] for k in ("traced", "value", "count", "first", "last")},
                },
                "classes": "highlight" if (u, v) in steps else "",
            }
        )
    return elements


def node_tip(node: str, d: dict, symbol: str = "", *, seed: float = 0.0) -> str:
    """The tooltip of a display-graph node: who it is (SANCTIONED first when listed), the amount, hop and taint
    (the source's: the amount ``seed`` traced from it).

    >>> print(node_tip("TAddr", {"label": "Garantex", "category": "exchange", "sanctioned": True, "kind": "exit",
    ...                          "received": 8000.0, "hop": 2, "taint": 0.5, "count": 1}, "USDT"))
    SANCTIONED · Garantex · exchange
    TAddr
    8,000.00 USDT received at hop 2 · 50.0% of its inflow traced
    """
    if d["kind"] == "more":
        return f"{d['label']} addresses folded · {amount(symbol, d['received'])} received · click to expand"
    category = "" if d["category"] == "sanctioned" else d["category"]  # said once, in capitals
    who = " · ".join(x for x in ("SANCTIONED" if d.get("sanctioned") else "", d["label"], category) if x)
    if d["kind"] == "source":
        return "\n".join([who or "no label known", node, f"the trace's source · {amount(symbol, seed)} traced"])
    where = f"{amount(symbol, d['received'])} received at hop {d['hop']} · {100 * d['taint']:.1f}% of its inflow traced"
    return "\n".join([who or "no label known", node, where])


def path_to(g: nx.DiGraph, node: str) -> list[str]:
    """The fewest-hop path between the trace's source and ``node`` in ``g`` (empty when none)."""
    source = g.graph["source"]
    ends = (source, node) if g.graph.get("direction") != "backward" else (node, source)
    try:
        return nx.shortest_path(g, *ends)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
