"""What every chain connector is: a :class:`TransferSource` that walks an address's history page by page.

A connector only talks to its API (through :class:`~tracing.sources.http.HttpClient`)
and parses answers into :class:`~tracing.model.TransferTable` pages. Storing,
limits, progress, cancelling and "only what is newer" live in
:mod:`tracing.investigate.refresh`, once for every connector.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tracing.model import Asset, Chain, TransferTable

__all__ = ["Known", "Page", "PageColumns", "TransferSource"]


@dataclass(frozen=True)
class Known:
    """The newest transfer already fetched for an address: where a refresh may start."""

    timestamp: int
    block: int
    tx_hash: str


@dataclass(frozen=True)
class Page:
    """One answer of the API, parsed: its transfers, and how far the walk is when the source can tell."""

    table: TransferTable
    total: int | None = None  # pages (or items) the walk will take in all, when known
    done: int | None = None  # of those, how many are done


@runtime_checkable
class TransferSource(Protocol):
    """A chain API that lists the transfers of an address, newest first.

    ``pages(address, since=..., known=...)`` yields :class:`Page` objects until the
    history is exhausted or it reaches transfers older than ``since`` (Unix seconds)
    or the ``known`` newest one; a transfer may appear on two pages (the caller
    keeps one). Failures raise :class:`~tracing.errors.SourceUnavailable` or
    :class:`~tracing.errors.RateLimited`; a missing key raises
    :class:`~tracing.errors.SourceNotConfigured` before any request.
    """

    name: str  # the store's source tag: "trongrid", "etherscan", "esplora", "solana"
    title: str  # as users know it: "TronGrid"
    chain: Chain

    def pages(self, address: str, *, since: int | None = None, known: Known | None = None) -> Iterator[Page]: ...

    @property
    def calls(self) -> int:
        """Requests sent so far (retries included)."""
        ...


@dataclass
class PageColumns:
    """Parsed rows gathered column by column, then one table (assets shared, not one per row)."""

    chain: Chain
    columns: dict[str, list] = field(
        default_factory=lambda: {
            k: [] for k in ("tx_hash", "index", "block", "timestamp", "sender", "receiver", "asset", "amount")
        }
    )
    _assets: dict[tuple, Asset] = field(default_factory=dict)

    def asset(self, symbol: str, contract: str, decimals: int) -> Asset:
        """The one :class:`Asset` object for these values."""
        key = (symbol, contract, decimals)
        found = self._assets.get(key)
        if found is None:
            found = self._assets[key] = Asset(*key)
        return found

    def add(self, tx_hash: str, index: int, block: int, timestamp: int, sender: str, receiver: str, asset, amount):
        """Append one transfer."""
        for name, value in zip(self.columns, (tx_hash, index, block, timestamp, sender, receiver, asset, amount)):
            self.columns[name].append(value)

    def table(self) -> TransferTable:
        """The rows as a table in time order."""
        return TransferTable.from_columns(self.chain, **self.columns).sorted()
