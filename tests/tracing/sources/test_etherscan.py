"""Etherscan v2 against a local server: three listings, the 10,000-row window walked by blocks, status "0"."""

import pytest

from tracing.errors import RateLimited, SourceNotConfigured, SourceUnavailable
from tracing.investigate.refresh import fetch_history
from tracing.settings import Settings
from tracing.sources.etherscan import Etherscan
from tracing.sources.simulated import ok
from tracing.sources.simulated.ethereum import serve_etherscan, token_row, tx_row

ME, OTHER = "0x" + "11" * 20, "0x" + "22" * 20
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
T0 = 1_700_000_000


def eth_rows(n: int, per_block: int = 1) -> list[dict]:
    return [tx_row(f"0x{i:064x}", ME, OTHER, 10**18 + i, T0 + i, 1000 + i // per_block) for i in range(n)]


@pytest.fixture
def source(settings):
    return Etherscan(settings, page_size=5, window=20, sleep=lambda s: None)


def test_three_listings_and_a_history_longer_than_the_row_window(stub, store, source):
    listings = {
        "txlist": [*eth_rows(47, per_block=2), tx_row("0x" + "f" * 64, ME, OTHER, 5, T0, 900, failed=True)],
        "txlistinternal": [{**tx_row("0x" + "e" * 64, OTHER, ME, 7, T0 + 1, 999), "traceId": "0_1", "type": "call"}],
        "tokentx": [token_row("0x" + "d" * 64, OTHER, ME, 2**70, T0 + 2, 998, contract=USDC, symbol="USDC")],
    }
    serve_etherscan(stub, listings, window=20)
    summary = fetch_history(store, source, ME)
    table = store.transfers_of("ethereum", ME)
    assert summary.new == 49 and len(table) == 49  # 47 ETH (the failed one left out), 1 internal, 1 token
    windows = {r.query["endblock"] for r in stub.requests if r.query["action"] == "txlist"}
    assert len(windows) >= 3  # 47 rows through a 20-row window: walked by block ranges
    assets = {a.symbol: a for a in table.assets}
    assert assets["ETH"].decimals == 18 and assets["USDC"].contract == USDC and assets["USDC"].decimals == 6
    assert 2**70 in set(table.amount.tolist())  # exact, above 2^64
    assert all(r.query["chainid"] == "1" and r.query["apikey"] == "TESTKEY" for r in stub.requests)


def test_refresh_starts_at_the_newest_block(stub, store, source):
    serve_etherscan(stub, {"txlist": eth_rows(6)})
    fetch_history(store, source, ME)
    stub.requests.clear()
    serve_etherscan(stub, {"txlist": eth_rows(8)})
    summary = fetch_history(store, source, ME)
    assert summary.new == 2 and {r.query["startblock"] for r in stub.requests} == {"1005"}


def test_no_transactions_found_is_an_empty_history(stub, store, source):
    serve_etherscan(stub, {})
    assert fetch_history(store, source, ME).new == 0


@pytest.mark.parametrize(
    ("document", "error", "message"),
    [
        (
            {"status": "0", "message": "NOTOK", "result": "Invalid API Key"},
            SourceUnavailable,
            "Invalid API Key.*ETHERSCAN_API_KEY",
        ),
        (
            {"status": "0", "message": "NOTOK", "result": "Max rate limit reached"},
            RateLimited,
            "Max rate limit reached",
        ),
        (
            {"status": "0", "message": "NOTOK", "result": "Error! Invalid address format"},
            SourceUnavailable,
            "Invalid address",
        ),
        ({"jsonrpc": "2.0"}, SourceUnavailable, "not an Etherscan document"),
    ],
)
def test_status_0_other_than_empty_is_an_error_with_its_message(stub, store, source, document, error, message):
    serve_etherscan(stub, {"txlist": eth_rows(12)})
    stub.route("/v2/api", ok(document), when=lambda q, b: q.get("page") == "2")
    with pytest.raises(error, match=message):
        fetch_history(store, source, ME)
    assert store.count_transfers() == 0


def test_without_a_key_the_message_names_the_variable(settings):
    with pytest.raises(SourceNotConfigured, match="set ETHERSCAN_API_KEY"):
        Etherscan(Settings(**{**settings.__dict__, "etherscan_api_key": ""}))
