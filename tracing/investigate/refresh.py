"""Fetching is caching: walk a :class:`~tracing.sources.base.TransferSource` into the store.

One function for every connector: limits (max transfers, oldest date), progress,
cancelling, "only what is newer" and the rule that nothing partial is stored: the
pages are gathered first and written, with the address's fetch record, in one
transaction at the end. A failure or a cancel on page 40 stores nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tracing.errors import SourceUnavailable, TracingError
from tracing.investigate.score import identities
from tracing.model import TransferTable, normalize_address
from tracing.sources.base import Known, TransferSource
from tracing.store import Store
from tracing.store.fetches import fetch_record, save_fetch

__all__ = ["FetchCancelled", "FetchProgress", "FetchSummary", "fetch_history", "needs_history"]


class FetchCancelled(TracingError):
    """The user cancelled a fetch; nothing was stored."""


@dataclass(frozen=True)
class FetchProgress:
    """Where a running fetch is: pages read, transfers found, and done/total when the source can tell."""

    pages: int
    transfers: int
    done: int | None = None
    total: int | None = None

    def describe(self) -> str:
        """One line for a progress bar's label."""
        where = f"{self.done}/{self.total} · " if self.total else ""
        return f"{where}{self.pages} page{'s' * (self.pages != 1)}, {self.transfers} transfers"


@dataclass(frozen=True)
class FetchSummary:
    """What a fetch did: new and already stored transfers, pages, calls, time, and any limit it hit."""

    chain: str
    address: str
    source: str
    new: int
    known: int
    pages: int
    calls: int
    seconds: float
    incremental: bool  # asked only for what is newer than an earlier fetch
    limit: str | None = None  # why the history is cut, when a limit cut it
    disagreements: tuple[str, ...] = ()  # the first fetched transfers stored otherwise, a line each
    disagreeing: int = 0  # how many in all (kept as stored, audited)

    def describe(self) -> str:
        """A short paragraph for the CLI and the page."""
        mode = "newer transfers" if self.incremental else "history"
        text = (
            f"{self.source}: {self.address} ({self.chain}) {mode}: {self.new} new, {self.known} already stored, "
            f"{self.pages} pages, {self.calls} requests, {self.seconds:.1f} s"
        )
        if self.disagreeing:
            text += (
                f"\n{self.disagreeing} fetched transfer(s) disagree with the stored ones (kept as stored, "
                "recorded in the audit log): " + "; ".join(self.disagreements[:3])
            )
        return text + (f"\nlimit reached: {self.limit}" if self.limit else "")


def needs_history(store: Store, chain, address: str, source: str, *, direction: str = "forward") -> bool:
    """Whether a trace reaching ``address`` should fetch its history from ``source`` (a connector's name).

    True when the address was never fetched from ``source`` and the store holds none of
    the transfers a trace would follow from it: none sent by it (``direction``
    "forward"), or none received by it ("backward"). A trace stops at such an address
    only because its onward transfers are missing.
    """
    if fetch_record(store, chain, address, source) is not None:
        return False
    return not store.has_transfers(chain, address, sent=direction != "backward")


def fetch_history(
    store: Store,
    source: TransferSource,
    address: str,
    *,
    since: int | None = None,
    max_transfers: int = 100_000,
    max_calls: int | None = None,
    progress: Callable[[FetchProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FetchSummary:
    """Fetch what ``source`` holds for ``address`` that the store lacks, and store it.

    After a whole earlier fetch only what is newer is asked for; ``since`` (Unix
    seconds) leaves older transfers out; at most ``max_transfers`` (the newest)
    are kept, and the summary says so when the limit cut the history. ``max_calls``
    bounds the requests (a trace page's budget); running out is reported the same way.

    Raises
    ------
    InvalidAddress
        The address is not one of ``source``'s chain.
    SourceUnavailable, RateLimited, SourceNotConfigured
        The API failed; nothing was stored.
    FetchCancelled
        ``cancelled()`` turned true between two pages; nothing was stored.
    """
    chain, address = normalize_address(address, source.chain)
    started, calls_before = time.monotonic(), source.calls
    record = fetch_record(store, chain, address, source.name)
    known = (
        Known(record.newest_timestamp, record.newest_block, record.newest_tx) if record and record.complete else None
    )
    tables: list[TransferTable] = []
    seen: set[str] = set()
    count = pages = 0
    limit = None
    for page in source.pages(address, since=since, known=known):
        if cancelled is not None and cancelled():
            raise FetchCancelled(f"fetch of {address} from {source.title} cancelled; nothing was stored")
        pages += 1
        table = page.table
        if since is not None and len(table):
            table = table.take(np.flatnonzero(table.timestamp >= since))
        keys = identities(table)
        fresh = np.array([k not in seen for k in keys.tolist()], dtype=bool)
        if len(table) and not fresh.any():
            raise SourceUnavailable(
                f"{source.title} answered page {pages} with exactly the transfers it had already sent: "
                "its paging is stuck, so the fetch stopped and stored nothing; try again later"
            )
        seen.update(keys[fresh].tolist())
        tables.append(table.take(np.flatnonzero(fresh)))
        count += int(fresh.sum())
        if progress is not None:
            progress(FetchProgress(pages, count, page.done, page.total))
        if count >= max_transfers:
            limit = (
                f"the newest {max_transfers} transfers were kept (FETCH_MAX_TRANSFERS / --max); "
                "older ones were not fetched"
            )
            break
        if max_calls is not None and source.calls - calls_before >= max_calls:
            limit = f"the budget of {max_calls} requests ran out; older transfers were not fetched"
            break
    table = TransferTable.concat(tables).sorted() if tables else TransferTable.empty(chain)
    if len(table) > max_transfers:
        table = table.take(np.arange(len(table) - max_transfers, len(table)))
    saved = save_fetch(
        store, table, chain, address, source.name, complete=limit is None and since is None, previous=record
    )
    return FetchSummary(
        chain.value,
        address,
        source.title,
        saved.new,
        len(table) - saved.new - saved.clash_count,
        pages,
        source.calls - calls_before,
        time.monotonic() - started,
        known is not None,
        limit,
        tuple(c.describe("API") for c in saved.clashes[:10]),
        saved.clash_count,
    )
