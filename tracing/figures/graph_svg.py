"""A flow graph's picture as SVG, from the same cytoscape elements the trace page draws (for reports and export).

>>> nodes = [{"data": {"id": "A", "caption": "A\\n1.00 USDT", "size": 20, "colour": "#212529"}, "position": {"x": 0, "y": 0}},
...          {"data": {"id": "B", "caption": "B", "size": 20, "colour": "#0d6efd"}, "position": {"x": 100, "y": 0}}]
>>> svg = elements_svg(nodes + [{"data": {"id": "A->B", "source": "A", "target": "B", "caption": "1.00 USDT", "width": 2}}])
>>> svg.startswith("<svg") and svg.count("<circle") == 2 and "1.00 USDT" in svg
True
"""

from html import escape

__all__ = ["elements_svg"]

_MARGIN, _FONT = 80, 12


def elements_svg(elements: list[dict]) -> str:
    """An SVG drawing of positioned cytoscape ``elements``: edges with their amounts, nodes with their captions."""
    nodes = {e["data"]["id"]: e for e in elements if "position" in e and "source" not in e["data"]}
    if not nodes:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="25">No graph</text></svg>'
        )
    xs = [n["position"]["x"] for n in nodes.values()]
    ys = [n["position"]["y"] for n in nodes.values()]
    left, top = min(xs) - _MARGIN, min(ys) - _MARGIN
    width, height = max(xs) - left + _MARGIN, max(ys) - top + _MARGIN + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} {top:g} {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" font-family="sans-serif" font-size="{_FONT}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#adb5bd"/></marker></defs>',
    ]
    for e in elements:
        d = e["data"]
        if "source" not in d or d["source"] not in nodes or d["target"] not in nodes:
            continue
        a, b = nodes[d["source"]]["position"], nodes[d["target"]]["position"]
        parts.append(
            f'<line x1="{a["x"]:g}" y1="{a["y"]:g}" x2="{b["x"]:g}" y2="{b["y"]:g}" stroke="#adb5bd" '
            f'stroke-width="{d.get("width", 1):g}" marker-end="url(#arrow)"/>'
        )
        parts.append(
            f'<text x="{(a["x"] + b["x"]) / 2:g}" y="{(a["y"] + b["y"]) / 2 - 4:g}" text-anchor="middle" '
            f'font-size="{_FONT - 2}">{escape(str(d.get("caption", "")))}</text>'
        )
    for node in nodes.values():
        d, p = node["data"], node["position"]
        radius = d.get("size", 20) / 2
        parts.append(
            f'<circle cx="{p["x"]:g}" cy="{p["y"]:g}" r="{radius:g}" fill="{escape(d.get("colour", "#999"))}" '
            'stroke="#495057"><title>' + escape(d["id"]) + "</title></circle>"
        )
        for k, line in enumerate(str(d.get("caption", d["id"])).split("\n")):
            parts.append(
                f'<text x="{p["x"]:g}" y="{p["y"] + radius + 14 + k * 14:g}" text-anchor="middle">{escape(line)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)
