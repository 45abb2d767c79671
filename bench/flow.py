"""Benchmark of fund-flow tracing: index build and 6-hop haircut and FIFO traces.

Seeded synthetic transfer graphs of 10^5 and 10^6 transfers with power-law (Zipf-like)
in- and out-degrees over one year. For each size it prints the seconds and peak memory
of building the flow index, of tracing a theft transaction 6 hops forward under the
haircut and FIFO models, and of a plain NetworkX BFS (6 hops, no time order, no
amounts) from the same address over the same graph, with the ratio trace / BFS.

Run: ``.venv/bin/python bench/flow.py [sizes ...]``. Prints figures, asserts nothing.
"""

import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peak import peak_mib

from tracing.flow import FlowIndex, TraceParameters, trace_index
from tracing.model import Chain, TransferTable
from tracing.testing import USDT_TRON

SEED = 20251123
YEAR = 365 * 86_400


def synthetic(n: int, seed: int = SEED) -> TransferTable:
    """``n`` USDT transfers among ``n / 10`` addresses with power-law degrees, in time order."""
    rng = np.random.default_rng(seed)
    n_addr = max(n // 10, 10)
    weights = np.arange(1, n_addr + 1, dtype=np.float64) ** -0.9
    weights /= weights.sum()
    src = rng.choice(n_addr, n, p=weights)
    dst = rng.choice(n_addr, n, p=weights)  # busy senders are busy receivers too, like exchanges
    dst = np.where(dst == src, (dst + 1) % n_addr, dst)
    amount = np.round(rng.lognormal(np.log(200.0), 1.5, n) * 1e6).astype(np.int64)
    return TransferTable.from_codes(
        Chain.TRON,
        addresses=np.array([f"addr{i:08d}" for i in range(n_addr)]),
        assets=(USDT_TRON,),
        tx_hash=[f"{i:016x}" for i in range(n)],
        index=np.zeros(n, dtype=np.int64),
        block=np.arange(n),
        timestamp=np.sort(rng.integers(0, YEAR, n)) + 1_700_000_000,
        src=src,
        dst=dst,
        asset=np.zeros(n, dtype=np.int16),
        amount=amount.astype(object),
    )


def measure(func):
    """(result, seconds, peak MiB allocated) of ``func()``: timed on its own, then run again for its memory."""
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    return result, seconds, peak_mib(func)


def run(n: int) -> None:
    table = synthetic(n)
    busy = np.argsort(np.bincount(table.src))[-100:]  # the 100 addresses that send most often
    quarter = len(table) // 4
    window = quarter + np.flatnonzero(np.isin(table.dst[quarter : quarter + 5000], busy))
    theft = int(window[np.argmax(table.value[window])])  # a large theft, a quarter into the year, into a busy address
    source, tx = str(table.sender[theft]), str(table.tx_hash[theft])
    index, build_s, build_mb = measure(lambda: FlowIndex.build(table, "forward"))
    print(f"\n{n:>9,} transfers, {len(table.addresses):,} addresses")
    print(f"  index build              {build_s:7.3f} s   peak {build_mb:7.1f} MiB")
    timings = {}
    for model, dust in (("haircut", 0.0), ("fifo", 0.0), ("haircut", 1.0)):
        params = TraceParameters(tx=tx, model=model, hops=6, min_amount=dust)
        result, trace_s, trace_mb = measure(lambda p=params: trace_index(index, source, p))
        name = f"{model}, min {dust:g}"
        timings[name] = trace_s
        print(
            f"  6-hop {name:<16} {trace_s:7.3f} s   peak {trace_mb:7.1f} MiB   "
            f"{len(result):,} addresses, {len(result.edges):,} traced transfers"
        )
    graph = nx.DiGraph()
    graph.add_edges_from(zip(table.src.tolist(), table.dst.tolist()))
    start = int(table.dst[theft])
    reached, bfs_s, bfs_mb = measure(lambda: nx.single_source_shortest_path_length(graph, start, cutoff=5))
    print(f"  networkx BFS 6 hops      {bfs_s:7.3f} s   peak {bfs_mb:7.1f} MiB   {len(reached):,} addresses")
    print("  ratio trace / BFS:   " + ", ".join(f"{name} {s / bfs_s:.1f}x" for name, s in timings.items()))


if __name__ == "__main__":
    for size in [int(float(a)) for a in sys.argv[1:]] or [10**5, 10**6]:
        run(size)
