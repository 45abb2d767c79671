"""Investigation parameters: one validated value object from URL or API body to report.

The field names are the original anomaly finder's, so its request bodies work unchanged.

>>> Parameters().maximum_threshold
3.0
>>> Parameters.from_mapping({"time_difference": "600"}).time_difference
600
>>> Parameters.from_mapping({"value_coefficient": -1})
Traceback (most recent call last):
...
tracing.errors.BadParameters: value_coefficient: must be a finite number >= 0, got -1
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from tracing.errors import BadParameters

__all__ = ["COEFFICIENTS", "FIELDS", "RELATION_MODES", "VALUE_METHODS", "Parameters"]

MAX_SECONDS = 10**10  # about 317 years: any span between two timestamps, far below 2^63
MAX_MAGNITUDE = 1e9  # thresholds and coefficients: a weighted sum of scores can never overflow
MAX_TEXT = 100  # characters of a number or a name given as text: parsed only when shorter
COEFFICIENTS = ("value_coefficient", "transfers_coefficient", "hiding_coefficient", "relation_coefficient")
VALUE_METHODS = ("zscore", "robust")
RELATION_MODES = ("listed", "exposure")


class ParameterSet:
    """What every validated parameter object shares: built from text, copied, compared with its defaults.

    Subclasses are frozen dataclasses whose ``__post_init__`` validates and raises
    :class:`BadParameters` naming the field.
    """

    kind = "parameter"  # what an unknown key is called in the error message

    @classmethod
    def from_mapping(cls, data: Mapping, *, ignore: tuple[str, ...] = ()):
        """Parameters from a dict of strings or numbers (URL query, JSON body, CLI).

        Missing keys, ``None`` and empty strings take the defaults; unknown keys are
        refused unless listed in ``ignore``. A refusal is one :class:`BadParameters`
        whose ``problems`` are every bad field (see :meth:`problems`).
        """
        try:
            return cls._build(data, ignore)
        except BadParameters as err:
            raise BadParameters.every(cls.problems(data, ignore=ignore)) from err

    @classmethod
    def problems(cls, data: Mapping, *, ignore: tuple[str, ...] = ()) -> dict[str, str]:
        """Every bad field of ``data`` as ``{field: reason}``; empty when :meth:`from_mapping` accepts it.

        The first error is recorded and its field dropped (it takes its default), then
        the rest is checked again, until it passes or an error names no given field.

        >>> Parameters.problems({"time_difference": "soon", "value_method": "magic", "hiding_max_hops": 3})
        {'time_difference': "must be a number, got 'soon'", 'value_method': "must be one of zscore, robust, got 'magic'"}
        """
        found, rest = {}, dict(data)
        while True:
            try:
                cls._build(rest, ignore)
            except BadParameters as err:
                found[err.field] = err.reason
                if rest.pop(err.field, None) is None:
                    return found
            else:
                return found

    @classmethod
    def _build(cls, data: Mapping, ignore: tuple[str, ...]):
        """The parameters of ``data``, or the first :class:`BadParameters`."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known - set(ignore))
        if unknown:
            raise BadParameters(unknown[0], f"unknown {cls.kind}; known ones are {', '.join(sorted(known))}")
        return cls(**{k: v for k, v in data.items() if k in known and v is not None and v != ""})

    def with_(self, **changes):
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain dict, JSON-ready."""
        return asdict(self)

    def changed(self) -> dict:
        """Only the fields that differ from the defaults (for short URLs)."""
        default = type(self)()
        return {k: v for k, v in self.to_dict().items() if getattr(default, k) != v}


def finite_number(name: str, value) -> float:
    """``value`` as a finite float, or :class:`BadParameters` naming ``name``."""
    if isinstance(value, bool) or (isinstance(value, str) and len(value) > MAX_TEXT):
        raise BadParameters(name, f"must be a number, got {str(value)[:MAX_TEXT]!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise BadParameters(name, f"must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise BadParameters(name, f"must be a finite number, got {value!r}")
    return number


@dataclass(frozen=True)
class Parameters(ParameterSet):
    """Thresholds, windows and weights of one investigation (defaults are the original's).

    Parameters
    ----------
    minimum_threshold, maximum_threshold : float
        A transfer's z-score at or below the minimum, or at or above the maximum, is unusual.
    time_difference : int
        Seconds: transfers closer than this are frequent; a pass-through must leave within it.
    value_coefficient, transfers_coefficient, hiding_coefficient, relation_coefficient : float
        Weights of the four tests in the danger score (non-negative, not all zero).
    value_method : {'zscore', 'robust'}
        'zscore' is the original mean/std test; 'robust' uses log amounts with median/MAD.
    hiding_tolerance : float
        Fraction of an amount a pass-through may lose on the way (fees); 0 to 0.5.
    hiding_max_hops : int
        How many intermediaries a hiding chain is followed through, 1 to 50.
    relation_mode : {'listed', 'exposure'}
        'listed' is the original relation test (share of transfers with listed
        counterparties); 'exposure' scores the largest share of one asset's inflow or
        outflow that came from or reached listed addresses within a few hops (haircut).
    """

    minimum_threshold: float = -2.0
    maximum_threshold: float = 3.0
    time_difference: int = 13000
    value_coefficient: float = 0.3
    transfers_coefficient: float = 0.4
    hiding_coefficient: float = 0.5
    relation_coefficient: float = 0.6
    value_method: str = "zscore"
    hiding_tolerance: float = 0.01
    hiding_max_hops: int = 10
    relation_mode: str = "listed"

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, _coerce(f.name, f.type, getattr(self, f.name)))
        for name in ("minimum_threshold", "maximum_threshold", *COEFFICIENTS):
            if abs(getattr(self, name)) > MAX_MAGNITUDE:
                raise BadParameters(name, f"must be between {-MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}")
        if not 0 < self.time_difference <= MAX_SECONDS:
            raise BadParameters(
                "time_difference",
                f"must be a positive number of seconds up to {MAX_SECONDS:g}, got {self.time_difference:g}",
            )
        for name in COEFFICIENTS:
            if getattr(self, name) < 0:
                raise BadParameters(name, f"must be a finite number >= 0, got {getattr(self, name):g}")
        if self.value_method not in VALUE_METHODS:
            raise BadParameters("value_method", f"must be one of {', '.join(VALUE_METHODS)}, got {self.value_method!r}")
        if self.relation_mode not in RELATION_MODES:
            raise BadParameters(
                "relation_mode", f"must be one of {', '.join(RELATION_MODES)}, got {self.relation_mode!r}"
            )
        if not 0 <= self.hiding_tolerance <= 0.5:
            raise BadParameters("hiding_tolerance", f"must be between 0 and 0.5, got {self.hiding_tolerance}")
        if not 1 <= self.hiding_max_hops <= 50:
            raise BadParameters("hiding_max_hops", f"must be between 1 and 50, got {self.hiding_max_hops}")
        # rules over several fields come last, so that every field wrong alone is found first (see problems)
        if self.minimum_threshold >= self.maximum_threshold:
            raise BadParameters(
                "minimum_threshold",
                f"must be below maximum_threshold ({self.minimum_threshold} >= {self.maximum_threshold})",
            )
        if not any(getattr(self, name) > 0 for name in COEFFICIENTS):
            raise BadParameters("coefficients", "at least one of the four coefficients must be above 0")

    @property
    def coefficients(self) -> dict[str, float]:
        """The four weights by test name."""
        return {name.removesuffix("_coefficient"): getattr(self, name) for name in COEFFICIENTS}


def _coerce(name: str, kind, value):
    kind = {"float": float, "int": int, "str": str}.get(kind, kind)
    if kind is str:
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise BadParameters(name, f"must be a short text, got {str(value)[:MAX_TEXT]!r}")
        return value.strip().lower()
    number = finite_number(name, value)
    if kind is int:
        if number != int(number):
            raise BadParameters(name, f"must be a whole number, got {value!r}")
        return int(number)
    return number


FIELDS = {f.name: f.default for f in fields(Parameters)}
"""Every parameter with its default, in declaration order (CLI flags, forms, API docs)."""
