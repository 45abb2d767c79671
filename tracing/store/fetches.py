"""How far each address's history has been fetched from each chain API: where a refresh starts.

A fetch's transfers and its record are written in one transaction (see
:func:`save_fetch`), so a record never claims transfers the store lacks.
"""

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracing.model import Chain, TransferTable
from tracing.store.database import Store
from tracing.store.schema import fetches

__all__ = ["FetchRecord", "fetch_record", "save_fetch"]


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


def save_fetch(
    store: Store, table: TransferTable, chain: Chain, address: str, source: str, *, complete: bool, previous=None
) -> int:
    """Store the fetched transfers and advance the address's record, in one transaction; return how many were new.

    The record keeps the newest transfer of ``table`` (or of ``previous`` when the
    table holds nothing newer).
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
    return store.add_transfers(table, f"api:{source}", then=lambda conn: conn.execute(upsert))
