"""What every market detector shares: parameters declared once, per-pair state, alerts.

A detector reads bars of each pair in minute order and carries a bounded state
per pair (a :class:`PairState`) from one bar to the next. The batch path runs it
on all bars with a fresh state; the streaming path runs the *same* code on each
minute's closed bars with a state that lives on, so both give the same alerts.
Detectors follow scikit-learn: ``__init__`` stores parameters, ``fit``
validates them (and learns what the detector learns), ``score_samples`` is
larger for more pump-like bars, ``predict`` gives -1 for alerts and +1 otherwise.
"""

import io
import math
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

import numpy as np

from tracing.errors import BadParameters
from tracing.market.bars import Bars
from tracing.params import ParameterSet, finite_number

__all__ = ["Alert", "Detection", "DetectorParameters", "MarketDetector", "PairState", "minute_iso", "param"]

NO_MINUTE = np.iinfo(np.int64).min // 2  # "never": far enough below any minute that differences do not overflow
KINDS = {1: "pump", -1: "dump"}


def param(default, label: str, help: str, *, low=None, high=None, choices=None):
    """A detector parameter: its default, label, help text and bounds, declared once."""
    return field(default=default, metadata={"label": label, "help": help, "low": low, "high": high, "choices": choices})


class DetectorParameters(ParameterSet):
    """Validates every field from its metadata (numbers within bounds, choices)."""

    kind = "detector parameter"

    def __post_init__(self):
        for f in fields(self):
            value, meta = getattr(self, f.name), f.metadata
            if meta.get("choices"):
                text = str(value).strip().lower()
                if text not in meta["choices"]:
                    raise BadParameters(f.name, f"must be one of {', '.join(meta['choices'])}, got {value!r}")
                object.__setattr__(self, f.name, text)
                continue
            number = finite_number(f.name, value)
            if f.type in (int, "int"):
                if number != int(number):
                    raise BadParameters(f.name, f"must be a whole number, got {value!r}")
                number = int(number)
            low, high = meta.get("low"), meta.get("high")
            if (low is not None and number < low) or (high is not None and number > high):
                raise BadParameters(f.name, f"must be between {low} and {high}, got {value!r}")
            object.__setattr__(self, f.name, number)

    @classmethod
    def describe(cls) -> list[dict]:
        """Every field's name, default, label, help and bounds (forms, CLI help)."""
        return [{"name": f.name, "default": f.default, **f.metadata} for f in fields(cls)]


def minute_iso(minute: int) -> str:
    """Epoch minute as ISO 8601 UTC text, e.g. ``2021-02-24T17:00:00Z``."""
    return datetime.fromtimestamp(int(minute) * 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Alert:
    """One alert: a pair, the minute of the bar that fired, pump or dump, and the signals."""

    symbol: str
    minute: int  # minutes since the Unix epoch, UTC
    kind: str
    detector: str
    signals: dict

    def to_dict(self) -> dict:
        """The JSON shape of ``market backtest --json``, sinks and the page."""
        return {
            "symbol": self.symbol,
            "minute": minute_iso(self.minute),
            "kind": self.kind,
            "detector": self.detector,
            "signals": self.signals,
        }


@dataclass(frozen=True)
class Detection:
    """A detector's output aligned with the bars it read: signals, score, and 1/-1/0 (pump/dump/none)."""

    signals: dict[str, np.ndarray]
    score: np.ndarray
    kind: np.ndarray  # int8

    def alerts(self, bars: Bars, detector: str) -> list[Alert]:
        """The bars that fired, as alerts in minute order."""
        hits = np.flatnonzero(self.kind)
        hits = hits[np.lexsort((bars.pair[hits], bars.minute[hits]))]
        return [
            Alert(
                bars.pairs[bars.pair[i]],
                int(bars.minute[i]),
                KINDS[int(self.kind[i])],
                detector,
                {k: _plain(v[i]) for k, v in self.signals.items()},
            )
            for i in hits
        ]


def _plain(x) -> float | None:
    value = float(x)
    return None if math.isnan(value) else round(value, 6)


class PairState:
    """Bounded per-pair arrays (``layout``: name -> (trailing shape, dtype, fill)), grown as pairs appear."""

    def __init__(self, layout: dict[str, tuple[tuple, type, float]], capacity: int = 0):
        self.layout = layout
        self.arrays = {k: np.full((capacity, *shape), fill, dtype) for k, (shape, dtype, fill) in layout.items()}

    @property
    def capacity(self) -> int:
        return len(next(iter(self.arrays.values())))

    def ensure(self, n_pairs: int) -> None:
        """Room for pair codes below ``n_pairs`` (doubling, so growth is amortised)."""
        if n_pairs <= self.capacity:
            return
        old = self.capacity
        size = max(n_pairs, 2 * old, 16)
        for k, (shape, dtype, fill) in self.layout.items():
            grown = np.full((size, *shape), fill, dtype)
            grown[:old] = self.arrays[k]
            self.arrays[k] = grown

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def to_bytes(self) -> bytes:
        """The state as one ``.npz`` blob (checkpoints)."""
        buf = io.BytesIO()
        np.savez(buf, **self.arrays)
        return buf.getvalue()

    def load_bytes(self, blob: bytes) -> None:
        """Restore what :meth:`to_bytes` wrote."""
        with np.load(io.BytesIO(blob)) as data:
            self.arrays = {k: data[k] for k in self.layout}


class MarketDetector:
    """Base of the detectors: parameters in, per-pair state, scikit-learn-style methods.

    Subclasses set ``name``, ``Params`` (a :class:`DetectorParameters` dataclass) and
    implement ``layout`` and ``run``.
    """

    name = "detector"
    Params: type[DetectorParameters] = DetectorParameters

    def __init__(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        self._given = dict(params)

    def get_params(self) -> dict:
        """The parameters as given (defaults filled in once fitted)."""
        return self.params_.to_dict() if hasattr(self, "params_") else dict(self._given)

    def fit(self, bars: Bars | None = None) -> "MarketDetector":
        """Validate the parameters (:class:`BadParameters` names a wrong one); learn nothing by default."""
        self.params_ = self.Params.from_mapping(self._given)
        return self

    def _checked(self) -> DetectorParameters:
        if not hasattr(self, "params_"):
            self.fit()
        return self.params_

    def layout(self) -> dict:
        """The per-pair state: name -> (trailing shape, dtype, fill)."""
        raise NotImplementedError

    def new_state(self, n_pairs: int = 0) -> PairState:
        """A fresh state with room for ``n_pairs`` pairs."""
        self._checked()
        return PairState(self.layout(), n_pairs)

    def run(self, bars: Bars, state: PairState) -> Detection:
        """Signals and alerts of ``bars`` (each pair's bars in minute order), updating ``state``."""
        raise NotImplementedError

    def run_batch(self, bars: Bars) -> Detection:
        """:meth:`run` on bars in any order with a fresh state; the result is aligned with ``bars``."""
        if bars.is_in_pair_order():
            return self.run(bars, self.new_state(len(bars.pairs)))
        order = np.lexsort((bars.minute, bars.pair))
        found = self.run(bars.take(order), self.new_state(len(bars.pairs)))
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        return Detection({k: v[back] for k, v in found.signals.items()}, found.score[back], found.kind[back])

    def score_samples(self, bars: Bars) -> np.ndarray:
        """Pump-likeness of each bar (larger is more suspicious; NaN where undefined)."""
        return self.run_batch(bars).score

    def predict(self, bars: Bars) -> np.ndarray:
        """-1 for bars that raise an alert (after the cooldown), +1 for the others."""
        return np.where(self.run_batch(bars).kind != 0, -1, 1)

    def detect(self, bars: Bars) -> list[Alert]:
        """The alerts of a batch of bars (in any order), by minute."""
        return self.run_batch(bars).alerts(bars, self.name)
