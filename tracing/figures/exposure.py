"""The exposure chart: per asset and direction, the share that came from or reached each labelled category.

One horizontal bar per (direction, asset, direct or within N hops), stacked by
category; hovering a segment names the amount in the asset and the entities.
Built from :func:`tracing.flow.exposure.exposure`'s document.
"""

import plotly.graph_objects as go

from tracing.figures._format import amount
from tracing.figures.charts import _LAYOUT, figure

__all__ = ["CATEGORY_COLOURS", "exposure_figure"]

CATEGORY_COLOURS = {
    "sanctioned": "#b71c1c",
    "hack": "#e65100",
    "scam": "#f57c00",
    "mixer": "#6a1b9a",
    "exchange": "#1565c0",
    "bridge": "#00838f",
    "defi": "#2e7d32",
    "gambling": "#ad1457",
    "service": "#546e7a",
    "victim": "#8d6e63",
    "other": "#b0bec5",
}


def _rows(doc: dict) -> list[tuple[str, dict]]:
    """(bar name, breakdown) for every direction, asset and kind, outflow first."""
    rows = []
    for direction in ("outgoing", "incoming"):
        for kind, name in (("direct", "direct"), ("indirect", f"within {doc.get('hops', '?')} hops")):
            for item in doc.get(kind, {}).get(direction, []):
                rows.append((f"{direction} {item['asset']}, {name}", item))
    return rows


def exposure_figure(doc: dict) -> go.Figure:
    """Stacked horizontal bars of each category's share (0-100 %); the hover names amounts and entities."""
    rows = _rows(doc)
    names = [name for name, _ in rows]
    traces = []
    for category, colour in CATEGORY_COLOURS.items():
        shares, hovers = [], []
        for _, item in rows:
            found = next((c for c in item["categories"] if c["category"] == category), None)
            shares.append(100 * found["share"] if found else 0.0)
            entities = [e["name"] for e in item["entities"] if e["category"] == category][:3]
            hovers.append(
                f"{category}: {amount(item['asset'], found['amount'])} of {amount(item['asset'], item['total'])}"
                f"<br>{', '.join(entities)}"
                if found
                else ""
            )
        if any(shares):
            traces.append(
                {
                    "type": "bar",
                    "y": names,
                    "x": shares,
                    "name": category,
                    "orientation": "h",
                    "marker": {"color": colour},
                    "hovertext": hovers,
                    "hoverinfo": "text",
                }
            )
    layout = {
        **_LAYOUT,
        "margin": {"l": 200, "r": 20, "t": 60, "b": 40},
        "barmode": "stack",
        "height": max(220, 60 + 34 * len(names)),
        "xaxis": {"title": "share of the flow (%)", "range": [0, 100], "gridcolor": "#e9edf2"},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "title": {"text": "Exposure by category", "x": 0, "font": {"size": 14}},
    }
    return figure(traces, layout)
