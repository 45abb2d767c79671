"""The flow graph of a trace as an SVG picture: one column per hop, exits and sanctioned addresses marked.

Drawn from the trace document (``Trace.to_dict()``) so the HTML and the PDF show the
same picture. Each column keeps its largest addresses; the rest become one "+N more" box.

>>> doc = {"source": "S", "asset": {"symbol": "USDT", "decimals": 6}, "parameters": {"direction": "forward"},
...        "addresses": [{"address": "S", "hop": 0, "received": 0, "label": "", "category": ""},
...                      {"address": "X", "hop": 1, "received": 5.0, "label": "Ex", "category": "exchange"}],
...        "edges": [{"from": "S", "to": "X", "traced": 5.0}]}
>>> svg = flow_svg(doc)
>>> svg.count("<rect") >= 3 and "Ex" in svg and "5.00 USDT" in svg
True
"""

from collections import defaultdict
from html import escape

from tracing.figures import amount, short_address

__all__ = ["CATEGORY_COLOURS", "flow_svg"]

CATEGORY_COLOURS = {
    "source": "#37474f",
    "sanctioned": "#c62828",
    "exchange": "#ef6c00",
    "mixer": "#6a1b9a",
    "bridge": "#00838f",
    "": "#1565c0",
}
_COLUMN_W, _NODE_W, _NODE_H, _ROW_H = 190, 150, 34, 46
_PER_COLUMN = 10
_FONT = "font-family='DejaVu Sans, sans-serif'"


def flow_svg(doc: dict, *, per_column: int = _PER_COLUMN) -> str:
    """An SVG of the trace ``doc``: boxes per address (by hop), arrows per address pair, width by amount."""
    symbol = doc["asset"]["symbol"]
    columns: dict[int, list[dict]] = defaultdict(list)
    for row in doc["addresses"]:
        columns[row["hop"]].append(row)
    position: dict[str, tuple[float, float]] = {}
    boxes: list[str] = []
    hops = sorted(columns)
    rows_needed = max((min(len(v), per_column + 1) for v in columns.values()), default=1)
    width = 20 + _COLUMN_W * len(hops)
    height = 58 + _ROW_H * rows_needed  # the legend takes the last 18 pixels
    for col, hop in enumerate(hops):
        ranked = sorted(columns[hop], key=lambda r: -r["received"])
        shown, hidden = ranked[:per_column], ranked[per_column:]
        x = 20 + col * _COLUMN_W
        boxes.append(
            f"<text x='{x + _NODE_W / 2}' y='16' font-size='11' text-anchor='middle' {_FONT} "
            f"fill='#555'>{'source' if hop == 0 else f'hop {hop}'}</text>"
        )
        for i, row in enumerate(shown):
            y = 28 + i * _ROW_H
            listed = "sanctioned" if row.get("sanctioned") else ""  # a listed exchange is drawn as sanctioned
            category = "source" if row["address"] == doc["source"] else listed or row.get("category") or ""
            colour = CATEGORY_COLOURS.get(category, CATEGORY_COLOURS[""])
            position[row["address"]] = (x, y)
            name = row.get("label") or short_address(row["address"])
            label_amount = amount(symbol, row["received"]) if row["received"] else ""
            boxes.append(
                f"<rect x='{x}' y='{y}' width='{_NODE_W}' height='{_NODE_H}' rx='5' fill='white' "
                f"stroke='{colour}' stroke-width='{2.5 if category not in ('', 'source') else 1.5}'/>"
                f"<text x='{x + 6}' y='{y + 14}' font-size='10' {_FONT} fill='{colour}' font-weight='bold'>"
                f"{escape(name[:24])}</text>"
                f"<text x='{x + 6}' y='{y + 27}' font-size='9' {_FONT} fill='#333'>"
                f"{escape(short_address(row['address']) if row.get('label') else '')} {escape(label_amount)}</text>"
            )
        if hidden:
            y = 28 + len(shown) * _ROW_H
            total = sum(r["received"] for r in hidden)
            boxes.append(
                f"<rect x='{x}' y='{y}' width='{_NODE_W}' height='{_NODE_H - 10}' rx='5' fill='#f5f5f5' "
                f"stroke='#9e9e9e' stroke-dasharray='4 3'/><text x='{x + 6}' y='{y + 16}' font-size='9' {_FONT}>"
                f"+{len(hidden)} more · {escape(amount(symbol, total))}</text>"
            )
    pairs: dict[tuple[str, str], float] = defaultdict(float)
    for edge in doc["edges"]:
        pairs[(edge["from"], edge["to"])] += edge["traced"]
    biggest = max(pairs.values(), default=1.0) or 1.0
    arrows = []
    for (a, b), carried in sorted(pairs.items(), key=lambda kv: kv[1]):
        if a not in position or b not in position or carried <= 0:
            continue
        (xa, ya), (xb, yb) = position[a], position[b]
        if xb < xa:  # backward traces: money flows towards the source, drawn right to left
            (xa, ya), (xb, yb) = (xb, yb), (xa, ya)
        start, end = (xa + _NODE_W, ya + _NODE_H / 2), (xb, yb + _NODE_H / 2)
        if xa == xb:  # same hop: a short loop on the right
            start, end = (xa + _NODE_W, ya + _NODE_H / 2), (xb + _NODE_W, yb + _NODE_H / 2)
        mid = (start[0] + end[0]) / 2 + (30 if xa == xb else 0)
        stroke = 0.8 + 5 * (carried / biggest) ** 0.5
        arrows.append(
            f"<path d='M{start[0]:.1f},{start[1]:.1f} C{mid:.1f},{start[1]:.1f} {mid:.1f},{end[1]:.1f} "
            f"{end[0]:.1f},{end[1]:.1f}' fill='none' stroke='#90a4ae' stroke-opacity='0.8' "
            f"stroke-width='{stroke:.1f}' marker-end='url(#arrow)'/>"
        )
    legend_y = height - 8
    legend = "".join(
        f"<rect x='{20 + i * 95}' y='{legend_y - 9}' width='10' height='10' fill='{colour}'/>"
        f"<text x='{34 + i * 95}' y='{legend_y}' font-size='9' {_FONT}>{name or 'other'}</text>"
        for i, (name, colour) in enumerate(CATEGORY_COLOURS.items())
    )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='6' markerHeight='6' "
        "orient='auto-start-reverse'><path d='M0,0L10,5L0,10z' fill='#78909c'/></marker></defs>"
        "<rect width='100%' height='100%' fill='white'/>" + "".join(arrows) + "".join(boxes) + legend + "</svg>"
    )
