"""The store on SQLite and PostgreSQL: idempotent imports, exact amounts, atomic writes, migrations."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracing.errors import StoreUnavailable
from tracing.labels import Label
from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset
from tracing.store import batches
from tracing.store.schema import metadata
from tracing.store.writer import _insert_rows
from tracing.testing import make_table

WEI = Asset("ETH", "native", 18)
A, B = "0x" + "a" * 40, "0x" + "b" * 40


def test_importing_twice_stores_once(any_store):
    table = make_table([1.5, 2.25, 3.0], senders=["A", "B", "A"], receivers=["B", "A", "C"])
    assert any_store.add_transfers(table, "first") == 3
    assert any_store.add_transfers(table, "second") == 0
    assert any_store.count_transfers() == 3
    assert any_store.sources_of(Chain.TRON, "A") == ["first"]


def test_round_trip_keeps_amounts_exact_above_two_to_the_64(any_store):
    big = 123_456_789 * 10**18 + 1
    table = TransferTable.from_columns(
        Chain.ETHEREUM,
        tx_hash=["0x01", "0x01"],
        index=[0, 1],
        block=[5, 5],
        timestamp=[1_700_000_000] * 2,
        sender=[A, B],
        receiver=[B, A],
        asset=[WEI, WEI],
        amount=[big, 1],
    )
    any_store.add_transfers(table, "t")
    back = any_store.transfers_of(Chain.ETHEREUM, A).sorted()
    assert [int(x) for x in back.amount] == [big, 1]
    assert back.assets == (WEI,)
    assert back.index.tolist() == [0, 1]


def test_queries_filter_by_party_and_time(any_store):
    table = make_table(
        [1, 2, 3, 4], times=[100, 200, 300, 400], senders=["A", "B", "C", "A"], receivers=["B", "C", "A", "D"]
    )
    any_store.add_transfers(table, "t")
    assert any_store.transfers_of("tron", "A").value.tolist() == [1, 3, 4]
    got = any_store.transfers_where("tron", senders=["B"], receivers=["D"], since=150, until=450)
    assert sorted(got.value.tolist()) == [2, 4]
    many = [f"N{i}" for i in range(1200)] + ["C"]  # more than one IN (...) chunk
    assert any_store.transfers_where("tron", senders=many).value.tolist() == [3]


def test_transfers_between_two_groups_in_either_direction(any_store):
    table = make_table([1, 2, 3, 4], senders=["L", "P", "L", "Q"], receivers=["P", "L", "Q", "R"])
    any_store.add_transfers(table, "t")
    got = any_store.transfers_between("tron", ["L"], ["P"] + [f"N{i}" for i in range(600)])
    assert sorted(got.value.tolist()) == [1, 2]
    assert len(any_store.transfers_between("tron", [], ["P"])) == 0


def test_a_failed_write_leaves_nothing(any_store, monkeypatch):
    table = make_table([1.0] * 5001, times=list(range(5001)))  # two insert chunks
    real_insert, calls = batches.insert_new, []

    def failing_second_chunk(conn, rows):
        calls.append(1)
        return (
            real_insert(conn, rows)
            if len(calls) == 1
            else conn.execute(sa.text("insert into no_such_table values (1)"))
        )

    monkeypatch.setattr(batches, "insert_new", failing_second_chunk)
    with pytest.raises(sa.exc.DBAPIError):
        any_store.add_transfers(table, "t")
    assert len(calls) == 2
    assert any_store.count_transfers() == 0


def test_texts_that_copy_escapes_are_stored_as_given(any_store):
    odd = ["back\\slash", "\\N", 'quote"s', "accént €", "semi;colon,comma"]
    table = make_table([1.0] * len(odd), senders=odd, receivers=odd[::-1])
    source = 'C:\\exports\\\\N "Q1" é.csv'
    assert any_store.add_transfers(table, source) == len(odd)
    assert any_store.add_transfers(table, source) == 0
    back = any_store.transfers_on(Chain.TRON)
    assert sorted(zip(back.sender, back.receiver)) == sorted(zip(odd, odd[::-1]))
    assert any_store.sources_of(Chain.TRON, "\\N") == [source]


@pytest.mark.parametrize(  # only PostgreSQL copies a batch
    "empty_database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_connection_lost_while_copying_a_batch_is_store_unavailable(any_store):
    rows = _insert_rows(make_table([1.0, 2.0, 3.0]), "t", 0, 3)

    class KillingRows(list):  # the server ends the writer's session after the first row is copied
        def __iter__(self):
            yield self[0]
            with any_store.engine.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            yield from self[1:]

    with pytest.raises(StoreUnavailable), any_store.engine.begin() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        batches.insert_new(conn, KillingRows(rows))
    assert any_store.count_transfers() == 0


def test_labels_and_deleting_a_source(any_store):
    labels = [
        Label(Chain.TRON, "A", "Exchange", "exchange", "demo"),
        Label(Chain.TRON, "B", "Bad", "sanctioned", "list"),
    ]
    assert any_store.add_labels(labels) == 2
    assert any_store.add_labels(labels) == 0
    index = any_store.label_index(Chain.TRON)
    assert index.sanctioned(Chain.TRON, "B")[0].name == "Bad" and not index.sanctioned(Chain.TRON, "A")
    any_store.add_transfers(make_table([1]), "demo")
    assert any_store.delete_source("demo") == 1
    assert len(any_store.label_index(builtin=False)) == 1


def test_migrations_build_exactly_the_declared_schema(any_store):
    with any_store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_reopening_an_existing_database_keeps_its_data(tmp_path):
    from tracing.store import Store

    url = f"sqlite:///{tmp_path / 'again.db'}"
    first = Store(url)
    first.add_transfers(make_table([1, 2]), "t")
    first.close()
    second = Store(url)
    assert second.count_transfers() == 2
    second.close()


def test_processes_opening_a_new_database_together_migrate_it_once(empty_database_url):
    """gunicorn's workers start together on a fresh database: each one used to create the tables too."""
    import subprocess
    import sys
    from pathlib import Path

    from tracing.store import Store

    opener = "import sys; from tracing.store import Store; Store(sys.argv[1]).close()"
    root = Path(__file__).resolve().parents[2]
    workers = [
        subprocess.Popen([sys.executable, "-c", opener, empty_database_url], cwd=root, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    answers = [(w.communicate(timeout=120)[1], w.returncode) for w in workers]
    failures = [err.decode()[-300:] for err, status in answers if status != 0]
    assert failures == []  # "table transfers already exists" / "duplicate key ... pg_type_typname_nsp_index"
    store = Store(empty_database_url)
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    store.close()
