"""The trace page's node fetch without a browser: the offer with its budget, the budget spent, a trace again."""

import pytest
from dash import no_update
from dashboard_helpers import THIEF
from test_fetch_panel import _find

from dashboard import background
from dashboard.components.trace_fetch import callback_trace_fetched, fetch_offer
from tracing.settings import Settings

ETH = "0x" + "cd" * 20


@pytest.fixture
def context(app, monkeypatch):
    monkeypatch.setattr(background.JOBS, "settings", Settings(trace_fetch_budget=20))
    with app.server.test_request_context():
        yield


def test_the_offer_names_the_provider_and_the_budget_left(context):
    children, target = fetch_offer("tron", THIEF, {"left": 7, "total": 20})
    assert target == {"chain": "tron", "address": THIEF}
    assert children[0].children == "Fetch from TronGrid" and not children[0].disabled
    assert "7 of 20 requests left for this trace" in children[1].children


def test_no_budget_left_or_no_key_disables_the_button(context):
    assert fetch_offer("tron", THIEF, {"left": 0, "total": 20})[0][0].disabled
    children, _ = fetch_offer("ethereum", ETH, {"left": 5, "total": 20})
    assert children[0].disabled and "set ETHERSCAN_API_KEY" in children[1].children


def test_a_fetch_spends_its_requests_and_traces_again_when_something_arrived(context):
    request = {"chain": "tron", "address": THIEF}
    result = {"ok": True, "message": "TronGrid: 12 new", "new": 12, "limit": None, "calls": 3}
    status, budget, offer, again = callback_trace_fetched(result, {"left": 7, "total": 20}, request)
    assert budget == {"left": 4, "total": 20} and again == request and offer is None
    assert "4 of 20 requests left" in str(status.children)
    limited = {**result, "new": 0, "limit": "the budget of 4 requests ran out", "calls": 4}
    status, budget, _, again = callback_trace_fetched(limited, budget, request)
    assert budget["left"] == 0 and status.color == "warning" and again is no_update  # nothing new: no retrace
    assert _find(status, "trace-fetched") is status
