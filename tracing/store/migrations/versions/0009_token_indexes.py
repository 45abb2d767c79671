"""Token transfers imported from TronScan and Etherscan CSV exports take the connectors' index rule.

Before, a TronScan row got index 0 and an Etherscan row its position within the
transaction in the file, while TronGrid and Etherscan's API give a token transfer
``transfer_index(contract, sender, receiver, amount)`` (repeats of identical
transfers in one transaction numbered: ``transfer_index(..., k)``). So a transfer
imported and then fetched was stored twice. This re-indexes the rows of those two
imports (their ``source`` says ``import:tronscan-csv:`` / ``import:etherscan-csv:``):
a row whose new identity is already stored (fetched from the API) is the same
transfer and is removed; a case's transfer items (``tx:index``) follow their row.
Rows of other sources (generic CSV with its own index, APIs, demo) are untouched.

The rule is written out here, not imported, so this migration stays what it was
whatever the code becomes. Downgrading keeps the new indexes (the old ones made
duplicates; there is nothing worth restoring).

Revision ID: 0009
Revises: 0008
"""

import zlib
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_IMPORTS = ("import:tronscan-csv:%", "import:etherscan-csv:%")
_CHUNK = 500

transfers = sa.table(
    "transfers",
    sa.column("id"),
    sa.column("chain"),
    sa.column("tx_hash"),
    sa.column("idx"),
    sa.column("sender"),
    sa.column("receiver"),
    sa.column("contract"),
    sa.column("amount"),
    sa.column("source"),
)
case_items = sa.table("case_items", sa.column("kind"), sa.column("chain"), sa.column("ref"))


def _index(*parts) -> int:
    """``tracing.sources.base.transfer_index`` as of this revision."""
    return 1 + zlib.crc32("|".join(map(str, parts)).encode()) % (2**31 - 2)


def _new_indexes(rows) -> list[tuple]:
    """(id, chain, tx_hash, old index, new index) of the rows whose index changes."""
    met: Counter = Counter()
    moves = []
    for row in rows:  # in (chain, tx_hash, idx) order: repeats numbered as the file listed them
        key = (row.chain, row.tx_hash, row.contract, row.sender, row.receiver, int(row.amount))
        repeat = met[key]
        met[key] += 1
        new = _index(*key[2:], repeat) if repeat else _index(*key[2:])
        if new != row.idx:
            moves.append((row.id, row.chain, row.tx_hash, row.idx, new))
    return moves


def _taken(conn, moves: list[tuple]) -> set[tuple]:
    """(chain, tx_hash, idx) of the stored rows of these transactions that do not move."""
    moving = {m[0] for m in moves}
    hashes = sorted({m[2] for m in moves})
    taken = set()
    for start in range(0, len(hashes), _CHUNK):
        query = sa.select(transfers.c.id, transfers.c.chain, transfers.c.tx_hash, transfers.c.idx).where(
            transfers.c.tx_hash.in_(hashes[start : start + _CHUNK])
        )
        taken.update((r.chain, r.tx_hash, r.idx) for r in conn.execute(query) if r.id not in moving)
    return taken


def upgrade():
    conn = op.get_bind()
    query = (
        sa.select(transfers)
        .where(sa.or_(*(transfers.c.source.like(pattern) for pattern in _IMPORTS)))
        .order_by(transfers.c.chain, transfers.c.tx_hash, transfers.c.idx)
    )
    moves = _new_indexes(conn.execute(query))
    if not moves:
        return
    taken = _taken(conn, moves)
    gone, kept = [], []
    for row_id, chain, tx_hash, _, new in moves:
        (gone if (chain, tx_hash, new) in taken else kept).append({"row": row_id, "new": new})
        taken.add((chain, tx_hash, new))
    by_id = transfers.c.id == sa.bindparam("row")
    # out of the way first (a negative index is unique per row), so no move collides with a row yet to move
    conn.execute(
        transfers.update().where(by_id).values(idx=sa.bindparam("aside")),
        [{"row": m[0], "aside": -m[0]} for m in moves],
    )
    if gone:
        conn.execute(transfers.delete().where(by_id), gone)
    if kept:
        conn.execute(transfers.update().where(by_id).values(idx=sa.bindparam("new")), kept)
    refs = [{"c": chain, "old": f"{tx}:{old}", "new": f"{tx}:{new}"} for _, chain, tx, old, new in moves]
    conn.execute(
        case_items.update()
        .where(case_items.c.kind == "transfer", case_items.c.chain == sa.bindparam("c"))
        .where(case_items.c.ref == sa.bindparam("old"))
        .values(ref=sa.bindparam("new")),
        refs,
    )


def downgrade():
    pass  # the old indexes made duplicates: nothing worth restoring
