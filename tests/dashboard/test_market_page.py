"""The Market page: login, thresholds in the URL, the live chart and tables from the pipeline's store."""

import importlib
import json

import numpy as np
import pytest
from dashboard_helpers import login

from dashboard.services import Services
from tracing.market import make_detector
from tracing.market.stream import StreamingDetector
from tracing.market.synthetic import synthetic_trades
from tracing.store import Store

TRADES, PUMPS = synthetic_trades(20_000, 6, minutes=300, pumps=1, seed=21)
PAIR, PUMP_MINUTE = PUMPS[0]


@pytest.fixture
def page(app):
    return importlib.import_module("dashboard.pages.market")


@pytest.fixture(scope="module")
def filled(app):
    """The pipeline's bars and alerts of a synthetic market with one pump, in the app's store."""
    market = app.server.extensions["tracing"].market
    stream = StreamingDetector([make_detector("seed"), make_detector("robust")])
    market.deliver(stream.push(TRADES))
    market.deliver(stream.flush())
    return market


def test_anonymous_visitors_are_sent_to_the_login(client):
    answer = client.get("/market")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_page_loads_for_a_logged_in_user(client, user):
    assert login(client, *user).status_code == 302
    assert client.get("/market?pair=X/BTC&detector=robust&min_score=4").status_code == 200


def test_thresholds_come_from_the_url_and_wrong_ones_are_named(page):
    request, error = page._request(
        {"pair": "A/BTC", "detector": "robust", "min_score": "4", "at": "2024-01-01T10:00:00Z"}
    )
    assert error is None and request["params"] == {"min_score": "4"} and request["at"] == 28401720
    request, error = page._request({"detector": "seed", "min_return": "-1"})
    assert "min_return" in error and request["params"] == {}
    assert "unknown detector" in page._request({"detector": "magic"})[1]
    assert page.market_path("A/BTC", "robust", {"min_score": 4}) == "/market?pair=A%2FBTC&detector=robust&min_score=4"


def test_the_chart_marks_the_pump_and_the_tables_list_it(app, page, filled):
    request = page._request({"pair": PAIR, "detector": "robust"})[0]
    with app.server.test_request_context("/"):
        figure, pairs, alerts, updated = page.refresh(request)
    names = [t.name for t in figure.data]
    assert names[:4] == ["Price (BTC)", "Taker buys", "Taker sells", "Buy ratio"] and "Pump alert" in names
    marker = figure.data[names.index("Pump alert")]
    assert str(marker.x[0]).startswith(str(np.datetime64(PUMP_MINUTE, "m")))
    assert PAIR in str(pairs) and f"pair={PAIR.replace('/', '%2F')}&detector=robust" in str(pairs)
    assert "pump" in str(alerts) and "robust" in str(alerts) and "refreshed every 5 s" in updated
    strict = page._request({"pair": PAIR, "detector": "robust", "min_score": "1000"})[0]
    with app.server.test_request_context("/"):
        figure = page.refresh(strict)[0]
    assert "Pump alert" not in [t.name for t in figure.data]


def test_the_refresh_callback_answers_over_http(app, client, user, filled):
    assert login(client, *user).status_code == 302
    client.get("/market")
    body = {
        "output": "..market-chart.figure...market-pairs.children...market-alerts.children...market-updated.children..",
        "outputs": [
            {"id": "market-chart", "property": "figure"},
            {"id": "market-pairs", "property": "children"},
            {"id": "market-alerts", "property": "children"},
            {"id": "market-updated", "property": "children"},
        ],
        "inputs": [
            {"id": "market-interval", "property": "n_intervals", "value": 3},
            {
                "id": "market-request",
                "property": "data",
                "value": {"pair": PAIR, "detector": "seed", "params": {}, "at": None},
            },
        ],
        "changedPropIds": ["market-interval.n_intervals"],
        "state": [],
    }
    answer = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    assert "candlestick" in answer.get_data(as_text=True)


def test_an_empty_store_says_how_to_fill_it(app, page, tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setattr(page, "services", lambda: Services(store))
    with app.server.test_request_context("/"):
        figure, pairs, alerts, _ = page.refresh(page._request({})[0])
    assert not figure.data and not figure.layout.xaxis.visible and "No market data" in figure.layout.annotations[0].text
    assert "tracing market run" in str(pairs) and "`" not in str(pairs) and alerts is None
    store.close()
