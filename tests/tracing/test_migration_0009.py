"""Migration 0009: rows imported from TronScan and Etherscan exports under the old index rule take the new one."""

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from tracing.investigate.imports import import_transfers
from tracing.sources.base import transfer_index
from tracing.sources.files import open_transfers
from tracing.store import Store
from tracing.store.database import _MIGRATIONS
from tracing.store.schema import case_items, cases, transfers

USDT_TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
USDT_ETH = "0xdac17f958d2ee523a2206206994597c13d831ec7"
TA, TB = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs", "TTGyhRZxZRcDz4M1bBwrsiKkZNS2GRYfWn"
EA, EB = "0x5754284f345afc66a98fbb0a0afe71e0f007b949", "0x3ad8ed749d1fef1192f3e78610316728d5edc961"
T1, T2, E1 = "a1" * 32, "a2" * 32, "0x" + "e1" * 32


def row(chain, tx, idx, sender, receiver, contract, amount, source, symbol="USDT"):
    return {
        "chain": chain,
        "tx_hash": tx,
        "idx": idx,
        "block": 1,
        "timestamp": 1_600_000_000,
        "sender": sender,
        "receiver": receiver,
        "symbol": symbol,
        "contract": contract,
        "decimals": 6,
        "amount": str(amount),
        "value": amount / 1e6,
        "source": source,
    }


def database_at_0008(url: str) -> None:
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    engine.dispose()


def test_old_imports_are_reindexed_merged_with_fetched_rows_and_cases_follow(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    database_at_0008(url)
    rows = [
        row("tron", T1, 0, TA, TB, USDT_TRON, 5_000_000, "import:tronscan-csv:tron.csv"),  # old rule: 0
        row("tron", T1, transfer_index(USDT_TRON, TA, TB, 5_000_000), TA, TB, USDT_TRON, 5_000_000, "api:trongrid"),
        row("tron", T2, 0, TB, TA, USDT_TRON, 7, "import:tronscan-csv:tron.csv"),
        row("ethereum", E1, 0, EA, EB, USDT_ETH, 9, "import:etherscan-csv:eth.csv"),  # old rule: 0, 1, 2 in the tx
        row("ethereum", E1, 1, EA, EB, USDT_ETH, 9, "import:etherscan-csv:eth.csv"),  # an identical second one
        row("ethereum", E1, 2, EB, EA, USDT_ETH, 3, "import:etherscan-csv:eth.csv"),
        row("tron", T2, 5, TA, TB, USDT_TRON, 1, "import:generic-csv:mine.csv"),  # its own index: untouched
    ]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(transfers.insert(), rows)
        case = conn.execute(
            cases.insert().values(title="c", status="open", owner="x", created_at=1, updated_at=1)
        ).inserted_primary_key[0]
        item = {"case_id": case, "kind": "transfer", "chain": "ethereum", "address": EA, "added_by": "x", "added_at": 1}
        conn.execute(case_items.insert(), [{**item, "ref": f"{E1}:2"}, {**item, "kind": "address", "ref": ""}])
    engine.dispose()

    store = Store(url)  # migrates to head
    with store.engine.connect() as conn:
        stored = {(r.tx_hash, r.idx, r.source) for r in conn.execute(sa.select(transfers))}
        refs = [r.ref for r in conn.execute(sa.select(case_items.c.ref).where(case_items.c.kind == "transfer"))]
    assert stored == {
        (T1, transfer_index(USDT_TRON, TA, TB, 5_000_000), "api:trongrid"),  # the imported copy was the same transfer
        (T2, transfer_index(USDT_TRON, TB, TA, 7), "import:tronscan-csv:tron.csv"),
        (E1, transfer_index(USDT_ETH, EA, EB, 9), "import:etherscan-csv:eth.csv"),
        (E1, transfer_index(USDT_ETH, EA, EB, 9, 1), "import:etherscan-csv:eth.csv"),
        (E1, transfer_index(USDT_ETH, EB, EA, 3), "import:etherscan-csv:eth.csv"),
        (T2, 5, "import:generic-csv:mine.csv"),
    }
    assert refs == [f"{E1}:{transfer_index(USDT_ETH, EB, EA, 3)}"]
    # importing the same export again now finds every transfer stored
    header = "transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant\n"
    again = f"{header}{T1},1,1600000000,{TA},{TB},true,SUCCESS,5.000000\n{T2},1,1600000000,{TB},{TA},true,SUCCESS,0.000007\n"
    assert import_transfers(store, open_transfers(again.encode()), "again", actor="tester").new == 0
    store.close()
