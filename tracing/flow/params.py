"""Trace parameters: one validated value object from the URL, the CLI or the API to the engine.

>>> TraceParameters().model, TraceParameters().hops
('haircut', 6)
>>> TraceParameters.from_mapping({"hops": "3", "model": "FIFO", "since": "2025-07-29T10:00"}).since
1753783200
>>> TraceParameters(hops=0)
Traceback (most recent call last):
...
tracing.errors.BadParameters: hops: must be a whole number from 1 to 20, got 0
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from tracing.errors import BadParameters
from tracing.model.transfer import MAX_TIMESTAMP
from tracing.params import ParameterSet, finite_number

__all__ = ["DIRECTIONS", "MAX_HOPS", "MODELS", "TraceParameters", "parse_time"]

MODELS = ("poison", "haircut", "fifo")
DIRECTIONS = ("forward", "backward")
MAX_HOPS = 20


@dataclass(frozen=True)
class TraceParameters(ParameterSet):
    """What to trace and how far.

    Parameters
    ----------
    direction : {'forward', 'backward'}
        Forward: where did the money go. Backward: where did it come from.
    hops : int
        How many transfers away from the source the trace follows (1 to 20).
    model : {'poison', 'haircut', 'fifo'}
        Taint model (see :mod:`tracing.flow.taint`).
    min_amount : float
        Transfers carrying less traced value than this (token units) are not followed.
    since, until : int, optional
        Unix seconds; only transfers in ``[since, until]`` move traced funds. ISO 8601
        text is accepted (UTC unless it carries an offset).
    asset : str, optional
        Token symbol to trace; default: the seed transaction's asset, else the asset the
        source sends most often.
    tx : str, optional
        Hash of the seed transaction (the theft): the trace starts with its amount.
    amount : float, optional
        Seed amount in token units held by the source (with no ``tx``): at ``since``
        forward, at ``until`` backward (what was it made of).
    """

    kind = "trace parameter"

    direction: str = "forward"
    hops: int = 6
    model: str = "haircut"
    min_amount: float = 0.0
    since: int | None = None
    until: int | None = None
    asset: str | None = None
    tx: str | None = None
    amount: float | None = None

    def __post_init__(self):
        for name, options in (("direction", DIRECTIONS), ("model", MODELS)):
            value = str(getattr(self, name)).strip().lower()
            if value not in options:
                raise BadParameters(name, f"must be one of {', '.join(options)}, got {getattr(self, name)!r}")
            object.__setattr__(self, name, value)
        hops = finite_number("hops", self.hops)
        if hops != int(hops) or not 1 <= hops <= MAX_HOPS:
            raise BadParameters("hops", f"must be a whole number from 1 to {MAX_HOPS}, got {self.hops}")
        object.__setattr__(self, "hops", int(hops))
        min_amount = finite_number("min_amount", self.min_amount)
        if min_amount < 0:
            raise BadParameters("min_amount", f"must be 0 or more, got {self.min_amount}")
        object.__setattr__(self, "min_amount", min_amount)
        for name in ("since", "until"):
            value = getattr(self, name)
            object.__setattr__(self, name, None if value is None else parse_time(value, name))
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadParameters("until", f"must not be before since ({self.until} < {self.since})")
        if self.amount is not None:
            amount = finite_number("amount", self.amount)
            if amount <= 0:
                raise BadParameters("amount", f"must be above 0, got {self.amount}")
            object.__setattr__(self, "amount", amount)
        for name in ("asset", "tx"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _text(name, value))
        if self.asset is not None:
            object.__setattr__(self, "asset", self.asset.upper())
        if self.tx is not None and self.amount is not None:
            raise BadParameters("amount", "give either a seed transaction (tx) or a seed amount, not both")


def parse_time(value, name: str = "time") -> int:
    """Unix seconds from an int, a numeric string or ISO 8601 text (UTC unless an offset is given).

    Times before 1970 or after :data:`tracing.model.transfer.MAX_TIMESTAMP` are refused.

    >>> parse_time("2025-07-29"), parse_time(1753783200)
    (1753747200, 1753783200)
    """
    seconds = _seconds(value, name)
    if not 0 <= seconds <= MAX_TIMESTAMP:
        raise BadParameters(name, f"must be a time between 1970 and {MAX_TIMESTAMP} (unix seconds), got {seconds}")
    return seconds


def _seconds(value, name: str) -> int:
    shown = str(value)[:40]
    if isinstance(value, bool) or len(str(value)) > 40:
        raise BadParameters(name, f"must be a time, got {shown!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value != int(value):
            raise BadParameters(name, f"must be whole unix seconds, got {value!r}")
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadParameters(name, f"must be unix seconds or an ISO 8601 date, got {shown!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _text(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadParameters(name, f"must be non-empty text, got {value!r}")
    return value.strip()
