"""The trace page's node fetch without a browser: expanding an unfetched address fetches it, within the budget.

The fetches run against a local TronGrid stand-in (nothing reaches the internet).
"""

import pytest
from dash import no_update
from dashboard_helpers import THIEF

from dashboard.components.fetching import run_fetch
from dashboard.components.trace_fetch import (
    budget_text,
    callback_trace_fetch_plan,
    callback_trace_fetched,
    fetch_plan,
    fetched_outcome,
)
from tracing.encodings import b58check_encode
from tracing.settings import Settings
from tracing.sources.simulated import html, ok
from tracing.sources.simulated.tron import serve_trongrid, trc20_item

ETH = "0x" + "cd" * 20
FULL = {"left": 20, "total": 20}


def tron(i: int) -> str:
    return b58check_encode(b"\x41" + i.to_bytes(20, "big"))


@pytest.fixture
def context(app, stub, jobs):
    settings = Settings(
        trongrid_url=stub.url, trace_fetch_budget=20, http_retries=1, http_backoff=0.01, http_rate=1000.0
    )
    jobs(settings)
    with app.server.test_request_context():
        yield stub


def serve(stub, me: str, n: int) -> None:
    items = [
        trc20_item(f"{i + 7000:064x}", me, tron(7), 1_000_000 + i, 1_772_000_000_000 + 60_000 * i) for i in range(n)
    ]
    serve_trongrid(stub, me, items, [])


def test_expanding_an_address_whose_transfers_are_missing_starts_its_fetch(context):
    me = tron(6001)
    text, button, target, start = fetch_plan("tron", me, FULL)
    assert start == target == {"chain": "tron", "address": me} and button is None
    assert "not stored: fetching them from TronGrid" in text


def test_an_address_with_its_transfers_stored_offers_what_is_newer_instead(context):
    text, button, target, start = fetch_plan("tron", THIEF, FULL)  # the demo thief's transfers are stored
    assert start is None and target == {"chain": "tron", "address": THIEF}
    assert button == "Fetch what is newer from TronGrid" and "stored" in text


def test_a_spent_budget_a_missing_key_or_a_viewer_fetch_nothing_and_say_why(context):
    text, button, _, start = fetch_plan("tron", tron(6002), {"left": 0, "total": 20})
    assert start is None and button is None
    assert "budget is used up (20 of 20 requests)" in text and "address page" in text
    text, _, _, start = fetch_plan("ethereum", ETH, FULL)
    assert start is None and "set ETHERSCAN_API_KEY" in text
    text, _, _, start = fetch_plan("tron", tron(6003), FULL, may_fetch=False)
    assert start is None and "needs the role investigator" in text


def test_the_tap_callback_leaves_folded_and_exit_nodes_alone(context):
    request = {"chain": "tron", "address": THIEF, "params": {"direction": "forward"}}
    offer, _, style, target, start, _ = callback_trace_fetch_plan({"id": "x+more", "kind": "more"}, FULL, request)
    assert offer is None and target is None and start is no_update and style == {"display": "none"}
    offer, *_, start, _ = callback_trace_fetch_plan({"id": tron(6004), "kind": "address"}, FULL, request)
    assert "investigator" in offer and start is no_update  # nobody is logged in here: a viewer's view


def test_the_fetch_stores_spends_its_requests_and_traces_again(context, services):
    me = tron(6005)
    serve(context, me, 3)
    result = run_fetch({"chain": "tron", "address": me}, max_calls=FULL["left"])
    alert, budget, retrace = fetched_outcome(result, FULL)
    assert result["ok"] and result["new"] == 3 and retrace and alert.color == "success"
    assert budget == {"left": 18, "total": 20}  # one trc20 page, one TRX page
    assert budget_text(budget) == "Fetch budget of this trace: 2 of 20 requests used"
    assert len(services.store.transfers_of("tron", me)) == 3
    assert fetch_plan("tron", me, budget)[3] is None  # fetched now: a second click does not fetch again


def test_a_fetch_cut_by_the_budget_says_so(context):
    me = tron(6006)
    serve(context, me, 450)  # three pages of 200
    result = run_fetch({"chain": "tron", "address": me}, max_calls=2)
    alert, budget, retrace = fetched_outcome(result, {"left": 2, "total": 20})
    assert budget["left"] == 0 and retrace and alert.color == "warning"
    assert "budget of 2 requests ran out" in str(alert.children)


@pytest.mark.parametrize(
    ("answer", "message"),
    [(ok({}, 429, **{"Retry-After": "0"}), "rate-limiting"), (html(502), "answered HTTP 502: the service has trouble")],
)
def test_a_rate_limit_or_an_outage_is_shown_and_the_trace_kept(context, services, answer, message):
    me = tron(6007)
    context.route(f"/v1/accounts/{me}/transactions/trc20", answer)
    result = run_fetch({"chain": "tron", "address": me}, max_calls=20)
    assert not result["ok"] and message in result["message"] and result["calls"] == 2  # one try, one retry
    request = {"chain": "tron", "address": THIEF}
    status, budget, offer, _, again = callback_trace_fetched(result, FULL, request)
    assert status.color == "danger" and "the trace is unchanged" in status.children
    assert budget["left"] == 18 and again is no_update and offer is None
    assert services.store.transfers_of("tron", me).__len__() == 0


def test_nothing_new_does_not_trace_again(context):
    request = {"chain": "tron", "address": THIEF}
    result = {"ok": True, "message": "TronGrid: 0 new", "new": 0, "limit": None, "calls": 2}
    status, budget, _, _, again = callback_trace_fetched(result, {"left": 7, "total": 20}, request)
    assert budget == {"left": 5, "total": 20} and again is no_update and status.color == "success"
