"""Solana JSON-RPC against a local server: SOL and SPL transfers with decimals, paging, refresh, RPC errors."""

import pytest

from tracing.encodings import b58encode
from tracing.errors import RateLimited, SourceUnavailable
from tracing.investigate.refresh import fetch_history
from tracing.sources.simulated import ok
from tracing.sources.simulated.solana import serve_solana, sol_transfer, token_transfer
from tracing.sources.solana import Solana


def key(i: int) -> str:
    return b58encode(i.to_bytes(32, "big") if i else bytes(32))


ME, OTHER, USDC = key(7), key(8), "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
T0 = 1_700_000_000


def sig(i: int) -> str:
    return b58encode(i.to_bytes(64, "big"))


def history(n: int) -> list[dict]:
    return [
        sol_transfer(sig(i + 1), ME if i % 2 else OTHER, OTHER if i % 2 else ME, 10**9 + i, 1000 + i, T0 + i)
        for i in range(n)
    ]


@pytest.fixture
def source(settings):
    return Solana(settings, signatures=4, batch=3, sleep=lambda s: None)


def test_sol_and_spl_transfers_over_several_pages(stub, store, source):
    txs = history(9)
    txs.append(token_transfer(sig(100), OTHER, ME, 2_500_000, 2000, T0 + 99, mint=USDC, accounts=(key(20), key(21))))
    failed = sol_transfer(sig(101), ME, OTHER, 5, 2001, T0 + 100)
    failed["meta"]["err"] = {"InstructionError": [0, "Custom"]}
    txs.append(failed)
    serve_solana(stub, ME, txs)
    seen = []
    summary = fetch_history(store, source, ME, progress=seen.append)
    table = store.transfers_of("solana", ME)
    assert summary.new == 10 and len(table) == 10  # the failed one left out
    assets = {a.symbol: a for a in table.assets}
    assert assets["SOL"].decimals == 9 and assets["USDC"].contract == USDC and assets["USDC"].decimals == 6
    usdc = table.take(table.asset == table.assets.index(assets["USDC"]))
    assert list(usdc.sender) == [OTHER] and list(usdc.receiver) == [ME] and list(usdc.amount) == [2_500_000]
    assert seen[-1].done == seen[-1].total == 10 and seen[0].total == 3  # a bar with done/total
    assert any(
        "before" in c["params"][1] for r in stub.requests for c in r.body if c["method"] == "getSignaturesForAddress"
    )


def test_refresh_asks_until_the_newest_signature(stub, store, source):
    serve_solana(stub, ME, history(3))
    fetch_history(store, source, ME)
    serve_solana(stub, ME, history(5))
    stub.requests.clear()
    assert fetch_history(store, source, ME).new == 2
    first = stub.requests[0].body[0]
    assert first["params"][1]["until"] == sig(3)


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (
            ok({"jsonrpc": "2.0", "id": 0, "error": {"code": -32005, "message": "Node is behind by 200 slots"}}),
            SourceUnavailable,
            "Node is behind",
        ),
        (
            ok({"jsonrpc": "2.0", "id": 0, "error": {"code": 429, "message": "Too many requests"}}),
            RateLimited,
            "Too many",
        ),
        (ok([{"jsonrpc": "2.0", "id": 0, "result": None}]), SourceUnavailable, "no transaction"),
    ],
)
def test_rpc_errors_store_nothing(stub, store, source, answer, error, message):
    serve_solana(stub, ME, history(9))
    stub.route(
        "/rpc", answer, when=lambda q, body: body[0]["method"] == "getTransaction" and body[0]["params"][0] == sig(6)
    )
    with pytest.raises(error, match=message):
        fetch_history(store, source, ME)
    assert store.count_transfers() == 0
