"""Done when: after importing the TagPacks, traces over the real Ronin exploit data stop at labelled exits
and name them; the exploiter and its listed peers are named where the funds went."""

import csv
import json
from datetime import datetime

import pytest

from tracing.cli import main

EXPLOITER = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
BINANCE = "0x4976a4a02f38326660d17bf34b431dc6e2eb2327"  # Binance reserve wallet: it paid the exploiter its gas


@pytest.fixture(scope="module")
def ronin_db(tmp_path_factory):
    from tests.conftest import SHARED_DATA

    source = SHARED_DATA / "transfers" / "ronin-exploit" / "LazarusTabularTxs1322519.csv"
    packs = sorted((SHARED_DATA / "labels" / "graphsense-tagpacks").glob("*.yaml"))
    if not source.exists() or not packs:
        pytest.skip("the Ronin export or the TagPacks are absent")
    folder = tmp_path_factory.mktemp("ronin")
    generic = folder / "ronin.csv"
    with source.open() as f, generic.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["chain", "tx_hash", "index", "block", "timestamp", "from", "to", "asset", "contract", "decimals", "amount"]
        )
        for i, row in enumerate(csv.DictReader(f)):
            when = int(datetime.fromisoformat(row["block_time"]).timestamp())
            amount = f"{float(row['total_eth']):.18f}"
            writer.writerow(["ethereum", f"0x{i:064x}", 0, when, when, row["from"].replace("\\x", "0x"),
                             row["to"].replace("\\x", "0x"), "ETH", "", 18, amount])  # fmt: skip
    db = f"sqlite:///{folder / 'ronin.db'}"
    assert main(["--database", db, "import", str(generic)]) == 0
    for pack in packs:
        assert main(["--database", db, "labels", "import", str(pack)]) == 0
    return db


def test_the_exploiters_funds_are_traced_back_to_the_exchange_that_paid_it_and_stop_there(ronin_db, capsys):
    capsys.readouterr()
    assert main(["--database", ronin_db, "trace", EXPLOITER, "--direction", "backward", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    exits = {e["address"].lower(): e for e in doc["exits"]}
    assert BINANCE in exits and exits[BINANCE]["category"] == "exchange" and exits[BINANCE]["hop"] == 1
    assert exits[BINANCE]["label"].lower().startswith("binance")
    # an exit ends the trace: nothing that paid Binance is followed
    assert all(row["hop"] <= 1 for row in doc["addresses"] if row["address"].lower() == BINANCE)


def test_where_the_exploiter_sent_funds_the_labelled_addresses_are_named(ronin_db, capsys):
    capsys.readouterr()
    assert main(["--database", ronin_db, "trace", EXPLOITER, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    named = {row["address"].lower(): row for row in doc["addresses"] if row.get("label")}
    # the exploiter's other addresses, from the Ronin TagPack, are named as hack addresses on the way
    assert any(r["label"].startswith("Ronin bridge exploiter") and r["category"] == "hack" for r in named.values())
    capsys.readouterr()
    assert main(["--database", ronin_db, "sanctions", "check", EXPLOITER, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["listed"] and any("Lazarus" in e["entity"] for e in listed["entries"])
