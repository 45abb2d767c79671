"""Benchmark of market surveillance: batch and streaming detectors, the seed rule in DuckDB, Redis latency.

Seeded synthetic trades (default 10^7 over 2,000 pairs and one day, heavy-tailed
activity, 20 injected pumps). Prints, for the batch path (bars, then the seed and
robust detectors) and the streaming path (trades pushed in chunks of 10^5 through
the watermark, bars and both detectors): seconds, trades per second and peak
memory; then the original rule as SQL run by DuckDB on the same trades (one
thread and all threads), with the ratio engine / DuckDB and whether both find the
same alerts; then the end-to-end alert latency through Redis: from the moment the
entry that closes a pump's minute is published to the moment the alert reaches a
sink (a live stream adds its 5 s watermark to this).

Run: ``.venv/bin/python bench/market.py [--trades N] [--pairs P] [--latency-runs K]``.
Prints figures, asserts nothing.
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe
from peak import peak_mib

from tracing.market import SeedDetector, TradeTable, build_bars, make_detector
from tracing.market.stream import StreamingDetector
from tracing.market.synthetic import synthetic_trades

SEED_SQL = """
WITH t AS (
    SELECT pair, ts, buy, price, qty, ts // 60000 AS minute, row_number() OVER () AS seq FROM trades
), bars AS (
    SELECT pair, minute, arg_max(price, seq) AS close, sum(qty) AS vol,
           sum(CASE WHEN buy THEN qty ELSE 0 END) AS buy_vol, sum(CASE WHEN buy THEN 0 ELSE qty END) AS sell_vol
    FROM t GROUP BY pair, minute
), signals AS (
    SELECT pair, minute, vol,
           close / lag(close, 1) OVER w - 1 AS ret_1m,
           avg(vol) OVER (PARTITION BY pair ORDER BY minute ROWS BETWEEN 30 PRECEDING AND 1 PRECEDING) AS mu,
           stddev_pop(vol) OVER (PARTITION BY pair ORDER BY minute ROWS BETWEEN 30 PRECEDING AND 1 PRECEDING) AS sd,
           buy_vol / (buy_vol + sell_vol) AS buy_ratio
    FROM bars WINDOW w AS (PARTITION BY pair ORDER BY minute)
)
SELECT pair, minute, CASE WHEN ret_1m >= 0.02 THEN 1 ELSE -1 END AS kind FROM signals
WHERE sd > 0 AND (vol - mu) / sd >= 3
  AND ((ret_1m >= 0.02 AND buy_ratio >= 0.65) OR (ret_1m <= -0.02 AND buy_ratio <= 0.35))
ORDER BY pair, minute
"""


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def cooled(rows, minutes: int = 15) -> set:
    """The 15-minute cooldown over the SQL's candidates (few: a plain loop)."""
    kept, last = set(), {}
    for pair, minute, kind in rows:
        if minute - last.get(pair, -(10**12)) >= minutes:
            kept.add((pair, minute, kind))
            last[pair] = minute
    return kept


def batch(trades):
    bars = build_bars(trades)
    return bars, [d.detect(bars) for d in (make_detector("seed"), make_detector("robust"))]


def stream(trades, chunk: int = 100_000):
    detector = StreamingDetector([make_detector("seed"), make_detector("robust")])
    alerts = []
    for start in range(0, len(trades), chunk):
        alerts += detector.push(trades.take(slice(start, start + chunk))).alerts
    return alerts + detector.flush().alerts


def duckdb_seed(trades, threads: int | None):
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    con.register(
        "trades",
        pa.table({"pair": trades.pair, "ts": trades.ts, "buy": trades.buy, "price": trades.price, "qty": trades.qty}),
    )
    rows, seconds = timed(lambda: con.execute(SEED_SQL).fetchall())
    con.close()
    return cooled(rows), seconds


def latency(runs: int) -> list[float] | str:
    """Seconds from publishing the entry that closes a pump's minute to the alert at a sink."""
    import redis

    from tracing.market.live import TradeConsumer, replay

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except redis.RedisError as err:
        return f"skipped: no Redis at {url} ({type(err).__name__})"
    key = f"bench-market-{uuid.uuid4().hex[:8]}"
    arrived, seen = threading.Event(), []

    class Sink:
        def deliver(self, step):
            if any(a.detector == "robust" for a in step.alerts):
                seen.append(time.perf_counter())
                arrived.set()

    stream = StreamingDetector([make_detector("seed"), make_detector("robust")])
    consumer = TradeConsumer(
        client, stream, [Sink()], key=key, group="bench", consumer="c", block_ms=50, checkpoint_every=100
    )
    stop = threading.Event()
    worker = threading.Thread(target=lambda: consumer.run(stop=stop.is_set), daemon=True)
    worker.start()
    out = []
    try:
        for run in range(runs):
            trades, pumps = synthetic_trades(3000, 3, minutes=120, pumps=1, seed=run)
            shift = run * 200 * 60_000  # each run later than the last: event time only moves on
            names = tuple(f"R{run}-{p}" for p in trades.pairs)  # fresh pairs: no history from earlier runs
            trades = TradeTable(names, trades.pair, trades.ts + shift, trades.buy, trades.price, trades.qty)
            pump_end = (pumps[0][1] + 1) * 60_000 + shift
            replay(client, trades.take(trades.ts < pump_end), key=key, batch=5000, heartbeat=False)
            time.sleep(0.3)  # the consumer has read everything up to the pump minute's end
            arrived.clear()
            start = time.perf_counter()
            client.xadd(key, {"w": pump_end + 5000})  # the watermark passes the pump minute's end
            if arrived.wait(10):
                out.append(seen[-1] - start)
            replay(client, trades.take(trades.ts >= pump_end), key=key, batch=5000, heartbeat=False)
    finally:
        stop.set()
        worker.join(5)
        client.delete(key, *client.keys(f"{key}:*"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, default=10_000_000)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--latency-runs", type=int, default=20)
    args = parser.parse_args()
    print(describe())
    (trades, pumps), seconds = timed(lambda: synthetic_trades(args.trades, args.pairs, minutes=1440, pumps=20, seed=1))
    n = len(trades)
    print(f"{n:,} synthetic trades over {args.pairs:,} pairs and 1 day, {len(pumps)} pumps (made in {seconds:.1f} s)")
    batch(trades.take(slice(0, 50_000)))  # compile (or load) the kernels first
    stream(trades.take(slice(0, 50_000)))

    (bars, (seed_alerts, robust_alerts)), t_batch = timed(lambda: batch(trades))
    m_batch = peak_mib(lambda: batch(trades))
    print(f"batch:   {t_batch:7.2f} s  {n / t_batch:>12,.0f} trades/s  peak {m_batch:,.0f} MiB  ({len(bars):,} bars)")
    found = {(a.symbol, a.minute) for a in robust_alerts}
    print(
        f"         seed {len(seed_alerts)} alerts; robust {len(robust_alerts)} alerts, {sum(p in found for p in pumps)}/{len(pumps)} injected pumps"
    )
    streamed, t_stream = timed(lambda: stream(trades))
    m_stream = peak_mib(lambda: stream(trades))
    same = sorted(a.to_dict().items().__repr__() for a in streamed) == sorted(
        a.to_dict().items().__repr__() for a in seed_alerts + robust_alerts
    )
    print(
        f"stream:  {t_stream:7.2f} s  {n / t_stream:>12,.0f} trades/s  peak {m_stream:,.0f} MiB  (same alerts as batch: {same})"
    )

    engine_seed = {
        (trades.pairs.index(a.symbol), a.minute, 1 if a.kind == "pump" else -1) for a in SeedDetector().detect(bars)
    }
    t_seed_engine = timed(lambda: SeedDetector().detect(build_bars(trades)))[1]
    for threads in (1, None):
        sql_alerts, t_sql = duckdb_seed(trades, threads)
        label = f"{threads} thread" if threads else f"{os.cpu_count()} threads"
        print(
            f"DuckDB seed SQL ({label}): {t_sql:6.2f} s {n / t_sql:>12,.0f} trades/s | engine seed (bars + rule) "
            f"{t_seed_engine:.2f} s: DuckDB / engine = {t_sql / t_seed_engine:.2f} | same alerts: {sql_alerts == engine_seed} "
            f"({len(sql_alerts)} vs {len(engine_seed)})"
        )

    measured = latency(args.latency_runs)
    if isinstance(measured, str):
        print(f"latency: {measured}")
    elif measured:
        ms = sorted(1000 * s for s in measured)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(
            f"latency through Redis to the sink: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms over {len(ms)} pumps"
        )
    else:
        print("latency: no alert arrived")


if __name__ == "__main__":
    main()
