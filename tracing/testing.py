"""Factories for tests, doctests and benchmarks: small transfer tables from plain numbers."""

from collections.abc import Sequence

from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset

__all__ = ["USDT_TRON", "make_table"]

USDT_TRON = Asset("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6)


def make_table(
    values: Sequence[float],
    *,
    times: Sequence[int] | None = None,
    senders: Sequence[str] | None = None,
    receivers: Sequence[str] | None = None,
    asset: Asset = USDT_TRON,
    assets: Sequence[Asset] | None = None,
) -> TransferTable:
    """A TRON table of transfers with the given token amounts (default: 'X' sends each to 'Y')."""
    n = len(values)
    assets = list(assets) if assets is not None else [asset] * n
    return TransferTable.from_columns(
        Chain.TRON,
        tx_hash=[f"{i:064x}" for i in range(n)],
        index=[0] * n,
        block=list(range(n)),
        timestamp=list(times) if times is not None else [1_600_000_000 + 60 * i for i in range(n)],
        sender=list(senders) if senders is not None else ["X"] * n,
        receiver=list(receivers) if receivers is not None else ["Y"] * n,
        asset=assets,
        amount=[round(v * 10**a.decimals) for v, a in zip(values, assets)],
    )
