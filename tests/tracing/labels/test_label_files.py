"""Label files: every shared TagPack imports, the taxonomy maps onto our categories, CSV and JSON round-trip."""

import json

import pytest

from tracing.errors import ImportFormatError
from tracing.labels import Label, load_sanctions_file
from tracing.labels.files import labels_text, read_labels
from tracing.labels.tagpack import category_of, read_tagpack
from tracing.model import Chain

TRON_LISTED = "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM"
ETH = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"


def test_every_shared_tagpack_imports(shared_data):
    packs = sorted((shared_data / "labels" / "graphsense-tagpacks").glob("*.yaml"))
    assert len(packs) >= 15
    read = {p.name: read_tagpack(p) for p in packs}
    assert all(r.labels for r in read.values())
    by_name = {name: {lb.category for lb in r.labels} for name, r in read.items()}
    assert by_name["tornado_cash.yaml"] == {"mixer"} and by_name["ronin_bridge.yaml"] == {"hack"}
    assert by_name["lazarus.yaml"] == {"sanctioned"}  # abuse: sanction wins over category: user
    assert by_name["hacks.yaml"] >= {"exchange", "hack"}
    binance = read["exchange-wallets-binance.yaml"]
    tron = [lb for lb in binance.labels if lb.chain is Chain.TRON]
    assert tron and all(lb.actor == "binance" and lb.category == "exchange" and lb.confidence == 85 for lb in tron)
    # BEP2/BEP20 tags are chains the product does not read: skipped with the reason, never guessed
    assert any("currency BEP2: a chain the product does not read" in s for s in binance.skipped)
    ronin = read["ronin_bridge.yaml"].labels
    assert {lb.address for lb in ronin} >= {ETH} and all(lb.source == "tagpack:ronin_bridge.yaml" for lb in ronin)


@pytest.mark.parametrize(
    ("category", "abuse", "expected"),
    [
        ("exchange", None, ("exchange", "")),
        ("user", "sanction", ("sanctioned", "")),
        (None, "service_hack", ("hack", "")),
        ("defi_lending", None, ("defi", "")),
        ("mixing_service", None, ("mixer", "")),
        ("extremism", None, ("other", "extremism")),
    ],
)
def test_taxonomy(category, abuse, expected):
    assert category_of(category, abuse) == expected


def test_a_tagpack_inherits_header_fields_and_reports_bad_tags(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "title: Test pack\ncategory: exchange\nconfidence: web_crawl\ncurrency: TRX\nactor: acme\nlabel: Acme\n"
        f"tags:\n- address: {TRON_LISTED}\n- address: {TRON_LISTED[:-1]}X\n"
        f"- address: '{ETH}'\n  currency: ETH\n  abuse: scam\n  label: Fake Acme\n- currency: ETH\n"
    )
    read = read_tagpack(pack)
    assert [(lb.chain, lb.name, lb.category, lb.confidence, lb.actor) for lb in read.labels] == [
        (Chain.TRON, "Acme", "exchange", 50, "acme"),
        (Chain.ETHEREUM, "Fake Acme", "scam", 50, "acme"),
    ]
    assert read.skipped[0].startswith("tag 2:") and "checksum" in read.skipped[0]
    assert read.skipped[1] == "tag 4: no address"
    (tmp_path / "bad.yaml").write_text("just: a mapping\n")
    with pytest.raises(ImportFormatError, match="'tags' list"):
        read_tagpack(tmp_path / "bad.yaml")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_round_trip(tmp_path, fmt):
    labels = [
        Label(
            Chain.TRON,
            TRON_LISTED,
            "Garantex, Moscow",
            "exchange",
            "manual",
            'a "quoted" note',
            70,
            "garantex",
            added_by="alice",
            added_at=1_700_000_000,
        ),
        Label(Chain.ETHEREUM, ETH, "Ronin exploiter", "hack", "manual", reference="R1"),
    ]
    path = tmp_path / f"labels.{fmt}"
    path.write_text(labels_text(labels, fmt))
    read = read_labels(path)
    assert read.labels == labels and read.skipped == []


def test_bad_rows_are_listed_with_their_line_and_reason(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(
        "address,name,category\n"
        f"{TRON_LISTED},A,exchange\n"
        f"{TRON_LISTED},B,casino\n"
        f"{ETH.replace('0x098b', '0x098B')},C,exchange\n"
        ",D,exchange\n"
    )
    read = read_labels(path)
    assert len(read.labels) == 1
    assert read.skipped[0].startswith("line 3: category 'casino' is not one of")
    assert read.skipped[1].startswith("line 4:") and "checksum" in read.skipped[1]
    assert read.skipped[2].startswith("line 5:")
    (tmp_path / "x.json").write_text(json.dumps({"nope": 1}))
    with pytest.raises(ImportFormatError, match="list of label objects"):
        read_labels(tmp_path / "x.json")


def test_other_lists_are_named_after_themselves_and_unsupported_chains_are_refused(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "asset,address,sdn_fixed_ref,sdn_primary_name,programs,entry_date\n"
        f"TRX,{TRON_LISTED},1,Bad Actor,P1,2024-01-01\n"
        "BSV,12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9,2,Someone,P2,2024-01-02\n"
        f"ETH,{ETH.replace('0x098b', '0x098B')},3,Checksum,P3,2024-01-03\n"
    )
    read = load_sanctions_file(path, source="EU list")
    by_chain = {str(lb.chain): lb for lb in read.labels}
    assert by_chain["tron"].source == "EU list" and by_chain["tron"].name == "Bad Actor"
    assert "bitcoin" not in by_chain and by_chain["bitcoin-sv"].address == "12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9"
    assert len(read.skipped) == 1 and read.skipped[0].startswith("line 4:") and "checksum" in read.skipped[0]
    plain = tmp_path / "plain.txt"
    plain.write_text(f"# a comment\n{TRON_LISTED}\nLeKvNdNEzgQkzVVnRdV3fAu2DSF1nLsNw6\n")
    read = load_sanctions_file(plain)
    assert [lb.name for lb in read.labels] == ["plain.txt"] and read.skipped[0].startswith("line 3:")
    forced = load_sanctions_file(plain, chain="tron")
    assert len(forced.labels) == 1 and "not a valid tron address" in forced.skipped[0]
