"""A better pump detector: robust adaptive baselines of volume, trade count and buy rush.

Per pair, three quantities of each bar are compared with that pair's own
baseline: log quote volume, log trade count, and log *rush* (the most taker buys
within 5 seconds). Each baseline is an exponentially weighted centre and spread
(half-life ``half_life_bars``) whose updates are clipped at 3 spreads, so a pump
barely moves it (a robust, bounded-state stand-in for a rolling median and MAD).
The score is the *smallest* of the three z-scores: volume, count and buy rush
must all surge at once, which a thin first minute, a single large order or an
illiquid pair's noise does not do. A pump also needs its price to jump
(``high / previous close - 1 >= min_jump``); a dump the mirror image with sellers
dominating. The cooldown is the rule's, except that a score ``escalation`` times
the last alert's fires again (the pump after a pre-pump).
"""

from dataclasses import dataclass

import numpy as np
from numba import njit

from tracing.market.bars import Bars
from tracing.market.detector import NO_MINUTE, Detection, DetectorParameters, MarketDetector, PairState, param

__all__ = ["RobustDetector", "RobustParameters"]

CLIP = 3.0  # baseline updates are clipped at this many spreads
MAD_TO_STD = 1.2533  # mean absolute deviation of a normal sample x this = its standard deviation


@dataclass(frozen=True)
class RobustParameters(DetectorParameters):
    """Thresholds and memory of the robust detector."""

    min_score: float = param(
        5.0, "minimum score", "smaller of the trade-count and buy-rush z-scores", low=0.0, high=1e6
    )
    min_z_volume: float = param(2.0, "minimum volume z-score", "z-score of log quote volume", low=-1e6, high=1e6)
    min_jump: float = param(0.05, "minimum price jump", "high / previous close - 1 (pumps)", low=0.0, high=100.0)
    min_trades: int = param(20, "minimum trades", "bars with fewer trades never alert", low=1, high=10**9)
    half_life_bars: float = param(
        60.0, "baseline half-life (bars)", "memory of the per-pair baselines", low=1.0, high=1e5
    )
    min_history: int = param(30, "warm-up bars", "a pair alerts only after this many bars", low=1, high=10**6)
    spread_floor: float = param(0.25, "spread floor (log units)", "smallest baseline spread", low=0.01, high=10.0)
    cooldown_minutes: int = param(15, "cooldown (minutes)", "no second alert of a pair within", low=0, high=10080)
    escalation: float = param(
        2.0,
        "escalation factor",
        "within the cooldown, fire at this multiple of the last score; 0: never",
        low=0.0,
        high=1e6,
    )
    contamination: float = param(
        0.0, "contamination", "if > 0, fit sets the threshold at this share of bars", low=0.0, high=0.5
    )


class RobustDetector(MarketDetector):
    """Robust per-pair baselines of volume, count and buy rush (see the module docstring).

    ``fit`` learns ``offset_``, the score threshold: ``min_score``, or with
    ``contamination > 0`` the score exceeded by that share of the bars it is given.

    Examples
    --------
    >>> RobustDetector(min_score=5).fit().offset_
    5.0
    """

    name = "robust"
    Params = RobustParameters

    def fit(self, bars: Bars | None = None) -> "RobustDetector":
        super().fit(bars)
        self.offset_ = self.params_.min_score
        if self.params_.contamination > 0 and bars is not None and len(bars):
            scores = self.score_samples(bars)
            scores = scores[np.isfinite(scores)]
            if len(scores):
                self.offset_ = float(np.quantile(scores, 1 - self.params_.contamination))
        return self

    def decision_function(self, bars: Bars) -> np.ndarray:
        """Score minus the threshold: positive for bars above it."""
        return self.score_samples(bars) - self._checked_offset()

    def _checked_offset(self) -> float:
        self._checked()
        return getattr(self, "offset_", self.params_.min_score)

    def layout(self) -> dict:
        return {
            "centre": ((3,), np.float64, np.nan),
            "spread": ((3,), np.float64, np.nan),
            "close": ((), np.float64, np.nan),
            "seen": ((), np.int64, 0),
            "last_alert": ((), np.int64, NO_MINUTE),
            "last_score": ((), np.float64, 0.0),
        }

    def run(self, bars: Bars, state: PairState) -> Detection:
        p = self._checked()
        state.ensure(len(bars.pairs))
        n = len(bars)
        z = np.empty((n, 3))
        jump, drop, buy_ratio, score = (np.empty(n) for _ in range(4))
        kind = np.zeros(n, dtype=np.int8)
        x = np.column_stack([np.log(np.maximum(bars.quote_volume, 1e-300)), np.log1p(bars.count), np.log1p(bars.rush)])
        alpha = 1.0 - 0.5 ** (1.0 / p.half_life_bars)
        _robust_kernel(
            bars.pair, bars.minute, x, bars.high, bars.low, bars.close, bars.count, bars.buy_volume, bars.volume,
            state["centre"], state["spread"], state["close"], state["seen"], state["last_alert"], state["last_score"],
            alpha, p.spread_floor, p.min_history, self._checked_offset(), p.min_z_volume, p.min_jump, p.min_trades,
            p.cooldown_minutes, p.escalation,
            z, jump, drop, buy_ratio, score, kind,
        )  # fmt: skip
        signals = {
            "score": score,
            "z_quote_volume": z[:, 0],
            "z_trades": z[:, 1],
            "z_rush": z[:, 2],
            "rush": bars.rush.astype(np.float64),
            "jump": jump,
            "drop": drop,
            "buy_ratio": buy_ratio,
        }
        return Detection(signals, score, kind)


@njit(cache=True)
def _robust_kernel(
    pair, minute, x, high, low, close, count, buy_vol, volume,
    centre, spread, last_close, seen, last_alert, last_score,
    alpha, floor, min_history, threshold, min_z_volume, min_jump, min_trades, cooldown, escalation,
    z, jump, drop, buy_ratio, score, kind,
):  # fmt: skip
    for i in range(len(pair)):
        p = pair[i]
        k = seen[p]
        for f in range(3):
            z[i, f] = (x[i, f] - centre[p, f]) / max(spread[p, f], floor) if k >= 1 else np.nan
        score[i] = min(z[i, 1], z[i, 2]) if k >= min_history else np.nan
        jump[i] = high[i] / last_close[p] - 1.0 if k >= 1 else np.nan
        drop[i] = low[i] / last_close[p] - 1.0 if k >= 1 else np.nan
        buy_ratio[i] = buy_vol[i] / volume[i]
        sell_score = z[i, 1]
        if count[i] >= min_trades and k >= min_history:
            signal = 0
            if score[i] >= threshold and z[i, 0] >= min_z_volume and jump[i] >= min_jump:
                signal = 1
            elif sell_score >= threshold and z[i, 0] >= min_z_volume and drop[i] <= -min_jump and buy_ratio[i] <= 0.5:
                signal = -1
            strength = score[i] if signal == 1 else sell_score
            if signal != 0:
                quiet = minute[i] - last_alert[p] >= cooldown
                if quiet or (escalation > 0 and strength >= escalation * last_score[p]):
                    kind[i] = signal
                    last_alert[p] = minute[i]
                    last_score[p] = strength
        for f in range(3):  # the baseline learns from this bar, clipped so a pump barely moves it
            if k == 0:
                centre[p, f] = x[i, f]
                spread[p, f] = floor
            else:
                s = max(spread[p, f], floor)
                r = min(max(x[i, f] - centre[p, f], -CLIP * s), CLIP * s)
                centre[p, f] += alpha * r
                spread[p, f] += alpha * (MAD_TO_STD * abs(r) - spread[p, f])
        last_close[p] = close[i]
        seen[p] = k + 1
