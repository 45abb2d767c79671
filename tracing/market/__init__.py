"""Market surveillance: trades -> one-minute bars -> signals -> pump-and-dump alerts.

Batch (:func:`build_bars` then a detector's ``detect``) and streaming
(:class:`~tracing.market.stream.StreamingDetector`) run the same detector code,
so they raise the same alerts on the same trades. Detectors are registered in
:data:`DETECTORS` by name.
"""

from tracing.errors import BadParameters
from tracing.market.bars import Bars, build_bars
from tracing.market.detector import Alert, MarketDetector
from tracing.market.robust import RobustDetector
from tracing.market.seed import SeedDetector
from tracing.market.trades import TradeTable, read_trades

__all__ = [
    "DETECTORS",
    "Alert",
    "Bars",
    "MarketDetector",
    "RobustDetector",
    "SeedDetector",
    "TradeTable",
    "build_bars",
    "make_detector",
    "read_trades",
]

DETECTORS: dict[str, type[MarketDetector]] = {"seed": SeedDetector, "robust": RobustDetector}


def make_detector(name: str, params: dict | None = None) -> MarketDetector:
    """A fitted (validated) detector by registry name; :class:`BadParameters` for an unknown one."""
    if name not in DETECTORS:
        raise BadParameters("detector", f"unknown detector {name!r}; known ones are {', '.join(DETECTORS)}")
    return DETECTORS[name](**(params or {})).fit()
