"""Plotly figure builders shared by the dashboard and the reports: data in, ``go.Figure`` out.

Nothing here knows about a web server. Large inputs are aggregated so that a
figure never carries more than about ``max_points`` markers to the browser.

>>> from tracing.testing import make_table
>>> table = make_table([1, 2, 3, 400], senders=["A", "B", "A", "C"], receivers=["B", "A", "B", "A"])
>>> fig = timeline(table, "A", flagged=[3])
>>> [trace.name for trace in fig.data]
['Incoming', 'Incoming, flagged', 'Outgoing', 'Outgoing, flagged']
>>> zscore_histogram([0.1, 0.2, 3.5], [False, False, True], -2, 3).data[1].name
'Flagged'
"""

import math

import numpy as np
import plotly.graph_objects as go

from tracing.model import TransferTable

__all__ = ["COLOURS", "MAX_POINTS", "timeline", "zscore_histogram"]

MAX_POINTS = 20_000
"""Past this many transfers the timeline shows a time × amount grid of counts instead of single points."""

COLOURS = {"in": "#2e7d32", "out": "#1565c0", "flagged": "#c62828", "normal": "#90a4ae", "threshold": "#6d4c41"}
_GRID = (240, 30)  # time bins × log-amount bins of an aggregated timeline
_GRID_LINES = {"gridcolor": "#e9edf2", "zeroline": False, "linecolor": "#c5ccd6", "automargin": True}
_LAYOUT = {
    "template": "none",  # an empty template: plotly's default ones cost ~50 ms and ~10 KB per figure
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "margin": {"l": 60, "r": 20, "t": 70, "b": 40},
    "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
}


def _short(address: str) -> str:
    return address if len(address) <= 14 else f"{address[:6]}…{address[-4:]}"


def _millis(timestamps: np.ndarray) -> np.ndarray:
    """Epoch seconds as float milliseconds: compact in JSON and read as dates by a date axis."""
    return np.asarray(timestamps, dtype=np.float64) * 1000.0


def _point_trace(table: TransferTable, rows: np.ndarray, address_code: int, name: str, colour: str, **marker):
    """One marker per transfer, with its asset, amount and counterparty on hover."""
    other = np.where(table.src[rows] == address_code, table.dst[rows], table.src[rows])
    symbols = np.array([a.symbol for a in table.assets] or [""], dtype=object)[table.asset[rows]]
    names = np.array([_short(str(a)) for a in table.addresses] or [""], dtype=object)[other]
    return go.Scatter(
        x=_millis(table.timestamp[rows]),
        y=table.value[rows],
        mode="markers",
        name=name,
        marker={"color": colour, "size": 6, "opacity": 0.75, **marker},
        text=np.array([f"{v:,.6g} {s} · {n}" for v, s, n in zip(table.value[rows], symbols, names)], dtype=object),
        hovertemplate="%{x|%Y-%m-%d %H:%M} UTC<br>%{text}<extra>" + name + "</extra>",
    )


def _grid_trace(table: TransferTable, rows: np.ndarray, name: str, colour: str, span: tuple[float, float]):
    """Transfers counted in a time × log-amount grid: one marker per occupied cell, sized by its count."""
    t = table.timestamp[rows].astype(np.float64)
    v = np.log10(table.value[rows])
    t_bins, v_bins = _GRID
    ti = np.clip(((t - span[0]) / max(span[1] - span[0], 1.0) * t_bins).astype(np.int64), 0, t_bins - 1)
    v_lo, v_hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
    vi = np.clip(((v - v_lo) / max(v_hi - v_lo, 1e-9) * v_bins).astype(np.int64), 0, v_bins - 1)
    _cells, inverse, counts = np.unique(ti * v_bins + vi, return_inverse=True, return_counts=True)
    mean_t = np.bincount(inverse, weights=t) / counts
    mean_v = 10 ** (np.bincount(inverse, weights=v) / counts)
    return go.Scatter(
        x=_millis(mean_t),
        y=mean_v,
        mode="markers",
        name=name,
        marker={"color": colour, "opacity": 0.6, "size": 4 + 3 * np.log10(counts)},
        customdata=counts,
        hovertemplate="%{x|%Y-%m-%d} UTC<br>%{customdata:,} transfers around %{y:,.4g}<extra>" + name + "</extra>",
    )


def timeline(
    table: TransferTable, address: str, flagged=(), *, max_points: int = MAX_POINTS, title: str = ""
) -> go.Figure:
    """Transfers of ``address`` over time: incoming vs outgoing, amounts on a log axis, flagged ones in red.

    Parameters
    ----------
    table : TransferTable
        The address's transfers.
    address : str
        The canonical address, to tell incoming from outgoing.
    flagged : array of int
        Rows of ``table`` that some test flagged.
    max_points : int
        Above this many transfers, each trace is drawn as a grid of counts.
    """
    code = table.code_of(address)
    positive = table.value > 0  # zero-value transfers have no place on a log axis
    is_flagged = np.zeros(len(table), dtype=bool)
    is_flagged[np.asarray(flagged, dtype=np.int64)] = True
    aggregate = len(table) > max_points
    span = (float(table.timestamp.min()), float(table.timestamp.max())) if len(table) else (0.0, 1.0)
    fig = go.Figure(layout={"template": "none"})
    for direction, name, symbol in (("in", "Incoming", "circle"), ("out", "Outgoing", "diamond")):
        mask = positive & ((table.dst == code) if direction == "in" else (table.src == code))
        for marked, label, colour in (
            (False, name, COLOURS[direction]),
            (True, f"{name}, flagged", COLOURS["flagged"]),
        ):
            rows = np.flatnonzero(mask & (is_flagged == marked))
            if aggregate:
                fig.add_trace(_grid_trace(table, rows, label, colour, span))
            else:
                fig.add_trace(_point_trace(table, rows, code, label, colour, symbol=symbol))
    hidden = int((~positive).sum())
    subtitle = f" · {len(table):,} transfers aggregated in a time × amount grid" if aggregate else ""
    subtitle += f" · {hidden:,} zero-value transfers not drawn" if hidden else ""
    fig.update_layout(
        **_LAYOUT,
        title={
            "text": (title or "Transfers over time") + f"<sup>{subtitle}</sup>",
            "x": 0,
            "y": 0.97,
            "font": {"size": 14},
        },
        yaxis={"type": "log", "title": "amount (token units)", **_GRID_LINES},
        xaxis={"type": "date", "rangeslider": {"visible": True, "thickness": 0.08}, **_GRID_LINES},
        height=420,
    )
    return fig


def _threshold_edges(z: np.ndarray, low: float, high: float, target_bins: int) -> np.ndarray:
    """Bin edges of equal width on which both thresholds fall exactly."""
    lo = min(float(z.min()), low - 1.0)
    hi = max(float(z.max()), high + 1.0)
    inside = max(1, round((high - low) / ((hi - lo) / target_bins)))
    width = (high - low) / inside
    first = low - math.ceil((low - lo) / width) * width
    count = math.ceil((hi - first) / width) + 1
    return first + width * np.arange(count + 1)


def zscore_histogram(
    z, flagged, minimum_threshold: float, maximum_threshold: float, *, method: str = "zscore", target_bins: int = 40
) -> go.Figure:
    """Histogram of the transfers' z-scores: thresholds drawn, flagged transfers in their own colour.

    Parameters
    ----------
    z : array of float
        Standard score of each transfer (see :func:`tracing.scoring.zscores`).
    flagged : array of bool
        Which transfers the value test flagged; they are stacked in red on the others.
    minimum_threshold, maximum_threshold : float
        Drawn as vertical lines; both fall on bin edges.
    """
    z = np.asarray(z, dtype=np.float64)
    flagged = np.asarray(flagged, dtype=bool)
    fig = go.Figure(layout={"template": "none"})
    if len(z):
        edges = _threshold_edges(z, minimum_threshold, maximum_threshold, target_bins)
        centres = (edges[:-1] + edges[1:]) / 2
        width = float(edges[1] - edges[0])
        normal, _ = np.histogram(z[~flagged], edges)
        marked, _ = np.histogram(z[flagged], edges)
        for counts, name, colour in (
            (normal, "Not flagged", COLOURS["normal"]),
            (marked, "Flagged", COLOURS["flagged"]),
        ):
            fig.add_trace(go.Bar(x=centres, y=counts, width=width, name=name, marker_color=colour))
        log_y = (normal + marked).max() > 100
    else:
        log_y = False
    empty = (
        []
        if len(z)
        else [{"text": "No transfers", "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}]
    )
    thresholds = ((minimum_threshold, "minimum", "right"), (maximum_threshold, "maximum", "left"))
    line = {"color": COLOURS["threshold"], "dash": "dash", "width": 2}
    axis = "robust z (log amount, median/MAD)" if method == "robust" else "z-score of the amount (per asset)"
    fig.update_layout(
        **{k: v for k, v in _LAYOUT.items() if k not in ("legend", "margin")},
        barmode="stack",
        bargap=0.05,
        title={"text": "Distribution of amounts", "x": 0, "y": 0.97, "font": {"size": 14}},
        xaxis={"title": axis, **_GRID_LINES},
        yaxis={"title": "transfers", "type": "log" if log_y else "linear", **_GRID_LINES},
        legend={"x": 0.99, "xanchor": "right", "y": 0.98, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.85)"},
        margin=_LAYOUT["margin"],
        height=360,
        shapes=[
            {"type": "line", "x0": v, "x1": v, "y0": 0, "y1": 1, "yref": "paper", "line": line}
            for v, _, _ in thresholds
        ],
        annotations=empty
        + [
            {
                "x": v,
                "y": 1,
                "yref": "paper",
                "text": f"{name} {v:g}",
                "showarrow": False,
                "xanchor": side,
                "yanchor": "bottom",
            }
            for v, name, side in thresholds
        ],
    )
    return fig
