"""Plotly figure builders shared by the dashboard and the reports: data in, ``go.Figure`` out.

Nothing here knows about a web server. Each chart shows one asset (amounts of
different tokens share no axis), names it on its axis, and says which test
flagged what. Large inputs are aggregated so that a figure never carries more
than about ``max_points`` markers to the browser.

>>> from tracing.testing import make_table
>>> table = make_table([1, 2, 3, 400], senders=["A", "B", "A", "C"], receivers=["B", "A", "B", "A"])
>>> fig = timeline(table, "A", {"value": [3]})
>>> [trace.name for trace in fig.data]
['Incoming', 'Incoming · flagged', 'Outgoing', 'Outgoing · flagged']
>>> zscore_histogram([0.1, 0.2, 3.5], [False, False, True], -2, 3).data[1].name
'Flagged by unusual values'
"""

import math

import numpy as np
import plotly.graph_objects as go

from tracing.figures._format import precision, short_address
from tracing.model import TransferTable

__all__ = ["COLOURS", "MAX_POINTS", "asset_rows", "timeline", "zscore_histogram"]

MAX_POINTS = 5_000
"""Past this many transfers the timeline shows a time × amount grid of counts instead of single points
(each point is an SVG element the browser draws: 10^4 of them took seconds)."""

COLOURS = {"in": "#2e7d32", "out": "#1565c0", "flagged": "#c62828", "normal": "#90a4ae", "threshold": "#6d4c41"}
_GRID = (100, 12)  # time bins × log-amount bins of an aggregated timeline: 4 traces stay within MAX_POINTS
_GRID_LINES = {"gridcolor": "#e9edf2", "zeroline": False, "linecolor": "#c5ccd6", "automargin": True}
_LEGEND_ABOVE = {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
_LAYOUT = {
    "template": "none",  # an empty template: plotly's default ones cost ~50 ms and ~10 KB per figure
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "margin": {"l": 60, "r": 20, "t": 90, "b": 40},
    "legend": _LEGEND_ABOVE,  # above the plot: a legend never covers data
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
}
_LOG_AMOUNTS = {"type": "log", "dtick": 1, "exponentformat": "power", "showexponent": "all"}  # 10⁻⁶, never "1µ"
# at the figure's foot, under the x-axis title whatever the plot's height (paper coordinates would cross the title)
_LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}


def asset_rows(table: TransferTable, asset: str | int | None) -> np.ndarray:
    """Rows of ``table`` in ``asset`` (a symbol or an asset code); every row when None."""
    if asset is None:
        return np.arange(len(table))
    if isinstance(asset, str):
        codes = [k for k, a in enumerate(table.assets) if a.symbol == asset]
        return np.flatnonzero(np.isin(table.asset, codes))
    return np.flatnonzero(table.asset == asset)


def _millis(timestamps: np.ndarray) -> np.ndarray:
    """Epoch seconds as float milliseconds: compact in JSON and read as dates by a date axis."""
    return np.asarray(timestamps, dtype=np.float64) * 1000.0


def _flag_text(flags: dict, rows: np.ndarray) -> np.ndarray:
    """For each row, the names of the tests that flagged it (``value, hiding``), or ``-``."""
    text = np.full(len(rows), "", dtype=object)
    for name, mask in flags.items():
        text = np.where(mask[rows], text + np.where(text == "", "", ", ") + name, text)
    return np.where(text == "", "-", text)


def _point_trace(table, rows, address_code, name, colour, unit, flags, **marker):
    """One marker per transfer; its amount, counterparty and the tests that flagged it on hover."""
    other = np.where(table.src[rows] == address_code, table.dst[rows], table.src[rows])
    names = np.array([short_address(str(a)) for a in table.addresses] or [""], dtype=object)[other]
    symbol, places = unit
    return {
        "type": "scatter",
        "x": _millis(table.timestamp[rows]),
        "y": table.value[rows],
        "mode": "markers",
        "name": name,
        "marker": {"color": colour, "size": 6, "opacity": 0.75, **marker},
        "customdata": np.column_stack([names, _flag_text(flags, rows)]) if len(rows) else None,
        "hovertemplate": f"%{{x|%Y-%m-%d %H:%M}} UTC<br>%{{y:,.{places}f}} {symbol} · %{{customdata[0]}}"
        "<br>flagged by: %{customdata[1]}<extra>" + name + "</extra>",
    }


def _grid_trace(table: TransferTable, rows: np.ndarray, name: str, colour: str, span, unit):
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
    return {
        "type": "scatter",
        "x": _millis(mean_t),
        "y": mean_v,
        "mode": "markers",
        "name": name,
        "marker": {"color": colour, "opacity": 0.6, "size": 4 + 3 * np.log10(counts)},
        "customdata": counts,
        "hovertemplate": f"%{{x|%Y-%m-%d}} UTC<br>%{{customdata:,}} transfers around %{{y:,.{unit[1]}f}} {unit[0]}"
        "<extra>" + name + "</extra>",
    }


def _masks(flags, n: int) -> dict[str, np.ndarray]:
    """``{test: boolean mask}`` from masks or row indices."""
    out = {}
    for name, marked in (flags or {}).items():
        marked = np.asarray(marked)
        if marked.dtype != bool:
            mask = np.zeros(n, dtype=bool)
            mask[marked.astype(np.int64)] = True
            marked = mask
        out[name] = marked
    return out


def timeline(
    table: TransferTable,
    address: str,
    flags=None,
    *,
    asset: str | int | None = None,
    max_points: int = MAX_POINTS,
    title: str = "",
) -> go.Figure:
    """Transfers of ``address`` in one asset over time: incoming vs outgoing, log amounts, flagged ones in red.

    Parameters
    ----------
    table : TransferTable
        The address's transfers.
    address : str
        The canonical address, to tell incoming from outgoing.
    flags : mapping of str to array, optional
        For each test, the rows of ``table`` it flagged (a boolean mask or row indices); hovering a
        transfer names the tests that flagged it.
    asset : str or int, optional
        The asset drawn (a symbol or an asset code); default the table's most frequent one.
    max_points : int
        Above this many transfers, each trace is drawn as a grid of counts.
    """
    if asset is None and len(table):
        asset = int(np.bincount(table.asset).argmax())
    chosen = asset_rows(table, asset)
    symbol = (table.assets[asset].symbol if isinstance(asset, int) else asset) if asset is not None else ""
    unit = (symbol, precision(table.assets[int(table.asset[chosen[0]])]) if len(chosen) else precision(symbol))
    flags = _masks(flags, len(table))
    code = table.code_of(address)
    keep = np.zeros(len(table), dtype=bool)
    keep[chosen] = True
    positive = keep & (table.value > 0)  # zero-value transfers have no place on a log axis
    is_flagged = np.zeros(len(table), dtype=bool)
    for mask in flags.values():
        is_flagged |= mask
    aggregate = len(chosen) > max_points
    times = table.timestamp[chosen]
    span = (float(times.min()), float(times.max())) if len(chosen) else (0.0, 1.0)
    traces = []
    for direction, name, marker in (("in", "Incoming", "circle"), ("out", "Outgoing", "diamond")):
        mask = positive & ((table.dst == code) if direction == "in" else (table.src == code))
        for marked, label, colour in (
            (False, name, COLOURS[direction]),
            (True, f"{name} · flagged", COLOURS["flagged"]),
        ):
            rows = np.flatnonzero(mask & (is_flagged == marked))
            if aggregate:
                traces.append(_grid_trace(table, rows, label, colour, span, unit))
            else:
                traces.append(_point_trace(table, rows, code, label, colour, unit, flags, symbol=marker))
    hidden = int((keep & ~positive).sum())
    subtitle = f"{len(chosen):,} {symbol} transfers · red: flagged (hover says why)"
    subtitle += " · aggregated in a time × amount grid" if aggregate else ""
    subtitle += f" · {hidden:,} zero-value transfers not drawn" if hidden else ""
    layout = {
        **_LAYOUT,
        "title": _title(title or "Transfers over time", subtitle),
        "yaxis": {**_LOG_AMOUNTS, "title": f"amount ({symbol}, log scale)", **_GRID_LINES},
        "xaxis": {"type": "date", **_GRID_LINES, **_time_range(span)},  # no range slider: it drew every point twice
        "legend": _LEGEND_BELOW,  # above, it wrapped over the subtitle on a phone
        "margin": {**_LAYOUT["margin"], "t": 70, "b": 100},
        "height": 460,
    }
    return figure(traces, layout)


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, validated in one pass.

    Ten times faster than ``add_trace`` and ``update_layout``, which re-validate
    the figure at every call: the address page builds two figures per answer.
    """
    return go.Figure(data=traces, layout=layout)


def _title(text: str, subtitle: str) -> dict:
    """A chart title at the top left with a smaller subtitle under it."""
    return {
        "text": text,
        "subtitle": {"text": subtitle, "font": {"size": 11}},
        "x": 0,
        "y": 0.97,
        "yanchor": "top",
        "font": {"size": 14},
    }


def _time_range(span: tuple[float, float]) -> dict:
    """A day either side when the transfers span less than an hour (plotly would zoom to milliseconds)."""
    if span[1] - span[0] >= 3600:
        return {}
    middle = (span[0] + span[1]) / 2
    return {"range": [(middle - 86_400) * 1000.0, (middle + 86_400) * 1000.0]}


def _threshold_edges(z: np.ndarray, low: float, high: float, target_bins: int) -> np.ndarray:
    """Bin edges of equal width on which both thresholds fall exactly."""
    lo = min(float(z.min()), low - 1.0)
    hi = max(float(z.max()), high + 1.0)
    inside = max(1, round((high - low) / ((hi - lo) / target_bins)))
    width = (high - low) / inside
    first = low - math.ceil((low - lo) / width) * width
    count = math.ceil((hi - first) / width) + 1
    return first + width * np.arange(count + 1)


def _count_axis(highest: int) -> dict:
    """A y axis of transfer counts: whole numbers only; a log scale, said so, past 100."""
    if highest > 100:
        return {"title": "transfers (log scale)", "type": "log", "dtick": 1, "tickformat": ",d"}
    return {
        "title": "transfers",
        "type": "linear",
        "tickformat": ",d",
        "rangemode": "tozero",
        "dtick": 1 if highest <= 10 else None,
    }


def zscore_histogram(
    z,
    flagged,
    minimum_threshold: float,
    maximum_threshold: float,
    *,
    method: str = "zscore",
    symbol: str = "",
    target_bins: int = 40,
) -> go.Figure:
    """Histogram of the transfers' z-scores (of one asset): thresholds drawn, flagged transfers in red.

    Parameters
    ----------
    z : array of float
        Standard score of each transfer (see :func:`tracing.scoring.zscores`).
    flagged : array of bool
        Which transfers the value test flagged; they are stacked in red on the others.
    minimum_threshold, maximum_threshold : float
        Drawn as vertical lines; both fall on bin edges.
    symbol : str
        The asset whose amounts were scored, named on the axis.
    """
    z = np.asarray(z, dtype=np.float64)
    flagged = np.asarray(flagged, dtype=bool)
    traces, highest = [], 0
    if len(z):
        edges = _threshold_edges(z, minimum_threshold, maximum_threshold, target_bins)
        centres = (edges[:-1] + edges[1:]) / 2
        width = float(edges[1] - edges[0])
        normal, _ = np.histogram(z[~flagged], edges)
        marked, _ = np.histogram(z[flagged], edges)
        for counts, name, colour in (
            (normal, "Not flagged", COLOURS["normal"]),
            (marked, "Flagged by unusual values", COLOURS["flagged"]),
        ):
            traces.append(
                {
                    "type": "bar",
                    "x": centres,
                    "y": counts,
                    "width": width,
                    "name": name,
                    "marker": {"color": colour},
                    "hovertemplate": "z %{x:.2f}: %{y:,d} transfers<extra>" + name + "</extra>",
                }
            )
        highest = int((normal + marked).max())
    empty = (
        []
        if len(z)
        else [{"text": "No transfers", "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}]
    )
    thresholds = ((minimum_threshold, "minimum", "right"), (maximum_threshold, "maximum", "left"))
    line = {"color": COLOURS["threshold"], "dash": "dash", "width": 2}
    of = f" {symbol}" if symbol else ""
    axis = f"robust z of log{of} amounts (median/MAD)" if method == "robust" else f"z-score of{of} amounts"
    layout = {
        **_LAYOUT,
        "barmode": "stack",
        "bargap": 0.05,
        "title": _title(f"Distribution of{of} amounts", "red: z beyond a threshold (the unusual-values test)"),
        "xaxis": {"title": axis, **_GRID_LINES},
        "yaxis": {**_count_axis(highest), **_GRID_LINES},
        "legend": _LEGEND_BELOW,  # the threshold labels sit above the plot
        "margin": {**_LAYOUT["margin"], "t": 70, "b": 90},
        "height": 380,
        "shapes": [
            {"type": "line", "x0": v, "x1": v, "y0": 0, "y1": 1, "yref": "paper", "line": line}
            for v, _, _ in thresholds
        ],
        "annotations": empty
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
    }
    return figure(traces, layout)
