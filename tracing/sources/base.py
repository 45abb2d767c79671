"""What every chain connector is: a :class:`TransferSource` that walks an address's history page by page.

A connector only talks to its API (through :class:`~tracing.sources.http.HttpClient`)
and parses answers into :class:`~tracing.model.TransferTable` pages. Storing,
limits, progress, cancelling and "only what is newer" live in
:mod:`tracing.investigate.refresh`, once for every connector.
"""

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tracing.errors import InvalidAddress, SourceUnavailable
from tracing.model import Asset, Chain, TransferTable, normalize_address

__all__ = [
    "Connector",
    "Garbage",
    "Known",
    "Page",
    "PageColumns",
    "TokenIndexes",
    "TransferSource",
    "transfer_index",
]


def transfer_index(*parts) -> int:
    """A stable position for a transfer inside its transaction when the API gives none.

    Token transfers listed per address carry no log index, yet the same transfer
    seen from its sender and from its receiver must be stored once: the index is
    derived from what the transfer is (contract, sender, receiver, amount), never
    from where it appeared. 0 stays free for the transaction's own native transfer.

    >>> transfer_index("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TA", "TB", 5) == transfer_index(
    ...     "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TA", "TB", 5)
    True
    >>> 0 < transfer_index("x") < 2**31
    True
    """
    return 1 + zlib.crc32("|".join(map(str, parts)).encode()) % (2**31 - 2)


class TokenIndexes:
    """The one index rule for token transfers that carry no log index: connectors and file importers alike.

    A token transfer's index is :func:`transfer_index` of ``(contract, sender, receiver,
    amount)``: contract and addresses as the store keeps them (canonical, see
    :func:`~tracing.model.normalize_address`), amount as the integer in base units.
    So the same transfer read from a CSV export and fetched from the API is stored once.

    Two identical transfers in one transaction (same contract, sender, receiver and
    amount) cannot be told apart by what they are, so repeats are numbered in the
    order met: the first keeps the plain index, the k-th repeat gets
    ``transfer_index(contract, sender, receiver, amount, k)``. Numbering runs over one
    listing: one API page, one imported file. As the repeats are identical, the order
    they come in does not change the indexes.

    >>> rule = TokenIndexes()
    >>> first, again = rule("tx", "C", "TA", "TB", 5), rule("tx", "C", "TA", "TB", 5)
    >>> first == transfer_index("C", "TA", "TB", 5) and again == transfer_index("C", "TA", "TB", 5, 1)
    True
    >>> TokenIndexes()("other", "C", "TA", "TB", 5) == first
    True
    """

    def __init__(self):
        self._met: Counter = Counter()

    def __call__(self, tx_hash: str, contract: str, sender: str, receiver: str, amount: int) -> int:
        """The index of the next transfer with these values in transaction ``tx_hash``."""
        key = (tx_hash, contract, sender, receiver, int(amount))
        repeat = self._met[key]
        self._met[key] += 1
        return transfer_index(*key[1:], repeat) if repeat else transfer_index(*key[1:])


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


class Connector:
    """What the connectors share: their :class:`~tracing.sources.http.HttpClient` in ``http`` counts the requests."""

    http = None

    @property
    def calls(self) -> int:
        """Requests sent so far (retries included)."""
        return self.http.calls


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
    token_index: TokenIndexes = field(default_factory=TokenIndexes)  # one page is one listing

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


class Garbage:
    """Checks on an API's answer: anything unexpected becomes one SourceUnavailable naming the provider."""

    def __init__(self, title: str, chain: Chain):
        self.title = title
        self.chain = chain
        self._addresses: dict[str, str] = {}

    def fail(self, what: str) -> SourceUnavailable:
        """The error for an answer that is not what the API documents."""
        return SourceUnavailable(f"{self.title} answered something unexpected ({what}); nothing was stored")

    def address(self, text) -> str:
        """The canonical address (validated once per distinct text)."""
        found = self._addresses.get(text)
        if found is None:
            try:
                found = self._addresses[text] = normalize_address(str(text), self.chain)[1]
            except InvalidAddress:
                raise self.fail(f"an invalid {self.chain.value} address {str(text)[:60]!r}") from None
        return found

    def whole(self, value, what: str) -> int:
        """A non-negative integer from a number or a string of digits."""
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            raise self.fail(f"{what} {str(value)[:40]!r} is not a whole number")
        return int(value)

    def hash(self, value, what: str = "transaction hash") -> str:
        """A transaction hash or signature: non-empty text of letters and digits (lower-cased hex stays as is)."""
        text = str(value or "")
        if not text or not text.isalnum() or len(text) > 128:
            raise self.fail(f"{what} {text[:40]!r}")
        return text

    def items(self, document, key: str | None = None) -> list:
        """``document[key]`` (or the document) as a list."""
        found = document.get(key) if key is not None and isinstance(document, dict) else document
        if not isinstance(found, list):
            raise self.fail(f"no list of {key or 'items'}")
        return found
