"""One transfer: a movement of one asset, with its amount exact in base units."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tracing.model.addresses import Chain

__all__ = ["NATIVE", "Asset", "Transfer", "format_units", "parse_units"]

NATIVE = "native"


@dataclass(frozen=True, order=True)
class Asset:
    """An asset on a chain: symbol, contract (``'native'`` for the chain's coin) and decimals."""

    symbol: str
    contract: str
    decimals: int

    def __post_init__(self):
        if not 0 <= self.decimals <= 36:
            raise ValueError(f"decimals must be between 0 and 36, got {self.decimals}")

    @property
    def key(self) -> str:
        """What identifies the asset on its chain: the contract, or 'native'."""
        return self.contract


def parse_units(text: str, decimals: int) -> int:
    """Convert a decimal string in token units to exact base units.

    >>> parse_units("1500.25", 6)
    1500250000
    >>> parse_units("0.1", 0)
    Traceback (most recent call last):
    ...
    ValueError: '0.1' has more than 0 decimal places
    """
    cleaned = str(text).strip().replace(",", "").replace("_", "")
    try:
        number = Decimal(cleaned)
    except ArithmeticError:
        raise ValueError(f"{text!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    if number < 0:
        raise ValueError(f"{text!r} is negative")
    _sign, digits, exponent = number.as_tuple()  # exact: no context precision involved
    mantissa = int("".join(map(str, digits)) or "0")
    shift = exponent + decimals
    if shift >= 0:
        return mantissa * 10**shift
    whole, rest = divmod(mantissa, 10**-shift)
    if rest:
        raise ValueError(f"{text!r} has more than {decimals} decimal places")
    return whole


def format_units(amount: int, decimals: int) -> str:
    """Exact decimal string of ``amount`` base units (trailing zeros removed).

    >>> format_units(1500250000, 6)
    '1500.25'
    """
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(int(amount)), 10**decimals)
    frac_text = str(frac).rjust(decimals, "0").rstrip("0") if decimals else ""
    return f"{sign}{whole}" + (f".{frac_text}" if frac_text else "")


@dataclass(frozen=True)
class Transfer:
    """One movement of one asset. ``(chain, tx_hash, index)`` is its identity."""

    chain: Chain
    tx_hash: str
    index: int
    block: int
    timestamp: int
    sender: str
    receiver: str
    asset: Asset
    amount: int

    @property
    def time(self) -> datetime:
        """The block time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp, UTC)

    @property
    def value(self) -> float:
        """Amount in token units as a float, for analytics only."""
        return self.amount / 10**self.asset.decimals

    @property
    def amount_text(self) -> str:
        """Exact amount in token units."""
        return format_units(self.amount, self.asset.decimals)
