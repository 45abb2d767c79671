"""TronGrid against a local server: pages, tokens and TRX, look-alikes, refresh, limits and every failure mode."""

import os

import pytest

from tracing.encodings import b58check_encode
from tracing.errors import RateLimited, SourceUnavailable
from tracing.investigate.refresh import FetchCancelled, fetch_history
from tracing.settings import Settings
from tracing.sources.simulated import Stall, html, ok, raw
from tracing.sources.simulated.tron import serve_trongrid, trc20_item, trx_item
from tracing.sources.trongrid import TronGrid
from tracing.store.fetches import fetch_record

USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
T0 = 1_772_000_000_000  # ms


def tron(i: int) -> str:
    return b58check_encode(b"\x41" + i.to_bytes(20, "big"))


ME, OTHER, FAKE_TOKEN = tron(1), tron(2), tron(99)


def tx(i: int) -> str:
    return f"{i:064x}"


def tokens(n: int, start: int = 0) -> list[dict]:
    return [
        trc20_item(
            tx(start + i),
            ME if i % 2 else OTHER,
            OTHER if i % 2 else ME,
            1_000_000 * (i + 1) + 1,
            T0 + 60_000 * (start + i),
        )
        for i in range(n)
    ]


@pytest.fixture
def source(settings):
    return TronGrid(settings, page_size=4, sleep=lambda s: None)


def stored(store):
    return store.transfers_of("tron", ME)


def test_a_multi_page_history_of_tokens_and_trx(stub, store, source):
    items = tokens(9)
    items.append({**trc20_item(tx(50), OTHER, ME, 5, T0), "type": "Approval"})  # moves nothing
    items.append(trc20_item(tx(51), OTHER, ME, 1, T0 + 1, contract=FAKE_TOKEN))  # fake USDT: poisoning
    native = [
        trx_item(tx(60), ME, OTHER, 2_500_000, T0 + 5, 100),
        trx_item(tx(61), OTHER, ME, 7, T0 + 6, 101, result="REVERT"),
    ]
    serve_trongrid(stub, ME, items, native)
    seen = []
    summary = fetch_history(store, source, ME, progress=seen.append)
    table = stored(store)
    assert (summary.new, summary.known, summary.pages, summary.limit) == (11, 0, 4, None)  # 3 token pages, 1 TRX
    assert summary.calls == 4 and [p.pages for p in seen] == [1, 2, 3, 4] and seen[-1].transfers == 11
    by_symbol = {a.symbol: a for a in table.assets}
    assert by_symbol["USDT"].contract == USDT and by_symbol["USDT"].decimals == 6
    assert by_symbol["USDT (look-alike)"].contract == FAKE_TOKEN
    assert by_symbol["TRX"].contract == "native"
    trx = table.take(table.asset == table.assets.index(by_symbol["TRX"]))
    assert list(trx.sender) == [ME] and list(trx.receiver) == [OTHER] and list(trx.amount) == [2_500_000]
    assert sorted(int(a) for a in table.amount)[-1] == 9_000_001  # exact base units
    assert sorted(table.timestamp)[0] == T0 // 1000


def test_fetching_again_asks_only_for_what_is_newer(stub, store, source):
    serve_trongrid(stub, ME, tokens(5), [])
    fetch_history(store, source, ME)
    serve_trongrid(stub, ME, tokens(7), [])  # two newer transfers since
    stub.requests.clear()
    summary = fetch_history(store, source, ME)
    assert summary.incremental and summary.new == 2 and summary.known == 1  # the newest known one, again
    assert stub.requests[0].query["min_timestamp"] == str((T0 + 60_000 * 4) // 1000 * 1000)
    assert len(stored(store)) == 7
    assert fetch_record(store, "tron", ME, "trongrid").newest_tx == tx(6)


def test_an_empty_history_is_no_error(stub, store, source):
    serve_trongrid(stub, ME, [], [])
    summary = fetch_history(store, source, ME)
    assert (summary.new, summary.pages) == (0, 2)
    assert fetch_record(store, "tron", ME, "trongrid").complete


def test_the_limit_keeps_the_newest_and_says_so(stub, store, source):
    serve_trongrid(stub, ME, tokens(10), [])
    summary = fetch_history(store, source, ME, max_transfers=6)
    assert summary.new == 6 and "newest 6 transfers" in summary.limit
    assert min(stored(store).timestamp) == (T0 + 60_000 * 4) // 1000
    assert not fetch_record(store, "tron", ME, "trongrid").complete


def test_the_key_is_sent_when_set(stub, store, settings):
    serve_trongrid(stub, ME, tokens(1), [])
    keyed = TronGrid(Settings(**{**settings.__dict__, "trongrid_api_key": "k-123"}))
    fetch_history(store, keyed, ME)
    assert {r.headers.get("TRON-PRO-API-KEY") for r in stub.requests} == {"k-123"}


def _second_page_fails(stub, answer):
    """Page 1 is fine; page 2 answers ``answer`` (then the real page again)."""
    good = tokens(9)
    serve_trongrid(stub, ME, good, [])
    real = stub.routes[1][2][0]  # the trc20 handler
    stub.route(f"/v1/accounts/{ME}/transactions/trc20", answer, real, when=lambda q, b: q.get("fingerprint") == "4")


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (ok({}, 429, **{"Retry-After": "1"}), 9),
        (ok({"Error": "internal"}, 500), 9),
        (Stall(0.8, ok({})), 9),  # one timeout, then the page
    ],
)
def test_a_passing_failure_is_retried_and_the_history_is_whole(stub, store, source, answer, outcome):
    _second_page_fails(stub, answer)
    assert fetch_history(store, source, ME).new == outcome


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (ok({}, 429, **{"Retry-After": "1"}), RateLimited, "rate-limiting.*TRONGRID_API_KEY"),
        (Stall(0.8, ok({})), SourceUnavailable, "did not answer within"),
        (raw('{"data": [{"transaction_id"'), SourceUnavailable, "malformed JSON"),
        (html(200), SourceUnavailable, "web page instead of JSON"),
        (
            ok({"Success": False, "Error": "ApiKey not exists", "StatusCode": 401}, 401),
            SourceUnavailable,
            "check TRONGRID_API_KEY",
        ),
        (ok({"success": False, "error": "account not found"}), SourceUnavailable, "account not found"),
        (ok({"data": [{"transaction_id": "zz"}], "success": True}), SourceUnavailable, "something unexpected"),
    ],
)
def test_a_lasting_failure_stores_nothing(stub, store, source, answer, error, message):
    _second_page_fails(stub, answer)
    stub.routes[0][2][:] = [answer]  # page 2 fails for ever
    with pytest.raises(error, match=message):
        fetch_history(store, source, ME)
    assert store.count_transfers() == 0 and fetch_record(store, "tron", ME, "trongrid") is None


def test_a_page_that_repeats_the_last_one_stops_and_stores_nothing(stub, store, source):
    page = ok({"data": tokens(4), "success": True, "meta": {"fingerprint": "same"}})
    stub.route(f"/v1/accounts/{ME}/transactions/trc20", page)
    with pytest.raises(SourceUnavailable, match="already sent"):
        fetch_history(store, source, ME)
    assert store.count_transfers() == 0


def test_cancelling_stores_nothing(stub, store, source):
    serve_trongrid(stub, ME, tokens(9), [])
    calls = iter([False, True])
    with pytest.raises(FetchCancelled):
        fetch_history(store, source, ME, cancelled=lambda: next(calls))
    assert store.count_transfers() == 0


def test_no_test_here_reaches_the_internet(settings):
    assert "trongrid.io" not in settings.trongrid_url and not os.environ.get("TRONGRID_URL", "").startswith("https")


def test_a_request_budget_stops_the_walk_and_says_so(stub, store, source):
    serve_trongrid(stub, ME, tokens(20), [])  # 5 pages of 4
    summary = fetch_history(store, source, ME, max_calls=2)
    assert summary.calls == 2 and summary.new == 8 and "budget of 2 requests ran out" in summary.limit
    assert not fetch_record(store, "tron", ME, "trongrid").complete
