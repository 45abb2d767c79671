"""The Store: one SQLAlchemy engine, schema migrations on open, transfer tables in and out.

Every write is one transaction: an import that fails half-way leaves nothing.
"""

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import fields
from functools import cached_property
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql, sqlite

from tracing.labels import OFAC_LIST, Label, LabelIndex
from tracing.labels.snapshot import snapshot_labels, snapshot_version
from tracing.model import Chain, TransferTable
from tracing.store.engine import make_engine, private_file
from tracing.store.reading import READ_CHUNK, read_chunks, table_from_chunks
from tracing.store.schema import TRANSFER_COLUMNS, labels, store_meta, transfers
from tracing.store.writer import INSERT_CHUNK, TransferWriter

__all__ = ["DEFAULT_URL", "Store", "database_url", "label_from_row", "label_row"]

DEFAULT_URL = "sqlite:///instance/tracing.db"
_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x7472616369  # "traci": the advisory lock that serialises migrations on PostgreSQL
_IN_CHUNK = 500  # addresses per IN (...) clause

_COLUMNS = TRANSFER_COLUMNS


def _plain_rows(conn: sa.Connection, query: sa.Select) -> list[tuple]:
    """The rows of ``query`` as plain tuples, straight from the driver's cursor.

    The transfer columns need no conversion on the way out, and SQLAlchemy's
    ``Row`` objects cost a quarter of reading 10^5 transfers from SQLite.
    """
    return conn.execute(query).cursor.fetchall()


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``DATABASE_URL``, else the SQLite file under instance/."""
    return url or os.environ.get("DATABASE_URL") or DEFAULT_URL


class Store:
    """Transfers, labels and users in one database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; see :func:`database_url`.
    """

    def __init__(self, url: str | None = None):
        self.url = database_url(url)
        if self.url.startswith("sqlite:///") and self.url != "sqlite:///:memory:":
            # the default file's folder is made on first use; a folder named by the user must exist
            private_file(Path(self.url.removeprefix("sqlite:///")), make_folder=self.url == DEFAULT_URL)
        if self.url.startswith("postgresql://"):
            self.url = self.url.replace("postgresql://", "postgresql+psycopg://", 1)
        self.engine = make_engine(self.url)
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (a no-op when it is there already)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.connect() as conn:  # the usual case, read without taking a lock
            if set(MigrationContext.configure(conn).get_current_heads()) == set(
                ScriptDirectory.from_config(cfg).get_heads()
            ):
                return
        with self.engine.begin() as conn:
            # one process migrates at a time (gunicorn's workers start together on a fresh database)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, held until the commit
            else:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @cached_property
    def identity(self) -> str:
        """The store's random id, made once by its migrations (what a saved profile model belongs to)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "identity")).scalar_one()

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    # -- transfers ------------------------------------------------------------------------
    @contextmanager
    def transfer_writer(self, source: str) -> Iterator[TransferWriter]:
        """One transaction to add tables in batches (:class:`~tracing.store.writer.TransferWriter`).

        It commits when the block ends and rolls everything back when it raises: all or nothing.
        """
        with self.engine.begin() as conn:
            yield TransferWriter(conn, source)

    def add_transfers(self, table: TransferTable, source: str, *, then=None) -> int:
        """Store a table's transfers; return how many were new (known ones are kept as they are).

        ``then(conn)``, when given, runs inside the same transaction (a fetch records how far it got).
        """
        with self.transfer_writer(source) as writer:
            new = writer.add(table).new if len(table) else 0
            if then is not None:
                then(writer.conn)
        return new

    def transfers_on(self, chain: Chain | str, *, chunk: int = READ_CHUNK) -> TransferTable:
        """Every stored transfer of one chain (for training behavioural profiles), read ``chunk`` rows at a time.

        The condition is an expression, not the bare column, so that SQLite scans the
        table in storage order instead of visiting every row through an address index
        (a third less CPU, and rows come back in about the order they were written).
        """
        chain = Chain.parse(chain)
        query = sa.select(*_COLUMNS).where((transfers.c.chain + "") == chain.value)
        with self.engine.connect() as conn:
            return table_from_chunks(chain, read_chunks(conn, query, chunk))

    def transfers_of(self, chain: Chain | str, address: str) -> TransferTable:
        """Every stored transfer sent or received by ``address``."""
        return self.transfers_where(Chain.parse(chain), senders=[address], receivers=[address])

    def transfers_where(
        self,
        chain: Chain | str,
        *,
        senders: Iterable[str] = (),
        receivers: Iterable[str] = (),
        since: int | None = None,
        until: int | None = None,
        exclude: Iterable[str] = (),
    ) -> TransferTable:
        """Transfers sent by any of ``senders`` or received by any of ``receivers``, in a time range.

        ``exclude`` leaves out transfers sent or received by those addresses (ones the caller has already).
        """
        chain = Chain.parse(chain)
        conditions = []
        for column, values in (
            (transfers.c.sender, sorted(set(senders))),
            (transfers.c.receiver, sorted(set(receivers))),
        ):
            conditions += [
                sa.and_(transfers.c.chain == chain.value, column.in_(values[i : i + _IN_CHUNK]))
                for i in range(0, len(values), _IN_CHUNK)
            ]
        if not conditions:
            return TransferTable.empty(chain)
        # The chain sits inside each branch of the OR, so SQLite searches both address indexes
        # (a shared "chain = ?" outside the OR makes it scan every transfer of the chain).
        query = sa.select(*_COLUMNS).where(sa.or_(*conditions))
        if since is not None:
            query = query.where(transfers.c.timestamp >= since)
        if until is not None:
            query = query.where(transfers.c.timestamp <= until)
        excluded = sorted(set(exclude))
        if excluded:
            query = query.where(transfers.c.sender.not_in(excluded), transfers.c.receiver.not_in(excluded))
        with self.engine.connect() as conn:
            rows = _plain_rows(conn, query)
        return table_from_chunks(chain, [rows])

    def transfers_between(self, chain: Chain | str, these: Iterable[str], those: Iterable[str]) -> TransferTable:
        """Transfers from any of ``these`` to any of ``those``, or the other way round.

        Both sides are constrained, so a busy address on one side (a listed exchange)
        costs only its dealings with the other side.
        """
        chain = Chain.parse(chain)
        a, b = sorted(set(these)), sorted(set(those))
        chunks = [
            (x[i : i + _IN_CHUNK], y[j : j + _IN_CHUNK])
            for x, y in ((a, b), (b, a))
            for i in range(0, len(x), _IN_CHUNK)
            for j in range(0, len(y), _IN_CHUNK)
        ]
        if not chunks:
            return TransferTable.empty(chain)
        condition = sa.or_(
            *(
                sa.and_(transfers.c.chain == chain.value, transfers.c.sender.in_(x), transfers.c.receiver.in_(y))
                for x, y in chunks
            )
        )
        with self.engine.connect() as conn:
            rows = _plain_rows(conn, sa.select(*_COLUMNS).where(condition))
        return table_from_chunks(chain, [rows])

    def sources_of(self, chain: Chain | str, address: str) -> list[str]:
        """Where the stored transfers of ``address`` came from (demo, an import, an API)."""
        chain = Chain.parse(chain)
        query = (
            sa.select(transfers.c.source)
            .where(
                sa.or_(
                    sa.and_(transfers.c.chain == chain.value, transfers.c.sender == address),
                    sa.and_(transfers.c.chain == chain.value, transfers.c.receiver == address),
                )
            )
            .distinct()
        )
        with self.engine.connect() as conn:
            return sorted(conn.execute(query).scalars())

    def has_transfers(self, chain: Chain | str, address: str, *, sent: bool) -> bool:
        """Whether any transfer ``sent`` (else received) by ``address`` is stored (one index lookup)."""
        column = transfers.c.sender if sent else transfers.c.receiver
        query = sa.select(transfers.c.id).where(transfers.c.chain == Chain.parse(chain).value, column == address)
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def count_transfers(self, source: str | None = None) -> int:
        """How many transfers are stored (from one source, if given)."""
        query = sa.select(sa.func.count()).select_from(transfers)
        if source is not None:
            query = query.where(transfers.c.source == source)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def delete_source(self, source: str) -> int:
        """Remove the transfers and labels that came from ``source``; return transfers removed."""
        with self.engine.begin() as conn:
            conn.execute(labels.delete().where(labels.c.source == source))
            return conn.execute(transfers.delete().where(transfers.c.source == source)).rowcount

    # -- labels ---------------------------------------------------------------------------
    def add_labels(self, items: Iterable[Label], *, conn: sa.Connection | None = None) -> int:
        """Store labels; return how many were new (a known statement is kept as it is)."""
        rows = [label_row(lb) for lb in items]
        if not rows:
            return 0
        dialect = sqlite if self.engine.dialect.name == "sqlite" else postgresql
        insert = dialect.insert(labels).on_conflict_do_nothing(
            index_elements=["chain", "address", "category", "source", "name"]
        )
        count = sa.select(sa.func.count()).select_from(labels)
        with self.engine.begin() if conn is None else nullcontext(conn) as c:
            before = c.execute(count).scalar_one()
            for start in range(0, len(rows), INSERT_CHUNK):
                c.execute(insert, rows[start : start + INSERT_CHUNK])
            return c.execute(count).scalar_one() - before

    def stored_labels(self, chain: Chain | str | None = None) -> list[Label]:
        """Every stored label (of one chain, if given; a chain the product does not read by its name)."""
        query = sa.select(labels)
        if chain is not None:
            query = query.where(labels.c.chain == str(chain))
        with self.engine.connect() as conn:
            return [label_from_row(r) for r in conn.execute(query).mappings()]

    def label_index(self, chain: Chain | str | None = None, *, builtin: bool = True) -> LabelIndex:
        """All labels (of one chain, if given) as an in-memory index.

        Labels of chains the product does not read (from sanctions lists) are
        kept under their chain's name.

        With ``builtin``, the shipped OFAC SDN snapshot stands in for the stored
        OFAC list when it is newer (or none was stored): a fresh install screens.
        """
        chain = Chain.parse(chain) if chain is not None else None
        stored = self.stored_labels(chain)
        if builtin and self.shipped_list_in_use():
            shipped = [lb for lb in snapshot_labels() if chain is None or lb.chain == chain]
            stored = [lb for lb in stored if lb.source != OFAC_LIST] + shipped
        return LabelIndex(stored)

    def shipped_list_in_use(self) -> bool:
        """Whether the shipped OFAC SDN snapshot stands in for the stored OFAC list (it is newer, or none is stored)."""
        query = sa.select(sa.func.max(labels.c.list_version)).where(labels.c.source == OFAC_LIST)
        with self.engine.connect() as conn:
            stored_version = conn.execute(query).scalar_one_or_none() or ""
        return snapshot_version() > stored_version


_LABEL_FIELDS = tuple(f.name for f in fields(Label) if f.name != "id")


def label_row(label: Label) -> dict:
    """A label as a row of the labels table."""
    row = {name: getattr(label, name) for name in _LABEL_FIELDS}
    row["chain"] = str(label.chain)
    return row


def label_from_row(row) -> Label:
    """A row of the labels table as a label (the chain a :class:`Chain` when the product reads it)."""
    values = {name: row[name] for name in _LABEL_FIELDS}
    chain = values.pop("chain")
    values["chain"] = Chain(chain) if chain in Chain._value2member_map_ else chain
    return Label(id=int(row["id"]), **values)
