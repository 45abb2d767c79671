"""The Market page: pairs with their latest alerts and a live one-minute chart of one pair.

State is in the URL (``/market?pair=BRD/BTC&detector=seed&min_return=0.03``): the pair,
the detector and its thresholds. The chart's alert markers are that detector run with
those thresholds over the bars the live pipeline stored; the tables list the alerts the
pipeline raised. An Interval refreshes everything every few seconds without a reload.
"""

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import ids
from dashboard.roles import requires
from dashboard.services import services
from tracing.errors import BadParameters
from tracing.figures.market import empty_market_chart, market_chart
from tracing.flow.params import parse_time
from tracing.market import DETECTORS, make_detector
from tracing.market.detector import minute_iso

dash.register_page(__name__, required_role="viewer", path="/market", title="Market · Tracing", name="Market")

REFRESH_MS = 5000
SHOWN_BARS = 240  # four hours of one-minute bars on the chart
WARM_UP_BARS = 480  # bars read before them, so the detector's baselines are warm


def market_path(pair: str | None, detector: str = "seed", params: dict | None = None, at: int | None = None) -> str:
    """The page's path for a pair, detector and thresholds (only those given), centred on minute ``at``."""
    query = {"pair": pair} if pair else {}
    query |= {"detector": detector} if detector != "seed" else {}
    query |= {k: v for k, v in (params or {}).items() if v not in (None, "")}
    query |= {"at": minute_iso(at)} if at is not None else {}
    return f"/market?{urlencode(query)}" if query else "/market"


def _request(query: dict) -> tuple[dict, str | None]:
    """``(request, error)``: the pair, detector and thresholds of the URL; defaults when they are wrong."""
    detector = str(query.get("detector") or "seed")
    params = {k: v for k, v in query.items() if k not in ("pair", "detector", "at") and v not in (None, "")}
    request = {"pair": query.get("pair") or None, "detector": detector, "params": params, "at": None}
    try:
        make_detector(detector, params)
        if query.get("at"):
            request["at"] = parse_time(query["at"], "at") // 60
    except BadParameters as err:
        return {**request, "detector": "seed", "params": {}, "at": None}, str(err)
    return request, None


def _threshold_form(request: dict) -> html.Form:
    """A GET form: choosing a detector or thresholds reloads the page with them in the URL."""
    fields = DETECTORS[request["detector"]].Params.describe()
    inputs = [
        dbc.Col(
            html.Div([
                dbc.Label(f["label"], html_for=f"market-param-{f['name']}", className="small mb-0 text-nowrap"),
                dbc.Select(
                    id=f"market-param-{f['name']}", name=f["name"], size="sm",
                    options=list(f["choices"]), value=str(request["params"].get(f["name"], f["default"])),
                ) if f.get("choices") else dbc.Input(
                    id=f"market-param-{f['name']}", name=f["name"], size="sm", type="text",
                    value=str(request["params"].get(f["name"], f["default"])),
                ),
            ], title=f["help"]),
            md=2,
        )
        for f in fields
    ]  # fmt: skip
    detector = dbc.Col(
        [
            dbc.Label("detector", html_for="market-detector", className="small mb-0"),
            dbc.Select(
                id="market-detector", name="detector", size="sm", options=list(DETECTORS), value=request["detector"]
            ),
        ],
        md=2,
    )
    kept = {"pair": request["pair"], "at": minute_iso(request["at"]) if request["at"] is not None else None}
    hidden = [dcc.Input(type="hidden", name=k, value=v) for k, v in kept.items() if v is not None]
    submit = dbc.Col(dbc.Button("Apply", type="submit", size="sm", color="primary", className="mt-3"), md=1)
    return html.Form([*hidden, dbc.Row([detector, *inputs, submit], className="g-2")], method="get", action="/market")


def layout(**query) -> html.Div:
    """The page for the pair, detector and thresholds of the URL."""
    request, error = _request(query)
    return html.Div(
        [
            html.H4("Market surveillance", className="mb-1"),
            html.P(
                "One-minute bars and pump-and-dump alerts of the live pipeline (tracing market run). "
                "Markers: the chosen detector with these thresholds; tables: the alerts the pipeline raised.",
                className="text-muted small",
            ),
            dbc.Alert(f"Invalid URL parameter, defaults shown: {error}", color="warning") if error else None,
            dbc.Card(dbc.CardBody(_threshold_form(request)), className="shadow-sm mb-3"),
            dbc.Row(
                [
                    dbc.Col(_card("Pairs", html.Div(id=ids.MARKET_PAIRS)), lg=3),
                    dbc.Col(
                        [
                            _card(
                                "Chart",
                                [
                                    dcc.Graph(id=ids.MARKET_CHART, config={"displaylogo": False}),
                                    html.Div(id=ids.MARKET_UPDATED, className="small text-muted"),
                                ],
                            ),
                            _card("Alerts raised by the pipeline", html.Div(id=ids.MARKET_ALERTS)),
                        ],
                        lg=9,
                    ),
                ]
            ),
            dcc.Store(id=ids.MARKET_REQUEST, data=request),
            dcc.Interval(id=ids.MARKET_INTERVAL, interval=REFRESH_MS),
        ]
    )


def _card(title: str, body) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(title, className="fw-semibold"), dbc.CardBody(body)], className="shadow-sm mb-3")


@callback(
    Output(ids.MARKET_CHART, "figure"),
    Output(ids.MARKET_PAIRS, "children"),
    Output(ids.MARKET_ALERTS, "children"),
    Output(ids.MARKET_UPDATED, "children"),
    Input(ids.MARKET_INTERVAL, "n_intervals"),
    Input(ids.MARKET_REQUEST, "data"),
)
@requires("viewer")
def callback_market_refresh(_tick, request):
    """Read the store again and redraw the chart and the tables."""
    return refresh(request)


def refresh(request: dict) -> tuple:
    """Chart, pairs table, alerts table and the "as of" line for a request."""
    market = services().market
    pairs = market.pairs()
    pair = request["pair"] or (pairs[0]["symbol"] if pairs else None)
    if pair is None:
        start = ["start ", html.Code("tracing market run"), ", then ", html.Code("tracing market replay FILE"), "."]
        empty = dbc.Alert(["No market data yet: ", *start], color="info")
        return empty_market_chart("No market data yet: no pair to chart"), empty, None, ""
    until = request["at"] + SHOWN_BARS // 4 if request.get("at") is not None else None  # the alert, then an hour
    bars = market.bars(pair, last=SHOWN_BARS + WARM_UP_BARS, until=until)
    detector = make_detector(request["detector"], request["params"])
    shown = bars.take(slice(max(0, len(bars) - SHOWN_BARS), None))
    markers = [a for a in detector.detect(bars) if len(shown) and a.minute >= shown.minute[0]]
    figure = market_chart(shown, markers, pair)
    latest = minute_iso(shown.minute[-1]) if len(shown) else "none"
    marked = f"{len(markers)} alert{'s' if len(markers) != 1 else ''} of the {detector.name} detector marked"
    updated = f"{pair}: {len(shown)} bars up to {latest} (UTC); {marked}; refreshed every {REFRESH_MS // 1000} s"
    return figure, _pairs_table(pairs, pair, request), _alerts_table(market.alerts(limit=50), request), updated


def _pairs_table(pairs: list[dict], current: str, request: dict) -> dbc.Table:
    rows = [
        html.Tr(
            [
                html.Td(dcc.Link(p["symbol"], href=market_path(p["symbol"], request["detector"], request["params"])),
                        className="fw-semibold" if p["symbol"] == current else None),
                html.Td(f"{p['alerts']:,}", className="text-end"),
                html.Td(minute_iso(p["last_alert"]) if p["last_alert"] is not None else "–", className="small"),
            ]
        )
        for p in pairs
    ]  # fmt: skip
    head = html.Thead(html.Tr([html.Th("pair"), html.Th("alerts", className="text-end"), html.Th("latest (UTC)")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="mb-0")


_PERCENT = ("ret_1m", "ret_5m", "jump", "drop")  # returns: signed percentages; buy_ratio a share


def _signal_text(signals: dict) -> str:
    """Signals as a reader takes them: returns in %, the buy ratio as a share, scores with 2 decimals."""
    parts = []
    for name, value in signals.items():
        if value is None:
            continue
        if name in _PERCENT:
            parts.append(f"{name} {value:+.1%}")
        elif name == "buy_ratio":
            parts.append(f"{name} {value:.0%}")
        else:
            parts.append(f"{name} {value:,.2f}")
    return " · ".join(parts)


def _alerts_table(stored, request: dict) -> dbc.Table | html.P:
    if not stored:
        return html.P("No alerts yet.", className="text-muted mb-0")
    rows = [
        html.Tr(
            [
                html.Td(minute_iso(s.alert.minute), className="small text-nowrap"),
                html.Td(dcc.Link(s.alert.symbol, href=market_path(s.alert.symbol, request["detector"], request["params"], s.alert.minute))),
                html.Td(dbc.Badge(s.alert.kind, color="danger" if s.alert.kind == "pump" else "secondary")),
                html.Td(s.alert.detector),
                html.Td(_signal_text(s.alert.signals), className="small"),
            ]
        )
        for s in stored
    ]  # fmt: skip
    head = html.Thead(html.Tr([html.Th(h) for h in ("minute (UTC)", "pair", "kind", "detector", "signals")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="mb-0")
