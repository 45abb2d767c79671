"""Label exports: TagPack YAML that reads back, and every match exported (not one page)."""

import csv

import pytest

from tracing.cli import main
from tracing.errors import ImportFormatError
from tracing.labels import CATEGORIES, Label
from tracing.labels.files import export_format, labels_text, read_labels
from tracing.model import Chain
from tracing.sources.demo import demo_address

LITECOIN = "LQ3B36Yv2rBTxdgAdYpU2UcEZsaNwXeATk"


def test_a_tagpack_export_reads_back_with_every_category(tmp_path):
    labels = [
        Label(Chain.TRON, demo_address(Chain.TRON, c), f"Entity {c}", c, "manual", "a note", 90, f"actor-{c}")
        for c in CATEGORIES
    ]
    labels.append(Label(Chain.ETHEREUM, demo_address(Chain.ETHEREUM, "x"), "Lazarus", "sanctioned", "OFAC SDN"))
    path = tmp_path / "pack.yaml"
    path.write_text(labels_text([*labels, Label("litecoin", LITECOIN, "LTC seller", "scam", "list")], "tagpack"))
    read = read_labels(path)
    assert [(lb.chain, lb.address, lb.name, lb.category) for lb in read.labels] == [
        (lb.chain, lb.address, lb.name, lb.category) for lb in labels
    ]
    assert read.labels[0].actor == "actor-sanctioned" and read.labels[0].confidence == 90  # forensic
    assert len(read.skipped) == 1 and "LTC" in read.skipped[0]  # kept with its currency, refused on import


def test_export_formats_follow_the_extension():
    assert [export_format(s) for s in (".csv", ".JSON", ".yaml", ".yml")] == ["csv", "json", "tagpack", "tagpack"]
    with pytest.raises(ImportFormatError, match=r"\.csv, \.json or \.yaml"):
        export_format(".xlsx")


def test_the_cli_exports_every_match_not_one_page(store, tmp_path, capsys):
    many = [Label(Chain.TRON, demo_address(Chain.TRON, f"w{i}"), f"Wallet {i}", "service", "bulk") for i in range(1200)]
    store.add_labels(many)
    db = store.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "all.csv"
    assert main(["--database", db, "labels", "list", "--source", "bulk", "--export", str(out)]) == 0
    assert "1200 labels written" in capsys.readouterr().out
    assert (
        len(list(csv.DictReader(out.read_text().splitlines()))) == 1200
    )  # the search's page cap (1000) does not cut an export
