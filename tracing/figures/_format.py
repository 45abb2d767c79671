"""The one way to write an amount, a time, an address and a z-score, for pages, CLI and reports.

>>> amount("BTC", 0.35), amount("TRX", 460)
('0.35 BTC', '460.00 TRX')
>>> amount("USDT", "45997")
'45,997.00 USDT'
>>> amount("USDT", 0.000042)
'0.000042 USDT'
>>> when(1753783200), when(None)
('2025-07-29 10:00', '-')
>>> short_address("TUs6oZNSw7dGN3BMUeBBbAnGow2K2FS6zA"), zscore(3.14159)
('TUs6oZ…S6zA', '3.14')
>>> share(0.457), share(0.0004), share(0.0)
('45.7\xa0%', '<\xa00.1\xa0%', '0.0\xa0%')
"""

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

__all__ = ["MIN_DECIMALS", "PRECISION", "amount", "precision", "share", "short_address", "when", "zscore"]

PRECISION = {
    **dict.fromkeys(("USDT", "USDC", "DAI", "BUSD", "TUSD", "USDD", "FDUSD", "PYUSD"), 2),
    "BTC": 8,
    "ETH": 6,
    "TRX": 6,
    "SOL": 6,
}
"""Decimals shown per symbol: dollar tokens in cents, bitcoin in satoshis; others in at most 6."""
DEFAULT_PRECISION = 6
MIN_DECIMALS = 2
"""Decimals always shown (cents); zeros beyond them are dropped (``460.00 TRX``, not ``460.000000 TRX``)."""


def precision(asset) -> int:
    """Decimals to show for ``asset`` (an :class:`~tracing.model.transfer.Asset` or a symbol).

    Never more than the asset's own decimals, when known.
    """
    symbol = getattr(asset, "symbol", asset)
    shown = PRECISION.get(str(symbol).upper(), DEFAULT_PRECISION)
    decimals = getattr(asset, "decimals", None)
    return min(shown, decimals) if decimals is not None else shown


def amount(asset, value, *, symbol: bool = True) -> str:
    """``value`` with thousands separators, at most the asset's precision, and its symbol (``1,500.25 ETH``).

    ``value`` is a number or an exact decimal string (as the engine's documents
    carry). Trailing zeros beyond :data:`MIN_DECIMALS` are dropped, so every digit
    shown carries information (``0.123456 ETH``, ``460.00 TRX``). A non-zero amount
    that would round to zero is written exactly (``0.000042 USDT``), never as ``0.00``.
    """
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return f"{value} {getattr(asset, 'symbol', asset)}".strip() if symbol else str(value)
    places = precision(asset)
    shown = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if number and not shown:
        text = f"{number.normalize():,f}"
    else:
        decimals = max(min(places, MIN_DECIMALS), -shown.normalize().as_tuple().exponent)
        text = f"{shown:,.{decimals}f}"
    return f"{text} {getattr(asset, 'symbol', asset)}" if symbol else text


def when(ts, *, seconds: bool = False) -> str:
    """A unix time as ``YYYY-MM-DD HH:MM`` (``:SS`` with ``seconds``) in UTC; ``-`` when unknown."""
    if ts is None or ts < 0:
        return "-"
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def short_address(address: str) -> str:
    """``TUs6oZ…S6zA``: enough to recognise an address in a chart or a graph."""
    return address if len(address) <= 12 else f"{address[:6]}…{address[-4:]}"


def zscore(z: float) -> str:
    """A z-score with two decimals (``-0.00`` written as ``0.00``)."""
    return f"{z + 0.0:.2f}" if abs(z) >= 0.005 else "0.00"


def share(fraction: float) -> str:
    """A fraction as a percentage with one decimal; a share too small to show is ``< 0.1 %``, never ``0.0 %``.

    The spaces are no-break spaces: a table cell never splits ``100.0`` from its ``%``.
    """
    if 0 < fraction < 0.0005:
        return "<\u00a00.1\u00a0%"
    return f"{100 * fraction:.1f}\u00a0%"
