"""Benchmark of fetching: transfers per second through the whole path, stub server -> parse -> store.

For each chain, a local simulated API (``tracing.sources.simulated``) serves ``n``
transfers of one address in the provider's real shapes and paging; the connector
walks them and :func:`~tracing.investigate.refresh.fetch_history` stores them into a
fresh SQLite store. Printed per chain: requests, seconds and transfers per second of
the whole fetch, its peak memory, and the split of the work: HTTP (waiting on the
simulated server, whose JSON encoding runs in the same process), parsing (the pages
walked without a store, HTTP time taken out) and the store (writing the same table),
so it shows whether our parser or the store is the limit. The target is the store.

Run: ``.venv/bin/python bench/fetch.py [n ...] [--chains tron,ethereum,bitcoin,solana]``
(default 10^5). Prints figures, asserts nothing.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peak import peak_mib

from tracing.encodings import b58check_encode, b58encode, bech32_encode
from tracing.investigate.refresh import fetch_history
from tracing.model import TransferTable
from tracing.settings import Settings
from tracing.sources.esplora import Esplora
from tracing.sources.etherscan import Etherscan
from tracing.sources.simulated import StubServer
from tracing.sources.simulated.bitcoin import esplora_tx, serve_esplora
from tracing.sources.simulated.ethereum import serve_etherscan, token_row, tx_row
from tracing.sources.simulated.solana import serve_solana, sol_transfer, token_transfer
from tracing.sources.simulated.tron import serve_trongrid, trc20_item, trx_item
from tracing.sources.solana import Solana
from tracing.sources.trongrid import TronGrid
from tracing.store import Store

T0 = 1_700_000_000


def _tron(stub, n):
    me, others = (
        b58check_encode(b"\x41" + bytes(19) + b"\x01"),
        [b58check_encode(b"\x41" + k.to_bytes(20, "big")) for k in range(2, 500)],
    )
    tokens = [trc20_item(f"{i:064x}", others[i % 498], me, 10**6 + i, (T0 + 30 * i) * 1000) for i in range(n - n // 10)]
    native = [
        trx_item(f"{n + i:064x}", me, others[i % 498], 10**6 + i, (T0 + 30 * i) * 1000, 1 + i) for i in range(n // 10)
    ]
    serve_trongrid(stub, me, tokens, native)
    return me, lambda s: TronGrid(s, page_size=200)


def _ethereum(stub, n):
    me, usdc = "0x" + "11" * 20, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
    others = [f"0x{k:040x}" for k in range(2, 500)]
    ether = [tx_row(f"0x{i:064x}", me, others[i % 498], 10**18 + i, T0 + 12 * i, 10**6 + i // 3) for i in range(n // 2)]
    tokens = [
        token_row(f"0x{n + i:064x}", others[i % 498], me, 10**6 + i, T0 + 12 * i, 10**6 + i // 3, contract=usdc)
        for i in range(n - n // 2)
    ]
    serve_etherscan(stub, {"txlist": ether, "tokentx": tokens})
    return me, lambda s: Etherscan(s, page_size=1000)


def _bitcoin(stub, n):
    me = bech32_encode("bc", 0, bytes(19) + b"\x01")
    others = [bech32_encode("bc", 0, k.to_bytes(20, "big")) for k in range(2, 500)]
    txs = [
        esplora_tx(f"{i:064x}", [(others[i % 498], 20_000 + i)], [(me, 10_000 + i)], 600_000 + i, T0 + 600 * i)
        for i in range(n)
    ]
    serve_esplora(stub, me, txs)
    return me, lambda s: Esplora(s)


def _solana(stub, n):
    me, usdc = b58encode(bytes(31) + b"\x07"), "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
    others = [b58encode(k.to_bytes(32, "big")) for k in range(100, 600)]
    txs = [
        sol_transfer(b58encode(i.to_bytes(64, "big")), others[i % 500], me, 10**9 + i, 10**8 + i, T0 + i)
        if i % 2
        else token_transfer(
            b58encode(i.to_bytes(64, "big")),
            others[i % 500],
            me,
            10**6 + i,
            10**8 + i,
            T0 + i,
            mint=usdc,
            accounts=(others[(i + 1) % 500], others[(i + 2) % 500]),
        )
        for i in range(1, n + 1)
    ]
    serve_solana(stub, me, txs)
    return me, lambda s: Solana(s, batch=100)


CHAINS = {"tron": _tron, "ethereum": _ethereum, "bitcoin": _bitcoin, "solana": _solana}


def _timed_http(source) -> dict:
    """Count the seconds ``source`` spends waiting on HTTP (the simulated server's work included)."""
    spent = {"seconds": 0.0}
    request = source.http._request

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return request(*args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - started

    source.http._request = timed
    return spent


def bench(chain: str, n: int) -> None:
    stub = StubServer()
    try:
        address, make = CHAINS[chain](stub, n)
        settings = Settings(
            trongrid_url=stub.url,
            etherscan_url=stub.url + "/v2/api",
            etherscan_api_key="bench",
            esplora_url=stub.url + "/api",
            solana_rpc_url=stub.url + "/rpc",
            http_rate=1e6,
            http_retries=0,
            http_read_timeout=60.0,
        )
        with tempfile.TemporaryDirectory() as folder:
            store = Store(f"sqlite:///{folder}/bench.db")
            box = {}

            def whole():
                started = time.perf_counter()
                box["summary"] = fetch_history(store, make(settings), address, max_transfers=10 * n)
                box["seconds"] = time.perf_counter() - started

            peak = peak_mib(whole)
            summary, seconds = box["summary"], box["seconds"]
            source = make(settings)
            http = _timed_http(source)
            started = time.perf_counter()
            tables = [page.table for page in source.pages(address)]
            api = time.perf_counter() - started
            parse = api - http["seconds"]
            table = TransferTable.concat(tables).sorted()
            fresh = Store(f"sqlite:///{folder}/store-only.db")
            started = time.perf_counter()
            fresh.add_transfers(table, "bench")
            write = time.perf_counter() - started
            store.close()
            fresh.close()
        limit = "store" if write > parse else "parser"
        print(
            f"{chain:<9} {summary.new:>7} transfers  {summary.calls:>5} requests  {seconds:6.2f} s  "
            f"{summary.new / seconds:>8,.0f} transfers/s  peak {peak:6.1f} MiB  |  HTTP with the simulated "
            f"server {http['seconds']:5.2f} s, parse {parse:5.2f} s, store {write:5.2f} s: of ours, the {limit} limits"
        )
    finally:
        stub.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--chains", default=",".join(CHAINS))
    args = parser.parse_args()
    for n in args.sizes:
        for chain in args.chains.split(","):
            bench(chain, n)


if __name__ == "__main__":
    main()
