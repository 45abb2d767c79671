"""A batch of transfer rows into the store, and the stored twins of rows it held already, per dialect.

Both stores insert with ``ON CONFLICT DO NOTHING ... RETURNING``: the rows this statement
inserted, never another transaction's. SQLite takes the batch as one multi-row insert and
reads twins with ``tx_hash IN (...)``. PostgreSQL copies the batch into a temporary table
(``COPY``) and inserts from it: 65,000 bound values a batch cost more than the insert (10^5
rows went in in 14 s, now 2 s). It reads each twin through the identity index: ``IN`` over a
batch's 5,000 hashes became a scan of the whole table once it held some 10^5 rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from tracing.store.schema import TRANSFER_COLUMNS, transfers

__all__ = ["insert_new", "stored_twins"]

_STORED = (transfers.c.id, *TRANSFER_COLUMNS)
_INSERTED = [column.name for column in transfers.c if column.name != "id"]
_NAMES = ", ".join(_INSERTED)
_BATCH = "transfer_batch"  # the temporary table, dropped when the transaction ends
# OFFSET 0 keeps the subquery apart: one index lookup per identity, however large the table
_PG_TWINS = sa.text(
    f"SELECT {', '.join(f't.{column.name}' for column in _STORED)} "
    "FROM unnest(CAST(:hashes AS text[]), CAST(:indexes AS int[])) AS wanted(tx_hash, idx) "
    "CROSS JOIN LATERAL (SELECT * FROM transfers WHERE chain = :chain AND tx_hash = wanted.tx_hash "
    "AND idx = wanted.idx OFFSET 0) AS t"
)


def insert_new(conn: sa.Connection, rows: list[dict]) -> Sequence[tuple[int, str, int]]:
    """Insert ``rows`` (the transfer columns but ``id``) unless stored; (id, tx_hash, idx) of each row inserted."""
    if conn.dialect.name == "sqlite":
        insert = sqlite.insert(transfers).on_conflict_do_nothing(index_elements=["chain", "tx_hash", "idx"])
        return conn.execute(insert.returning(transfers.c.id, transfers.c.tx_hash, transfers.c.idx), rows).all()
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_BATCH} ON COMMIT DROP AS SELECT {_NAMES} FROM transfers WITH NO DATA"
    )
    conn.exec_driver_sql(f"TRUNCATE {_BATCH}")
    # a connection lost here fails the transaction's rollback: the engine raises StoreUnavailable then
    with conn.connection.cursor() as cursor, cursor.copy(f"COPY {_BATCH} ({_NAMES}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in _INSERTED])
    return conn.exec_driver_sql(
        f"INSERT INTO transfers ({_NAMES}) SELECT {_NAMES} FROM {_BATCH} "
        f"ON CONFLICT (chain, tx_hash, idx) DO NOTHING RETURNING id, tx_hash, idx"
    ).all()


def stored_twins(conn: sa.Connection, chain: str, keys: list[tuple[str, int]]) -> list[tuple]:
    """The stored transfers of ``chain`` with these (tx_hash, idx) identities: id, then the transfer columns.

    SQLite's answer also holds the other indexes of each hash.
    """
    if conn.dialect.name == "sqlite":
        hashes = sorted({tx_hash for tx_hash, _ in keys})
        query = sa.select(*_STORED).where(transfers.c.chain == chain, transfers.c.tx_hash.in_(hashes))
        return conn.execute(query).cursor.fetchall()
    hashes, indexes = zip(*keys, strict=True)
    twins = conn.execute(_PG_TWINS, {"chain": chain, "hashes": list(hashes), "indexes": list(indexes)})
    return twins.cursor.fetchall()
