"""Seeded synthetic trades for tests and benchmarks: random walks per pair with injected pumps."""

import numpy as np

from tracing.market.bars import MINUTE_MS
from tracing.market.trades import TradeTable

__all__ = ["synthetic_trades"]

START_MS = 1_700_000_000_000 - 1_700_000_000_000 % MINUTE_MS  # 2023-11-14 22:13 UTC, a whole minute


def synthetic_trades(
    n: int, n_pairs: int, *, minutes: int = 1440, pumps: int = 0, seed: int = 0
) -> tuple[TradeTable, list[tuple[str, int]]]:
    """``n`` trades over ``n_pairs`` pairs and ``minutes`` minutes, in time order, plus the pumps injected.

    Pair activity is heavy-tailed (a few busy pairs, many quiet ones); prices follow
    a random walk per pair. Each pump puts a burst of taker buys into one minute of
    one pair (20x its usual pace, at least 50 trades), lifting its price by 20-60 %. Returns the table and ``(pair, minute)``
    of each pump.
    """
    rng = np.random.default_rng(seed)
    names = tuple(f"P{i:05d}/BTC" for i in range(n_pairs))
    weight = rng.pareto(1.2, n_pairs) + 0.05
    pair = rng.choice(n_pairs, size=n, p=weight / weight.sum()).astype(np.int32)
    ts = START_MS + np.sort(rng.integers(0, minutes * MINUTE_MS, n))
    buy = rng.random(n) < 0.5
    qty = rng.lognormal(3.0, 1.5, n)
    start_price = rng.lognormal(-11, 1.0, n_pairs)
    step = rng.normal(0, 0.002, n)
    order = np.argsort(pair, kind="stable")  # random walk per pair, in time order within each pair
    walk = np.empty(n)
    cum = np.cumsum(step[order])
    first = np.r_[0, np.flatnonzero(np.diff(pair[order])) + 1]
    offsets = np.repeat(cum[first] - step[order][first], np.diff(np.r_[first, n]))
    walk[order] = cum - offsets
    price = start_price[pair] * np.exp(walk)
    injected = []
    if pumps:
        per_minute = np.bincount(pair, minlength=n_pairs) / minutes
        where = rng.choice(n_pairs, size=pumps, replace=False, p=weight / weight.sum())
        chunks = []
        for p in where:
            burst = int(max(50, 20 * per_minute[p]))  # a surge whatever the pair's usual pace
            minute = int(rng.integers(minutes // 3, minutes - 5))
            t0 = START_MS + minute * MINUTE_MS + int(rng.integers(0, 20_000))
            tb = t0 + np.sort(rng.integers(0, 10_000, burst))  # a rush: all within 10 s
            lift = 1 + rng.uniform(0.2, 0.6) * np.linspace(0, 1, burst)
            base = price[pair == p][-1] if (pair == p).any() else start_price[p]
            chunks.append(
                (np.full(burst, p, np.int32), tb, rng.random(burst) < 0.9, base * lift, rng.lognormal(4.0, 1.0, burst))
            )
            injected.append((names[p], minute + START_MS // MINUTE_MS))
        cat = [np.concatenate([c[j] for c in chunks]) for j in range(5)]
        pair, ts, buy = np.r_[pair, cat[0]], np.r_[ts, cat[1]], np.r_[buy, cat[2]]
        price, qty = np.r_[price, cat[3]], np.r_[qty, cat[4]]
        order = np.argsort(ts, kind="stable")
        pair, ts, buy, price, qty = pair[order], ts[order], buy[order], price[order], qty[order]
    return TradeTable(names, pair, ts, buy, price, qty), injected
