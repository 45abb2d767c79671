"""The report's plotly figures drawn as static SVG, for the PDF: the same figure objects the pages show.

Plotly's own static export needs kaleido and a Chrome; the report's figures use few
features (marker scatter on a date axis, stacked bars, vertical threshold lines, a log
or linear y axis), so they are drawn here directly from the figure's data as vector
graphics.

>>> import plotly.graph_objects as go
>>> svg = figure_svg(go.Figure(go.Bar(x=[1, 2], y=[3, 4], name="n"), layout={"title": {"text": "T"}}))
>>> svg.startswith("<svg") and svg.count("<rect") >= 2 and ">T<" in svg
True
"""

import math
import re
from datetime import UTC, datetime
from html import escape

import numpy as np
import plotly.graph_objects as go

__all__ = ["figure_svg"]

_FONT = "font-family='DejaVu Sans, sans-serif'"
_TAGS = re.compile(r"<[^>]+>")


def _text(x: float, y: float, text: str, size: int = 10, anchor: str = "middle", **extra) -> str:
    attrs = " ".join(f"{k.replace('_', '-')}='{v}'" for k, v in extra.items())
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' {_FONT} {attrs}>{escape(text)}</text>"
    )


def _nice_ticks(lo: float, hi: float, count: int = 6) -> np.ndarray:
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if raw <= m * step)
    return np.arange(math.ceil(lo / step) * step, hi + step * 1e-9, step)


def _date_label(ms: float, span_ms: float) -> str:
    when = datetime.fromtimestamp(ms / 1000, UTC)
    return when.strftime("%m-%d %H:%M") if span_ms < 3 * 86_400_000 else when.strftime("%Y-%m-%d")


def _values(trace, name: str) -> np.ndarray:
    value = getattr(trace, name)
    return np.asarray([] if value is None else value, dtype=np.float64)


def _marker_path(symbol: str, x: float, y: float, r: float) -> str:
    if symbol == "diamond":
        return f"<path d='M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}Z'"
    return f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}'"


def figure_svg(fig: go.Figure, *, width: int = 720, height: int | None = None) -> str:
    """An SVG document drawing ``fig``'s scatter markers and bars with their axes, lines and legend."""
    layout = fig.layout
    height = height or int(layout.height or 360)
    left, right, top, bottom = 70, 20, 56, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    log_y = layout.yaxis.type == "log"
    dates = layout.xaxis.type == "date"
    bars = [t for t in fig.data if t.type == "bar"]
    points = [t for t in fig.data if t.type == "scatter"]

    xs = [_values(t, "x") for t in fig.data if t.x is not None and len(t.x)]
    stacked_top = np.zeros(0)
    if bars:
        stacked_top = np.sum([_values(t, "y") for t in bars], axis=0)
    ys = [_values(t, "y") for t in points] + ([stacked_top] if bars else [])
    x_all = np.concatenate(xs) if xs else np.array([0.0, 1.0])
    half = float(bars[0].width or 0) / 2 if bars else 0.0
    x_lo, x_hi = float(x_all.min()) - half, float(x_all.max()) + half
    for shape in layout.shapes or ():
        x_lo, x_hi = min(x_lo, float(shape.x0)), max(x_hi, float(shape.x1))
    if x_hi <= x_lo:
        x_lo, x_hi = x_lo - 1.0, x_hi + 1.0
    y_all = np.concatenate(ys) if ys else np.array([1.0])
    y_all = y_all[y_all > 0] if log_y else y_all
    if log_y:
        y_lo = math.floor(math.log10(y_all.min())) if len(y_all) else 0
        y_hi = math.ceil(math.log10(y_all.max())) if len(y_all) else 1
        y_hi = max(y_hi, y_lo + 1)
    else:
        y_lo, y_hi = 0.0, float(y_all.max()) * 1.05 if len(y_all) and y_all.max() > 0 else 1.0

    def px(x):
        return left + (np.asarray(x, dtype=np.float64) - x_lo) / (x_hi - x_lo) * plot_w

    def py(y):
        y = np.asarray(y, dtype=np.float64)
        v = np.log10(np.maximum(y, 10.0**y_lo)) if log_y else y
        return top + plot_h - (v - y_lo) / (y_hi - y_lo) * plot_h

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'><rect width='100%' height='100%' fill='white'/>"
    ]
    title = _TAGS.sub(" ", (layout.title.text or "").replace("<sup>", " — ")).strip(" —")
    out.append(_text(left, 20, title, 13, "start", font_weight="bold"))
    # axes and grid
    y_ticks = np.arange(y_lo, y_hi + 1) if log_y else _nice_ticks(y_lo, y_hi, 5)
    for v in y_ticks:
        y = float(py(10.0**v if log_y else v))
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e9edf2'/>")
        label = f"{10.0**v:,.0f}" if log_y and v >= 0 else (f"{10.0**v:g}" if log_y else f"{v:,.6g}")
        out.append(_text(left - 6, y + 3, label, 9, "end"))
    x_ticks = np.linspace(x_lo, x_hi, 6) if dates else _nice_ticks(x_lo, x_hi, 8)
    for v in x_ticks:
        x = float(px(v))
        label = _date_label(v, x_hi - x_lo) if dates else f"{v:,.6g}"
        out.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top}' y2='{top + plot_h}' stroke='#f1f3f6'/>")
        out.append(_text(x, top + plot_h + 14, label, 9))
    out.append(f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='none' stroke='#c5ccd6'/>")
    out.append(_text(left + plot_w / 2, height - 8, (layout.xaxis.title.text or "") + (" (UTC)" if dates else ""), 10))
    y_title = layout.yaxis.title.text or ""
    out.append(_text(14, top + plot_h / 2, y_title, 10, transform=f"rotate(-90 14 {top + plot_h / 2:.1f})"))
    # data
    base = np.zeros(len(stacked_top))
    for trace in bars:
        x, y = _values(trace, "x"), _values(trace, "y")
        w = float(trace.width or 1.0) * plot_w / (x_hi - x_lo)
        for xi, yi, b in zip(px(x), y, base):
            if yi > 0:
                y0, y1 = float(py(b)), float(py(b + yi))
                out.append(
                    f"<rect x='{xi - w / 2:.1f}' y='{y1:.1f}' width='{max(w * 0.95, 0.5):.1f}' "
                    f"height='{max(y0 - y1, 0.5):.1f}' fill='{trace.marker.color}'/>"
                )
        base = base + y
    for trace in points:
        x, y = _values(trace, "x"), _values(trace, "y")
        keep = (y > 0) if log_y else np.ones(len(y), dtype=bool)
        sizes = np.broadcast_to(np.asarray(trace.marker.size if trace.marker.size is not None else 6), len(x))
        opacity = trace.marker.opacity if trace.marker.opacity is not None else 1
        colour = trace.marker.color
        for xi, yi, size in zip(px(x[keep]), py(y[keep]), sizes[keep]):
            shape = _marker_path(trace.marker.symbol or "circle", xi, yi, float(size) / 2)
            out.append(f"{shape} fill='{colour}' fill-opacity='{opacity}'/>")
    for shape in layout.shapes or ():
        x = float(px(shape.x0))
        colour = shape.line.color or "#6d4c41"
        out.append(
            f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top}' y2='{top + plot_h}' stroke='{colour}' "
            "stroke-width='2' stroke-dasharray='6 4'/>"
        )
    for note in layout.annotations or ():
        if note.xref == "paper":
            out.append(_text(left + plot_w / 2, top + plot_h / 2, note.text or "", 12))
        else:
            out.append(_text(float(px(note.x)), top - 4, note.text or "", 9, "middle"))
    # legend
    x = left + plot_w
    for trace in reversed([t for t in fig.data if t.name]):
        label_w = 7 * len(trace.name) + 18
        x -= label_w
        out.append(f"<rect x='{x:.1f}' y='32' width='10' height='10' fill='{trace.marker.color}'/>")
        out.append(_text(x + 14, 41, trace.name, 10, "start"))
    out.append("</svg>")
    return "".join(out)
