"""The Market page's chart: one pair's one-minute candles, volume and buy ratio, with alert markers.

>>> from tracing.market.synthetic import synthetic_trades
>>> from tracing.market import build_bars
>>> bars = build_bars(synthetic_trades(2000, 1, minutes=60)[0])
>>> [t.name for t in market_chart(bars, [], "P00000/BTC").data]
['Price (BTC)', 'Taker buys', 'Taker sells', 'Buy ratio']
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tracing.figures.charts import _GRID_LINES, _LAYOUT
from tracing.market.bars import Bars
from tracing.market.detector import Alert

__all__ = ["empty_market_chart", "market_chart"]

_PUMP, _DUMP, _BUY, _SELL, _FALL = "#c62828", "#6a1b9a", "#2e7d32", "#b0bec5", "#546e7a"


def market_chart(
    bars: Bars, alerts: list[Alert], symbol: str, *, ratio_lines: tuple[float, float] = (0.35, 0.65)
) -> go.Figure:
    """Candles (price in the quote asset), taker buy and sell volume (base asset), buy ratio; alerts marked.

    ``bars`` are the pair's in minute order; ``symbol`` is ``BASE/QUOTE`` and names the axes.
    """
    base, _, quote = symbol.partition("/")
    when = (bars.minute * 60_000).astype("datetime64[ms]")
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.6, 0.25, 0.15], vertical_spacing=0.03)
    fig.add_trace(
        go.Candlestick(
            x=when, open=bars.open, high=bars.high, low=bars.low, close=bars.close, name=f"Price ({quote or 'quote'})",
            increasing_line_color=_BUY, decreasing_line_color=_FALL,
        ),
        row=1, col=1,
    )  # fmt: skip
    fig.add_trace(go.Bar(x=when, y=bars.buy_volume, name="Taker buys", marker_color=_BUY), row=2, col=1)
    fig.add_trace(go.Bar(x=when, y=bars.sell_volume, name="Taker sells", marker_color=_SELL), row=2, col=1)
    total = bars.buy_volume + bars.sell_volume
    ratio = np.divide(bars.buy_volume, total, out=np.full(len(bars), np.nan), where=total > 0)
    fig.add_trace(
        go.Scatter(x=when, y=ratio, name="Buy ratio", mode="lines", line={"color": "#37474f", "width": 1}), row=3, col=1
    )
    for level in ratio_lines:
        fig.add_hline(y=level, line={"dash": "dot", "color": "#8d6e63", "width": 1}, row=3, col=1)
    for kind, colour, symbol_shape in (("pump", _PUMP, "triangle-up"), ("dump", _DUMP, "triangle-down")):
        mine = [a for a in alerts if a.kind == kind]
        if not mine:
            continue
        at = np.searchsorted(bars.minute, [a.minute for a in mine])
        at = np.minimum(at, max(len(bars) - 1, 0))
        y = bars.high[at] * 1.02 if kind == "pump" else bars.low[at] * 0.98
        text = [
            f"{kind} · {a.detector}<br>" + "<br>".join(f"{k} {v:.4g}" for k, v in a.signals.items() if v is not None)
            for a in mine
        ]
        fig.add_trace(
            go.Scatter(
                x=(np.array([a.minute for a in mine]) * 60_000).astype("datetime64[ms]"), y=y, mode="markers",
                name=f"{kind.title()} alert", marker={"symbol": symbol_shape, "size": 14, "color": colour},
                hovertext=text, hoverinfo="text+x",
            ),
            row=1, col=1,
        )  # fmt: skip
    fig.update_layout(**_LAYOUT, barmode="stack", height=620, xaxis_rangeslider_visible=False, hovermode="x unified")
    fig.update_layout(margin={"l": 70, "r": 20, "t": 40, "b": 30}, uirevision=symbol)
    fig.update_xaxes(**_GRID_LINES)
    fig.update_yaxes(**_GRID_LINES)
    fig.update_yaxes(title_text=f"{quote or 'quote'} per {base}", tickformat=".3~g", row=1, col=1)
    fig.update_yaxes(title_text=f"volume ({base})", tickformat=".3~s", row=2, col=1)
    fig.update_yaxes(title_text="buy ratio", range=[0, 1], tickformat=".0%", row=3, col=1)
    return fig


def empty_market_chart(text: str) -> go.Figure:
    """A chart with no axes that says ``text``: what the page shows before there are bars to draw.

    >>> empty_market_chart("No market data yet").layout.annotations[0].text
    'No market data yet'
    """
    hidden = {"visible": False}
    note = {"text": text, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}
    return go.Figure(layout={**_LAYOUT, "height": 200, "xaxis": hidden, "yaxis": hidden, "annotations": [note]})
