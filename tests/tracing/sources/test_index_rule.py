"""One index rule for token transfers: a transfer imported from a CSV export and fetched from the API is stored once.

TronScan and Etherscan exports carry no log index, nor do TronGrid's trc20 listing
and Etherscan's ``tokentx``: both paths derive the index from what the transfer is
(:class:`tracing.sources.base.TokenIndexes`), and number identical transfers of one
transaction the same way.
"""

import csv
import re
from datetime import UTC, datetime

import pytest

from tracing.encodings import eip55
from tracing.investigate.imports import import_transfers
from tracing.investigate.refresh import fetch_history
from tracing.model.transfer import parse_units
from tracing.sources.etherscan import Etherscan
from tracing.sources.files import open_transfers, parse_transfers, read_transfers
from tracing.sources.simulated.ethereum import serve_etherscan, token_row
from tracing.sources.simulated.tron import serve_trongrid, trc20_item
from tracing.sources.trongrid import TronGrid

USDT_TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
USDT_ETH = "0xdac17f958d2ee523a2206206994597c13d831ec7"
TRON_A, TRON_B = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs", "TTGyhRZxZRcDz4M1bBwrsiKkZNS2GRYfWn"
ETH_A, ETH_B = "0x5754284f345afc66a98fbb0a0afe71e0f007b949", "0x3ad8ed749d1fef1192f3e78610316728d5edc961"
TRON_HEADER = "transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant\n"
ETH_HEADER = '"Txhash","UnixTimestamp","DateTime","From","To","Value","ContractAddress","TokenName","TokenSymbol"\n'
TRON_TX, ETH_TX = "ab" * 32, "0x" + "cd" * 32
WHEN = 1_623_406_878  # 2021-06-11 10:21:18 UTC


def tron_row(quant: str = "6301180.295034") -> str:
    """A row as TronScan exports it (``block_ts`` in UTC, ``quant`` in token units)."""
    return f"{TRON_TX},30980909,2021/06/11 10:21:18,{TRON_B},{TRON_A},true,SUCCESS,{quant}\n"


def eth_row(value: str = "2,000,000.5") -> str:
    """A row as Etherscan exports it: quoted, thousands separators, checksummed addresses here."""
    fields = [ETH_TX, str(WHEN), "2021-06-11 10:21:18", eip55(ETH_A[2:]), ETH_B, value, USDT_ETH, "Tether USD", "USDT"]
    return ",".join(f'"{f}"' for f in fields) + ',""\n'


def imported(store, text: str) -> int:
    """Import ``text`` as the upload page and the CLI do; the number of new transfers."""
    return import_transfers(store, open_transfers(text.encode()), "test", actor="tester").new


@pytest.fixture
def trongrid(settings):
    return TronGrid(settings, page_size=200, sleep=lambda s: None)


@pytest.fixture
def etherscan(settings):
    return Etherscan(settings, page_size=1000, sleep=lambda s: None)


def test_a_tronscan_row_then_trongrid_stores_one_transfer(stub, store, trongrid):
    assert imported(store, TRON_HEADER + tron_row()) == 1
    serve_trongrid(stub, TRON_A, [trc20_item(TRON_TX, TRON_B, TRON_A, 6_301_180_295_034, WHEN * 1000)], [])
    summary = fetch_history(store, trongrid, TRON_A)
    assert (summary.new, summary.known, store.count_transfers()) == (0, 1, 1)


def test_a_fetched_transfer_that_disagrees_with_the_imported_one_is_reported_and_audited(stub, store, trongrid):
    """The API dates the transfer an hour later than the export: kept as stored, said, and in the audit log."""
    from tracing.audit import AuditLog

    assert imported(store, TRON_HEADER + tron_row()) == 1
    serve_trongrid(stub, TRON_A, [trc20_item(TRON_TX, TRON_B, TRON_A, 6_301_180_295_034, (WHEN + 3600) * 1000)], [])
    summary = fetch_history(store, trongrid, TRON_A)
    assert (summary.new, summary.known, summary.disagreeing) == (0, 0, 1)
    assert f"timestamp stored {WHEN}, API {WHEN + 3600}" in summary.describe()
    assert int(store.transfers_of("tron", TRON_A).timestamp[0]) == WHEN  # the stored transfer stays
    (entry,) = AuditLog(store).entries(action="transfers.fetch_clash")
    assert entry.detail_dict["rows"] == 1 and TRON_TX in entry.detail_dict["first"][0]


def test_trongrid_then_a_tronscan_row_stores_one_transfer(stub, store, trongrid):
    serve_trongrid(stub, TRON_A, [trc20_item(TRON_TX, TRON_B, TRON_A, 6_301_180_295_034, WHEN * 1000)], [])
    assert fetch_history(store, trongrid, TRON_A).new == 1
    assert imported(store, TRON_HEADER + tron_row()) == 0 and store.count_transfers() == 1


def test_an_etherscan_row_then_tokentx_stores_one_transfer(stub, store, etherscan):
    assert imported(store, ETH_HEADER + eth_row()) == 1
    row = token_row(ETH_TX, ETH_A, ETH_B, 2_000_000_500_000, WHEN, 12_600_000, contract=USDT_ETH)
    serve_etherscan(stub, {"tokentx": [row]})
    summary = fetch_history(store, etherscan, ETH_A)
    assert (summary.new, summary.known, store.count_transfers()) == (0, 1, 1)


def test_two_identical_tron_transfers_in_one_transaction_stay_two_on_both_paths(stub, store, trongrid):
    assert imported(store, TRON_HEADER + tron_row("5.000000") * 2) == 2
    item = trc20_item(TRON_TX, TRON_B, TRON_A, 5_000_000, WHEN * 1000)
    serve_trongrid(stub, TRON_A, [item, dict(item)], [])
    summary = fetch_history(store, trongrid, TRON_A)
    assert (summary.new, summary.known, store.count_transfers()) == (0, 2, 2)


def test_two_identical_erc20_transfers_in_one_transaction_stay_two_on_both_paths(stub, store, etherscan):
    row = token_row(ETH_TX, ETH_A, ETH_B, 7_000_000, WHEN, 12_600_000, contract=USDT_ETH)
    serve_etherscan(stub, {"tokentx": [row, dict(row)]})
    assert fetch_history(store, etherscan, ETH_A).new == 2
    assert imported(store, ETH_HEADER + eth_row("7") * 2) == 0 and store.count_transfers() == 2
    assert imported(store, ETH_HEADER + eth_row("7") * 3) == 1  # a third one is a third transfer


def test_transfers_differing_only_in_amount_keep_their_own_index(store):
    result = parse_transfers((ETH_HEADER + eth_row("1") + eth_row("2")).encode())
    assert len(set(result.tables[next(iter(result.tables))].index.tolist())) == 2


def _tron_items(path) -> list[dict]:
    """The rows of a real TronScan export as TronGrid's trc20 listing would give them."""
    items = []
    for row in csv.DictReader(path.read_text().splitlines()):
        if row["contractRet"] != "SUCCESS" or not re.fullmatch(r"\d+(\.\d{6})?", row["quant"]):
            continue  # the importer skips these (failed, or another token's transfer)
        when = datetime.strptime(row["block_ts"], "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
        value = parse_units(row["quant"], 6)
        items.append(
            trc20_item(
                row["transaction_id"], row["from_address"], row["to_address"], value, int(when.timestamp()) * 1000
            )
        )
    return items


def test_a_real_tronscan_export_then_trongrid_adds_nothing(stub, store, trongrid, shared_data):
    path = shared_data / "transfers" / "tron-usdt-treasury" / "tron.csv"
    first = import_transfers(store, open_transfers(path), "tron.csv", actor="tester").new
    items = _tron_items(path)
    serve_trongrid(stub, TRON_A, items, [])
    summary = fetch_history(store, trongrid, TRON_A)
    assert first == len(items) > 1000
    assert (summary.new, summary.known, store.count_transfers()) == (0, first, first)


def test_a_real_etherscan_export_then_tokentx_adds_nothing(stub, store, etherscan, shared_data):
    path = shared_data / "transfers" / "erc20-exports" / "eth.csv"
    result = read_transfers(path)
    first = import_transfers(store, open_transfers(path), "eth.csv", actor="tester").new
    # the export omits decimals: the API is given the ones the importer used (known, or read off the values)
    decimals = {a.contract: a.decimals for table in result.tables.values() for a in table.assets}
    rows = []
    for r in csv.DictReader(path.read_text().splitlines()):
        places = decimals[r["ContractAddress"]]
        value, when = parse_units(r["Value"], places), int(r["UnixTimestamp"])
        rows.append(
            token_row(
                r["Txhash"],
                r["From"],
                r["To"],
                value,
                when,
                1,
                contract=r["ContractAddress"],
                symbol=r["TokenSymbol"],
                decimals=places,
            )
        )
    serve_etherscan(stub, {"tokentx": rows})
    summary = fetch_history(store, etherscan, ETH_A)
    assert first == 2827 and (summary.new, summary.known, store.count_transfers()) == (0, first, first)
    assert summary.disagreeing == 0  # each fetched transfer is the imported one, field for field
