"""The seed rule: exactly the original streaming SQL, checked against a plain-Python reading of it."""

import math

import numpy as np
import pytest

from tracing.errors import BadParameters
from tracing.market import SeedDetector, build_bars
from tracing.market.bars import Bars


def reference_alerts(bars: Bars, *, cooldown=15, width=30, min_return=0.02, min_z=3.0, lo=0.35, hi=0.65) -> set:
    """LAG(close, 1|5), AVG/STDDEV_POP over ROWS 30 PRECEDING..1 PRECEDING, then the 15-minute cooldown."""
    found = set()
    for p in np.unique(bars.pair):
        rows = np.flatnonzero(bars.pair == p)
        rows = rows[np.argsort(bars.minute[rows])]
        last_alert = None
        for k, i in enumerate(rows):
            prev = [bars.volume[j] for j in rows[max(0, k - width) : k]]
            std = float(np.std(prev)) if prev else 0.0  # population deviation
            z = (bars.volume[i] - float(np.mean(prev))) / std if std > 0 else None
            ret = bars.close[i] / bars.close[rows[k - 1]] - 1 if k else None
            ratio = bars.buy_volume[i] / (bars.buy_volume[i] + bars.sell_volume[i])
            if z is None or ret is None or z < min_z:
                continue
            kind = (
                "pump" if ret >= min_return and ratio >= hi else "dump" if ret <= -min_return and ratio <= lo else None
            )
            if kind and (last_alert is None or bars.minute[i] - last_alert >= cooldown):
                found.add((bars.pairs[p], int(bars.minute[i]), kind))
                last_alert = bars.minute[i]
    return found


def alerts_of(detector, bars) -> set:
    return {(a.symbol, a.minute, a.kind) for a in detector.detect(bars)}


def test_seed_is_the_sql_rule_on_a_synthetic_market(market_bars):
    found = alerts_of(SeedDetector(), market_bars)
    assert found == reference_alerts(market_bars)
    assert len(found) >= 1


def test_seed_is_the_sql_rule_on_the_real_pumps(pump_trades):
    bars = build_bars(pump_trades)
    bars = bars.take(np.isin(bars.pair, [bars.pairs.index(p) for p in ("BRD/BTC", "OAX/BTC", "APPC/BTC")]))
    found = alerts_of(SeedDetector(), bars)
    assert found == reference_alerts(bars)
    assert ("BRD/BTC", 26903100, "pump") in found  # 2021-02-24 17:00 UTC, the announced minute


def flat_then(closes, volumes, buys=None) -> Bars:
    """One pair: 30 quiet bars (volume 10 or 12, price 1.0), then the given bars."""
    n = 30 + len(closes)
    close = np.r_[np.ones(30), closes]
    volume = np.r_[np.tile([10.0, 12.0], 15), volumes]
    buy = np.r_[volume[:30] / 2, buys if buys is not None else np.asarray(volumes) * 0.8]
    minute = np.arange(n, dtype=np.int64) + 1_000_000
    return Bars(("X/BTC",), np.zeros(n, np.int32), minute, close, close, close, close, volume, buy, volume - buy,
                close * volume, np.ones(n, np.int64), np.ones(n, np.int64), np.ones(n, np.int64))  # fmt: skip


def test_a_pump_fires_and_the_cooldown_silences_the_pair_for_15_minutes():
    closes = [1.05] + [1.05 * 1.03**k for k in range(1, 16)]
    volumes = [100.0] * 16  # each a surge against the quiet baseline while it lasts
    bars = flat_then(closes, volumes)
    d = SeedDetector(cooldown_minutes=15, baseline_bars=30)
    kinds = d.run_batch(bars).kind
    first = 30
    assert kinds[first] == 1
    assert not kinds[first + 1 : first + 15].any()  # 10:01..10:14 silenced
    signals = d.run_batch(bars).signals
    assert signals["ret_1m"][first] == pytest.approx(0.05)
    assert signals["z_vol"][first] == pytest.approx((100 - 11) / 1.0)  # mean 11, population std 1
    assert signals["buy_ratio"][first] == pytest.approx(0.8)


def test_dump_needs_sellers_and_z_is_none_when_the_baseline_is_flat():
    bars = flat_then([0.95], [100.0], buys=[10.0])
    assert SeedDetector().run_batch(bars).kind[30] == -1
    flat = flat_then([1.1], [100.0])
    flat.volume[:30] = 10.0
    det = SeedDetector().run_batch(flat)
    assert math.isnan(det.signals["z_vol"][30]) and det.kind[30] == 0
    assert math.isnan(det.signals["ret_1m"][0]) and math.isnan(det.signals["ret_5m"][4])


def test_median_baseline_and_inactive_pairs():
    bars = flat_then([1.05], [100.0])
    z = SeedDetector(baseline="median").run_batch(bars).signals["z_vol"][30]
    assert z == pytest.approx((100 - 11) / (1.4826 * 1.0))
    gap = flat_then([1.05], [100.0])
    gap.minute[30:] += 2000  # a day and more without a bar before the surge
    assert SeedDetector().run_batch(gap).kind[30] == 1
    assert SeedDetector(inactive_minutes=1440).run_batch(gap).kind[30] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_return": -1}, "min_return"),
        ({"baseline": "mode"}, "baseline"),
        ({"cooldown_minutes": 1.5}, "cooldown_minutes"),
        ({"nope": 1}, "nope"),
    ],
)
def test_bad_parameters_name_the_field(params, field):
    with pytest.raises(BadParameters) as err:
        SeedDetector(**params).fit()
    assert err.value.field == field
