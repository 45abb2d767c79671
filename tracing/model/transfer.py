"""One transfer: a movement of one asset, with its amount exact in base units."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tracing.model.addresses import Chain

__all__ = ["MAX_AMOUNT", "MAX_TIMESTAMP", "NATIVE", "Asset", "Transfer", "format_units", "parse_units"]

NATIVE = "native"
MAX_AMOUNT = 2**256 - 1  # base units: the largest token balance any chain can hold (78 digits)
MAX_TIMESTAMP = 2**33 - 1  # unix seconds, year 2242: later times are typing errors, and stay far below 2^63
MAX_NUMBER_TEXT = 100  # characters of a decimal number to parse


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
    if len(cleaned) > MAX_NUMBER_TEXT:
        raise ValueError(f"{cleaned[:20]!r}… is longer than {MAX_NUMBER_TEXT} characters")
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
    if mantissa == 0:
        return 0
    # bound the exponent before computing 10**shift: '1e100000000' would take minutes
    if len(digits) + shift > len(str(MAX_AMOUNT)):
        raise ValueError(f"{text!r} is larger than any token amount (at most {len(str(MAX_AMOUNT))} digits)")
    if -shift > len(digits):
        raise ValueError(f"{text!r} has more than {decimals} decimal places")
    whole, rest = (mantissa * 10**shift, 0) if shift >= 0 else divmod(mantissa, 10**-shift)
    if rest:
        raise ValueError(f"{text!r} has more than {decimals} decimal places")
    if whole > MAX_AMOUNT:
        raise ValueError(f"{text!r} is larger than any token amount (at most 2^256 - 1 base units)")
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
