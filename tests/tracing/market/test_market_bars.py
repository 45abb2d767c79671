"""Bars against a plain-Python definition, on a market with many trades per millisecond."""

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tracing.market import TradeTable, build_bars


def reference_bars(trades: TradeTable) -> dict:
    """(pair, minute) -> bar, straight from the definition (arrival order breaks time ties)."""
    groups = defaultdict(list)
    for i in range(len(trades)):
        groups[(trades.pairs[trades.pair[i]], int(trades.ts[i]) // 60_000)].append(i)
    bars = {}
    for key, rows in groups.items():
        by_time = sorted(rows, key=lambda i: (trades.ts[i], i))
        per_second = [0] * 60
        for i in rows:
            if trades.buy[i]:
                per_second[(int(trades.ts[i]) % 60_000) // 1000] += 1
        bars[key] = {
            "open": trades.price[by_time[0]],
            "close": trades.price[by_time[-1]],
            "high": max(trades.price[rows]),
            "low": min(trades.price[rows]),
            "volume": sum(trades.qty[rows]),
            "buy_volume": sum(trades.qty[i] for i in rows if trades.buy[i]),
            "count": len(rows),
            "rush": max(sum(per_second[max(0, s - 4) : s + 1]) for s in range(60)),
        }
    return bars


def as_dict(bars) -> dict:
    return {
        (bars.pairs[bars.pair[i]], int(bars.minute[i])): {
            "open": bars.open[i],
            "close": bars.close[i],
            "high": bars.high[i],
            "low": bars.low[i],
            "volume": bars.volume[i],
            "buy_volume": bars.buy_volume[i],
            "count": bars.count[i],
            "rush": bars.rush[i],
        }
        for i in range(len(bars))
    }


def assert_same(got: dict, want: dict):
    assert got.keys() == want.keys()
    for key, bar in want.items():
        for field, value in bar.items():
            assert np.isclose(got[key][field], value, rtol=1e-12), (key, field)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 240_000), st.booleans(), st.integers(1, 9)), min_size=1, max_size=80
    )
)
def test_bars_match_the_definition_in_any_arrival_order(rows):
    pair, ts, buy, price = (np.array(c) for c in zip(*rows))
    trades = TradeTable.from_columns(np.array(["A", "B", "C"])[pair], ts, buy, price.astype(float), price * 0.5)
    assert_same(as_dict(build_bars(trades)), reference_bars(trades))


def test_bars_of_a_synthetic_market(market):
    trades = market[0].take(slice(0, 5000))
    bars = build_bars(trades)
    assert_same(as_dict(bars), reference_bars(trades))
    assert np.all(np.diff(bars.pair) >= 0)  # sorted by pair, then minute
    assert np.all(bars.sell_volume + bars.buy_volume - bars.volume < 1e-9 * bars.volume)


def test_no_trades_no_bars():
    empty = TradeTable.from_columns([], [], [], [], [])
    assert len(build_bars(empty)) == 0
