"""The streaming detector gives the batch path's bars and alerts, in event time, with bounded state."""

import numpy as np
import pytest

from tracing.errors import BadParameters
from tracing.market import TradeTable, build_bars, make_detector
from tracing.market.stream import StreamingDetector


def detectors():
    return [make_detector("seed"), make_detector("robust")]


def batch_alerts(trades: TradeTable) -> list[dict]:
    bars = build_bars(trades)
    return sorted((a.to_dict() for d in detectors() for a in d.detect(bars)), key=_key)


def stream_alerts(trades: TradeTable, chunk: int, stream: StreamingDetector | None = None):
    stream = stream or StreamingDetector(detectors())
    alerts, bars = [], 0
    for start in range(0, len(trades), chunk):
        step = stream.push(trades.take(slice(start, start + chunk)))
        alerts += step.alerts
        bars += len(step.bars)
    last = stream.flush()
    return sorted((a.to_dict() for a in alerts + last.alerts), key=_key), bars + len(last.bars), stream


def _key(a):
    return a["detector"], a["minute"], a["symbol"]


def late_by_up_to(trades: TradeTable, lateness_ms: int, seed: int) -> TradeTable:
    """The trades in the order they arrive when each is delayed by 0..lateness_ms."""
    arrival = trades.ts + np.random.default_rng(seed).integers(0, lateness_ms + 1, len(trades))
    return trades.take(np.argsort(arrival, kind="stable"))


@pytest.mark.parametrize("chunk", [1, 997, 100_000])
def test_stream_equals_batch_when_trades_arrive_up_to_5_s_late(market, chunk):
    trades = late_by_up_to(market[0], 5000, seed=chunk)
    if chunk == 1:
        trades = trades.take(slice(0, 8000))
    got, n_bars, stream = stream_alerts(trades, chunk)
    assert got == batch_alerts(trades)
    assert n_bars == len(build_bars(trades)) and stream.late == 0
    assert stream.trades_seen == len(trades)
    assert chunk == 1 or {a["detector"] for a in got} == {"seed", "robust"}


def test_stream_equals_batch_on_the_real_pumps(pump_trades):
    got, _, stream = stream_alerts(pump_trades, 5000)
    assert got == batch_alerts(pump_trades) and stream.late == 0
    assert len(got) > 100


def test_trades_later_than_the_watermark_are_counted_not_used():
    ts = [60_000, 125_000, 59_000, 119_000, 121_000]  # at 125 s the watermark (120 s) closes minutes 0 and 1
    trades = TradeTable.from_columns(["X/BTC"] * 5, ts, [True] * 5, [1.0, 2.0, 3.0, 4.0, 5.0], [1.0] * 5)
    stream = StreamingDetector(detectors())
    closed = stream.push(trades)
    assert stream.late == 2  # 59 s and 119 s arrived after their minutes closed
    assert closed.bars.minute.tolist() == [1] and closed.bars.count.tolist() == [1]
    rest = stream.flush().bars
    assert rest.minute.tolist() == [2] and rest.count.tolist() == [2]
    assert rest.open.tolist() == [5.0] and rest.close.tolist() == [2.0]  # by event time, not arrival


def test_state_is_bounded_per_pair_and_checkpoints_round_trip(market):
    trades = market[0]
    half = len(trades) // 2
    first = StreamingDetector(detectors())
    alerts = []
    for start in range(0, half, 5000):
        alerts += first.push(trades.take(slice(start, min(start + 5000, half)))).alerts
    size = first.to_bytes()
    assert first.slot_i.shape[1] == 2  # two open minutes per pair at most, whatever the volume
    second = StreamingDetector(detectors())
    second.load_bytes(size)
    for start in range(half, len(trades), 5000):
        alerts += second.push(trades.take(slice(start, min(start + 5000, len(trades))))).alerts
    alerts += second.flush().alerts
    assert sorted((a.to_dict() for a in alerts), key=_key) == batch_alerts(trades)
    assert len(size) < 200 * 1024  # 40 pairs


def test_lateness_is_validated():
    with pytest.raises(BadParameters, match="lateness_ms"):
        StreamingDetector(detectors(), lateness_ms=-1)
