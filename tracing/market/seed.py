"""The original rule, exactly: one-minute returns, volume z-score, buy ratio, cooldown.

Per pair and bar: ``ret_1m = close / close 1 bar earlier - 1``, ``ret_5m`` likewise 5
bars back; the volume baseline is the mean and population standard deviation of
the previous ``baseline_bars`` bars (excluding the current one; fewer at the start
of a pair, as SQL's ``ROWS BETWEEN 30 PRECEDING AND 1 PRECEDING``); ``z_vol`` is
none when the deviation is 0 or there is no previous bar; ``buy_ratio =
buy_vol / (buy_vol + sell_vol)``. Pump: ``ret_1m >= min_return``, ``z_vol >=
min_z_volume``, ``buy_ratio >= min_buy_ratio``; dump: ``ret_1m <= -min_return``,
``z_vol >= min_z_volume``, ``buy_ratio <= max_buy_ratio``. An alert fires only
when its pair had none in the previous ``cooldown_minutes`` (an alert at 10:00
silences the pair until 10:14 inclusive).

Two options the rule's author suggested, off by default: ``baseline="median"``
(median and MAD x 1.4826 instead of mean and deviation) and ``inactive_minutes``
(no alert on a bar whose pair had no bar in that many minutes before it).
"""

from dataclasses import dataclass

import numpy as np
from numba import njit

from tracing.market.bars import Bars
from tracing.market.detector import NO_MINUTE, Detection, DetectorParameters, MarketDetector, PairState, param

__all__ = ["SeedDetector", "SeedParameters"]

MAD_SCALE = 1.4826  # MAD of a normal sample x this = its standard deviation


@dataclass(frozen=True)
class SeedParameters(DetectorParameters):
    """Thresholds of the original rule (its defaults)."""

    min_return: float = param(0.02, "minimum 1-minute return", "|ret_1m| at least this", low=0.0, high=10.0)
    min_z_volume: float = param(3.0, "minimum volume z-score", "z_vol at least this", low=0.0, high=1e6)
    min_buy_ratio: float = param(0.65, "pump: minimum buy ratio", "taker-buy share of volume", low=0.0, high=1.0)
    max_buy_ratio: float = param(0.35, "dump: maximum buy ratio", "taker-buy share of volume", low=0.0, high=1.0)
    baseline_bars: int = param(30, "baseline bars", "previous bars in the volume baseline", low=2, high=1440)
    cooldown_minutes: int = param(15, "cooldown (minutes)", "no second alert of a pair within", low=0, high=10080)
    baseline: str = param("mean", "baseline", "mean/std (original) or median/MAD", choices=("mean", "median"))
    inactive_minutes: int = param(
        0, "inactive pairs (minutes)", "skip bars after this long without one; 0: off", low=0, high=100000
    )


class SeedDetector(MarketDetector):
    """The original streaming-SQL rule (see the module docstring); ``score_samples`` is ``z_vol``.

    Examples
    --------
    >>> d = SeedDetector(min_return=0.05).fit()
    >>> d.params_.min_z_volume
    3.0
    """

    name = "seed"
    Params = SeedParameters

    def layout(self) -> dict:
        p = self._checked()
        return {
            "volumes": ((p.baseline_bars,), np.float64, np.nan),  # newest first
            "closes": ((5,), np.float64, np.nan),
            "seen": ((), np.int64, 0),
            "last_minute": ((), np.int64, NO_MINUTE),
            "last_alert": ((), np.int64, NO_MINUTE),
        }

    def run(self, bars: Bars, state: PairState) -> Detection:
        p = self._checked()
        state.ensure(len(bars.pairs))
        n = len(bars)
        ret_1m, ret_5m, z_vol, buy_ratio = (np.empty(n) for _ in range(4))
        kind = np.zeros(n, dtype=np.int8)
        _seed_kernel(
            bars.pair, bars.minute, bars.close, bars.volume, bars.buy_volume, bars.sell_volume,
            state["volumes"], state["closes"], state["seen"], state["last_minute"], state["last_alert"],
            p.min_return, p.min_z_volume, p.min_buy_ratio, p.max_buy_ratio, p.cooldown_minutes,
            p.baseline == "median", p.inactive_minutes,
            ret_1m, ret_5m, z_vol, buy_ratio, kind,
        )  # fmt: skip
        signals = {"ret_1m": ret_1m, "ret_5m": ret_5m, "z_vol": z_vol, "buy_ratio": buy_ratio}
        return Detection(signals, z_vol, kind)


@njit(cache=True)
def _baseline(history: np.ndarray, m: int, robust: bool) -> tuple[float, float]:
    """Centre and spread of the newest ``m`` values (mean/std, or median/MAD x 1.4826)."""
    if robust:
        centre = np.median(history[:m])
        return centre, MAD_SCALE * np.median(np.abs(history[:m] - centre))
    total = 0.0
    for j in range(m - 1, -1, -1):  # oldest first
        total += history[j]
    mean = total / m
    sq = 0.0
    for j in range(m - 1, -1, -1):
        sq += (history[j] - mean) ** 2
    return mean, np.sqrt(sq / m)


@njit(cache=True)
def cooled(p: int, minute: int, last_alert: np.ndarray, cooldown: int) -> bool:
    """True (and the pair's last alert moved to ``minute``) when no alert of the pair lies within the cooldown."""
    if minute - last_alert[p] < cooldown:
        return False
    last_alert[p] = minute
    return True


@njit(cache=True)
def push(history: np.ndarray, value: float) -> None:
    """Shift a newest-first history by one and put ``value`` in front."""
    for j in range(len(history) - 1, 0, -1):
        history[j] = history[j - 1]
    history[0] = value


@njit(cache=True)
def _seed_kernel(
    pair, minute, close, volume, buy_vol, sell_vol,
    volumes, closes, seen, last_minute, last_alert,
    min_return, min_z, min_buy, max_buy, cooldown, robust, inactive,
    ret_1m, ret_5m, z_vol, buy_ratio, kind,
):  # fmt: skip
    width = volumes.shape[1]
    for i in range(len(pair)):
        p = pair[i]
        k = seen[p]
        ret_1m[i] = close[i] / closes[p, 0] - 1.0 if k >= 1 else np.nan
        ret_5m[i] = close[i] / closes[p, 4] - 1.0 if k >= 5 else np.nan
        z_vol[i] = np.nan
        m = min(k, width)
        if m >= 1:
            centre, spread = _baseline(volumes[p], m, robust)
            if spread > 0:
                z_vol[i] = (volume[i] - centre) / spread
        total = buy_vol[i] + sell_vol[i]
        buy_ratio[i] = buy_vol[i] / total if total > 0 else np.nan
        active = inactive == 0 or (k >= 1 and minute[i] - last_minute[p] <= inactive)
        signal = 0
        if active and z_vol[i] >= min_z:  # NaN compares False: no signal, no alert
            if ret_1m[i] >= min_return and buy_ratio[i] >= min_buy:
                signal = 1
            elif ret_1m[i] <= -min_return and buy_ratio[i] <= max_buy:
                signal = -1
        if signal != 0 and cooled(p, minute[i], last_alert, cooldown):
            kind[i] = signal
        push(volumes[p], volume[i])
        push(closes[p], close[i])
        seen[p] = k + 1
        last_minute[p] = minute[i]
