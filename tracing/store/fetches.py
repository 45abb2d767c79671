"""How far each address's history has been fetched from each chain API: where a refresh starts.

A fetch's transfers and its record are written in one transaction (see
:func:`save_fetch`), so a record never claims transfers the store lacks.
"""

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracing.audit import record
from tracing.model import Chain, TransferTable
from tracing.store.database import Store
from tracing.store.schema import fetches
from tracing.store.writer import Clash

__all__ = ["FetchRecord", "Saved", "fetch_record", "save_fetch"]


@dataclass(frozen=True)
class FetchRecord:
    """The newest transfer fetched for an address from a source, and whether its history is whole."""

    newest_timestamp: int
    newest_block: int
    newest_tx: str
    complete: bool
    fetched_at: int


def fetch_record(store: Store, chain: Chain | str, address: str, source: str) -> FetchRecord | None:
    """What an earlier fetch of ``address`` from ``source`` reached, or None."""
    query = sa.select(
        fetches.c.newest_timestamp,
        fetches.c.newest_block,
        fetches.c.newest_tx,
        fetches.c.complete,
        fetches.c.fetched_at,
    ).where(fetches.c.chain == Chain.parse(chain).value, fetches.c.address == address, fetches.c.source == source)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return FetchRecord(*row) if row else None


@dataclass(frozen=True)
class Saved:
    """What a fetch stored: new transfers, and the fetched ones whose identity is stored with other contents."""

    new: int
    clashes: tuple[Clash, ...] = ()
    clash_count: int = 0


def save_fetch(
    store: Store, table: TransferTable, chain: Chain, address: str, source: str, *, complete: bool, previous=None
) -> Saved:
    """Store the fetched transfers and advance the address's record, in one transaction.

    The record keeps the newest transfer of ``table`` (or of ``previous`` when the
    table holds nothing newer). A fetched transfer that disagrees with the stored
    one of its identity is not stored (the stored one stays), counted, and audited.
    """
    newest = (previous.newest_timestamp, previous.newest_block, previous.newest_tx) if previous else (0, 0, "")
    if len(table):
        last = int(table.timestamp.argmax())
        candidate = (int(table.timestamp[last]), int(table.block[last]), str(table.tx_hash[last]))
        newest = max(newest, candidate)
    values = {
        "newest_timestamp": newest[0],
        "newest_block": newest[1],
        "newest_tx": newest[2],
        "complete": complete,
        "fetched_at": int(time.time()),
    }
    dialect = sqlite if store.engine.dialect.name == "sqlite" else postgresql
    upsert = dialect.insert(fetches).values(chain=chain.value, address=address, source=source, **values)
    upsert = upsert.on_conflict_do_update(index_elements=["chain", "address", "source"], set_=values)
    with store.transfer_writer(f"api:{source}") as writer:
        new = writer.add(table).new if len(table) else 0
        writer.conn.execute(upsert)
        if writer.clash_count:
            detail = {"rows": writer.clash_count, "first": [c.describe("API") for c in writer.clashes[:20]]}
            record(writer.conn, f"api:{source}", "transfers.fetch_clash", "address", f"{chain.value}:{address}", detail)
    return Saved(new, tuple(writer.clashes), writer.clash_count)
