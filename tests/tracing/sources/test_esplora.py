"""Esplora against a local server: a many-input, many-output transaction as transfers, pages, refresh, failures."""

import pytest

from tracing.encodings import b58check_encode, bech32_encode
from tracing.errors import SourceUnavailable
from tracing.investigate.refresh import fetch_history
from tracing.sources.esplora import Esplora, split_transaction
from tracing.sources.simulated import html, ok
from tracing.sources.simulated.bitcoin import esplora_tx, serve_esplora


def wallet(i: int) -> str:
    return bech32_encode("bc", 0, i.to_bytes(20, "big"))


ME, A, B, C = wallet(1), wallet(2), b58check_encode(b"\x00" + bytes(19) + b"\x03"), wallet(4)
T0 = 1_600_000_000


def payments(n: int) -> list[dict]:
    return [esplora_tx(f"{i:064x}", [(A, 10_000 + i)], [(ME, 9_000 + i)], 700_000 + i, T0 + 600 * i) for i in range(n)]


@pytest.fixture
def source(settings):
    return Esplora(settings, sleep=lambda s: None)


def test_a_many_input_many_output_transaction(stub, store, source):
    # ME and A pay C and B; ME takes change back; 2,000 sat fee. ME has two UTXOs.
    tx = esplora_tx(
        "ab" * 32,
        [(ME, 300_000), (A, 500_000), (ME, 200_000)],
        [(C, 400_000), (B, 350_000), (ME, 248_000)],
        800_000,
        T0,
    )
    serve_esplora(stub, ME, [tx])
    fetch_history(store, source, ME)
    table = store.transfers_of("bitcoin", ME)
    rows = {(s, r): int(a) for s, r, a in zip(table.sender, table.receiver, table.amount)}
    # inputs: ME 500,000 (half), A 500,000 (half); each output is paid half by each
    assert rows == {(ME, C): 200_000, (ME, B): 175_000, (A, ME): 124_000}
    everything = split_transaction([(ME, 500_000), (A, 500_000)], [(C, 400_000), (B, 350_000), (ME, 248_000)])
    received = {r: sum(a for _, s, rr, a in everything if rr == r) for r in (C, B)}
    assert received == {C: 400_000, B: 350_000}  # every output exactly its value
    sent_by_a = sum(a for _, s, _, a in everything if s == A)
    assert sent_by_a == 500_000 - 1_000  # A bears half of the 2,000 sat fee
    assert table.assets[0].symbol == "BTC" and table.assets[0].decimals == 8


def test_rounding_gives_each_output_exactly_its_value():
    found = split_transaction([(A, 1), (B, 1), (C, 1)], [(ME, 2)])
    assert sum(a for *_, a in found) == 2 and len(found) == 2


def test_coinbase_and_op_return_take_no_part(stub, store, source):
    tx = esplora_tx("cd" * 32, [(None, 0)], [(ME, 625_000_000), (None, 0)], 800_001, T0)
    serve_esplora(stub, ME, [tx])
    assert fetch_history(store, source, ME).new == 0


def test_pages_by_last_txid_and_refresh(stub, store, source):
    serve_esplora(
        stub, ME, payments(60), mempool=[{**payments(1)[0], "txid": "ee" * 32, "status": {"confirmed": False}}]
    )
    summary = fetch_history(store, source, ME)
    assert summary.new == 60 and summary.pages == 3
    assert stub.requests[1].path.endswith(f"/txs/chain/{59 - 24:064x}")
    serve_esplora(stub, ME, payments(62))
    stub.requests.clear()
    again = fetch_history(store, source, ME)
    assert again.new == 2 and len(stub.requests) == 1  # the newest page reaches the known block


@pytest.mark.parametrize(("answer", "message"), [(html(503), "HTTP 503"), (ok({"error": "x"}), "no list")])
def test_a_failure_on_page_two_stores_nothing(stub, store, source, answer, message):
    serve_esplora(stub, ME, payments(30))
    stub.route(f"/api/address/{ME}/txs/chain/{5:064x}", answer)
    with pytest.raises(SourceUnavailable, match=message):
        fetch_history(store, source, ME)
    assert store.count_transfers() == 0
