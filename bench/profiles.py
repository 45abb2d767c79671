"""Benchmark: behavioural profiles of 10^5 addresses from 10^7 transfers.

Prints, per size (addresses, transfers): the seconds and peak memory of the feature
extraction over the whole table (what ``tracing profiles train`` runs on each chain's
transfers), of training (measuring every candidate on a sample, then assigning
every address), and of assigning addresses to the saved model (one at a time, as
the address page does, and all at once). Then the store's part, per size (transfers
among a hundredth as many addresses): writing them to a store (a temporary SQLite
file, or the database of ``--store-url``) and reading them back into features as
training does, with wall and CPU seconds and the read's peak memory.

The synthetic world is seeded: power-law activity over the addresses, heavy-tailed
amounts in two assets, a year of times, and a twentieth of the transfers forwarded
unchanged minutes later (pass-through pairs). Transaction hashes are stand-in
integers (distinct per row), which keeps 10^7 rows in about 1.5 GB.

Run: ``.venv/bin/python bench/profiles.py [--addresses N] [--transfers M ...] [--store M ...] [--store-url URL] [--k 2-8]``
"""

import argparse
import os
import sys
import tempfile
import time
from functools import partial
from itertools import repeat
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe
from peak import peak_mib

from tracing.cli.profiles import parse_ks
from tracing.investigate.profiles import stored_features
from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.profiles.features import Reference, address_features
from tracing.profiles.model import fit_model
from tracing.store import Store, schema

SEED = 11
_DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
START = 1_700_000_000
WRITE_BATCH = 100_000
WRITE_CACHE_KIB = 4 * 2**20  # the writer's SQLite page cache: the indexes of 10^7 rows
ASSETS = (Asset("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6), Asset("TRX", "native", 6))


def synthetic(addresses: int, transfers: int, seed: int = SEED) -> TransferTable:
    """A seeded table of ``transfers`` among ``addresses`` (see the module docstring), in canonical order."""
    rng = np.random.default_rng(seed)
    names = np.array([f"T{i:033d}" for i in range(addresses)])
    activity = rng.permutation(addresses)  # address rank -> address: who is busy is random
    src = activity[np.minimum(rng.zipf(1.5, transfers) - 1, addresses - 1)].astype(np.int32)
    dst = activity[np.minimum(rng.zipf(1.5, transfers) - 1, addresses - 1)].astype(np.int32)
    dst = np.where(dst == src, (dst + 1) % addresses, dst).astype(np.int32)
    times = START + rng.integers(0, 365 * 86_400, transfers)
    units = np.round(rng.lognormal(4, 2, transfers) * 100).astype(np.int64) + 1
    k = transfers // 40  # pass-through pairs: the receiver sends the same amount on minutes later
    src[k : 2 * k], dst[k : 2 * k] = dst[:k], rng.integers(0, addresses, k).astype(np.int32)
    units[k : 2 * k], times[k : 2 * k] = units[:k], times[:k] + rng.integers(60, 900, k)
    order = np.argsort(times, kind="stable")
    times, src, dst, units = times[order], src[order], dst[order], units[order]
    asset = (rng.random(transfers) < 0.2).astype(np.int16)
    amount = np.empty(transfers, dtype=object)
    amount[:] = (units * 10**4).tolist()
    return TransferTable(
        chain=Chain.TRON,
        addresses=names,
        assets=ASSETS,
        tx_hash=np.arange(transfers),  # stand-ins: distinct, in time order
        index=np.zeros(transfers, np.int64),
        block=(times - START) // 3,
        timestamp=times,
        src=src,
        dst=dst,
        asset=asset,
        amount=amount,
        value=(units * 10**4).astype(np.float64) / 1e6,
    )


def timed(func):
    """``(result, wall seconds, CPU seconds of this process)`` of one call: on a shared machine the two differ."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(addresses: int, transfers: int, ks: range) -> None:
    """Time and measure features, training and assignment for one size."""
    table, build, _ = timed(lambda: synthetic(addresses, transfers))
    reference = Reference.of(table)
    found, seconds, cpu = timed(lambda: address_features(table, reference=reference))
    memory = peak_mib(lambda: address_features(table, reference=reference))
    print(
        f"{addresses:>10,} {transfers:>12,}  features {seconds:7.2f} s wall, {cpu:.2f} s CPU "
        f"({transfers / seconds:,.0f} transfers/s wall), "
        f"peak {memory:,.0f} MiB; {len(found):,} addresses described (table built in {build:.1f} s)"
    )
    keys = np.char.add("tron:", found.addresses.astype(str))
    model, seconds, cpu = timed(lambda: fit_model(found.values, keys, reference=reference, ks=ks))
    memory = peak_mib(lambda: fit_model(found.values, keys, reference=reference, ks=ks))
    print(
        f"{'':>23}  training {seconds:7.2f} s wall, {cpu:.2f} s CPU, peak {memory:,.0f} MiB: "
        f"{model.chosen.candidate.label()}, "
        f"silhouette {model.metrics['silhouette']}, stability {model.chosen.stability}, "
        f"{len(model.measured)} candidates on {model.training['selection_sample']:,} addresses"
    )
    rows = found.values[:200]
    _, one, _ = timed(lambda: [model.assign(r) for r in rows])
    _, batch, _ = timed(lambda: model.assign(found.values))
    print(
        f"{'':>23}  assign   {one / len(rows) * 1e3:7.3f} ms per address one at a time; "
        f"all {len(found):,} at once {batch:.3f} s"
    )


def write_rows(store: Store, table: TransferTable, source: str = "bench") -> None:
    """Insert ``table`` into the store's transfers table with the driver's ``executemany``, a batch at a time.

    The fastest honest way to fill the same schema (its indexes included) with 10^7 rows: the
    store's own writer checks each batch and reads back what it inserted, which is what imports
    need and takes longer (70 s for 10^6 here against 44 s). On SQLite the writing connection
    gets a page cache large enough for the indexes. Transaction hashes are written as 64 hex digits.
    """
    names = [c.name for c in schema.transfers.c if c.name != "id"]
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":  # with the default 2 MB cache, 10^7 index inserts write tens of GB
            conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        sql = f"INSERT INTO transfers ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
        for start in range(0, len(table), WRITE_BATCH):
            part = table.take(slice(start, start + WRITE_BATCH))
            assets = [part.assets[a] for a in part.asset.tolist()]
            rows = zip(
                repeat(part.chain.value),
                (f"{h:064x}" for h in part.tx_hash),
                part.index.tolist(),
                part.block.tolist(),
                part.timestamp.tolist(),
                part.sender.tolist(),
                part.receiver.tolist(),
                (a.symbol for a in assets),
                (a.contract for a in assets),
                (a.decimals for a in assets),
                map(str, part.amount),
                part.value.tolist(),
                repeat(source),
            )
            conn.exec_driver_sql(sql, list(rows))
    store.engine.dispose()  # the reader starts with a fresh connection and the default cache


def store_part(transfers: int, url: str | None) -> None:
    """Write ``transfers`` to a store (a temporary SQLite file unless ``url``) and time reading them back into features."""
    table = synthetic(max(transfers // 100, 100), transfers)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(url or f"sqlite:///{folder}/bench.db")
        _, write, _ = timed(partial(write_rows, store, table))
        del table  # the read's peak is measured alone
        measured = []
        memory = peak_mib(lambda: measured.append(timed(lambda: stored_features(store, chains=(Chain.TRON,)))))
        (rows, *_), read, cpu = measured[0]
        store.delete_source("bench")  # a database given by URL is left as it was
        store.close()
    print(
        f"store ({_DATABASES[store.engine.dialect.name]}): {transfers:,} transfers written in {write:.1f} s; read back and "
        f"described ({len(rows):,} addresses) in {read:.2f} s wall, {cpu:.2f} s CPU "
        f"({transfers / read:,.0f} transfers/s wall), peak {memory:,.0f} MiB; load average {_load()}"
    )


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--transfers", type=int, nargs="+", default=[1_000_000, 10_000_000], help="(0: skip)")
    parser.add_argument(
        "--store", type=int, nargs="+", default=[200_000], help="transfers for the store's part (0: skip)"
    )
    parser.add_argument(
        "--store-url", help="a database for the store's part, left as it was (default: a temporary SQLite file)"
    )
    parser.add_argument("--k", help="clusters to try, as for 'tracing profiles train' (default 2-8)")
    args = parser.parse_args()
    print(describe())
    address_features(synthetic(100, 1000))  # compile (or load) the linking kernels before timing
    print(f"{'addresses':>10} {'transfers':>12}")
    for transfers in filter(None, args.transfers):
        run(min(args.addresses, transfers), transfers, parse_ks(args.k))
    for transfers in filter(None, args.store):
        store_part(transfers, args.store_url)


if __name__ == "__main__":
    main()
