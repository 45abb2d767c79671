"""The label store: add, edit, remove, search, replace a list; every change audit-logged; the CLI on top."""

import json

import pytest

from tracing.audit import AuditLog
from tracing.cli import main
from tracing.errors import InvalidAddress, TracingError
from tracing.labels import Label
from tracing.model import Chain
from tracing.store import Store
from tracing.store.label_store import LabelNotFound, LabelStore

ADDRESS = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"


def test_add_edit_remove_keep_provenance_and_are_audited(any_store):
    labels, log = LabelStore(any_store), AuditLog(any_store)
    added = labels.add(Label(Chain.TRON, ADDRESS, "Tether Treasury", "service", "manual"), "alice", now=100)
    assert added.id > 0 and (added.added_by, added.added_at) == ("alice", 100)
    assert any_store.label_index(builtin=False).of(Chain.TRON, ADDRESS)[0].name == "Tether Treasury"
    with pytest.raises(TracingError, match="already carries"):
        labels.add(Label(Chain.TRON, ADDRESS, "Tether Treasury", "service", "manual"), "bob")
    edited = labels.update(added.id, "bob", category="exchange", confidence=90, now=200)
    assert (edited.category, edited.confidence, edited.added_by) == ("exchange", 90, "alice")
    with pytest.raises(TracingError, match="cannot change address"):
        labels.update(added.id, "bob", address="T")
    with pytest.raises(TracingError, match="not one of"):
        labels.update(added.id, "bob", category="casino")
    removed = labels.remove(added.id, "carol", now=300)
    assert removed.category == "exchange" and not any_store.label_index(builtin=False).of(Chain.TRON, ADDRESS)
    with pytest.raises(LabelNotFound):
        labels.remove(added.id, "carol")
    entries = log.entries(object_type="label")
    assert [(e.action, e.actor) for e in entries] == [
        ("label.remove", "carol"),
        ("label.edit", "bob"),
        ("label.add", "alice"),
    ]
    assert entries[1].detail_dict["changes"]["category"] == {"before": "service", "after": "exchange"}
    assert entries[0].detail_dict["name"] == "Tether Treasury"  # what the removed label said stays in the log


def test_a_bad_address_is_refused_and_nothing_is_stored(store):
    with pytest.raises(InvalidAddress):
        LabelStore(store).add(Label(Chain.TRON, ADDRESS[:-1] + "x", "X", "exchange", "manual"), "alice")
    assert len(store.label_index(builtin=False)) == 0 and AuditLog(store).count() == 0


def test_search_pages_and_filters(store):
    labels = LabelStore(store)
    labels.import_labels(
        [Label(Chain.TRON, ADDRESS, f"Exchange {i}", "exchange", "pack") for i in range(30)]
        + [Label(Chain.ETHEREUM, "0x098b716b8aaf21512996dc57eb0615e2383e2f96", "Ronin exploiter", "hack", "pack")],
        "alice",
        "pack.yaml",
    )
    page = labels.search("exchange 1", limit=5)
    assert page.total == 11 and len(page.labels) == 5  # Exchange 1, 10-19
    assert labels.search("RONIN").total == 1 and labels.search(category="hack").labels[0].chain is Chain.ETHEREUM
    assert labels.search(chain="tron", limit=100, offset=25).total == 30
    assert AuditLog(store).entries(action="label.import")[0].detail_dict == {"read": 31, "new": 31}


def test_replacing_a_list_swaps_it_whole_and_keeps_other_labels(store):
    labels = LabelStore(store)
    labels.add(Label(Chain.TRON, ADDRESS, "Mine", "exchange", "manual"), "alice")
    labels.replace_list("EU", [Label(Chain.TRON, ADDRESS, "Old", "sanctioned", "x")], "alice", "2024-01-01")
    labels.replace_list("EU", [Label(Chain.TRON, ADDRESS, "New", "sanctioned", "x")], "bob", "2025-01-01")
    names = sorted(lb.name for lb in store.label_index(builtin=False).of(Chain.TRON, ADDRESS))
    assert names == ["Mine", "New"]
    assert labels.lists() == [("EU", "2025-01-01", 1)]


def test_cli_labels_import_list_export_add_remove(tmp_path, capsys, shared_data):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    pack = shared_data / "labels" / "graphsense-tagpacks" / "exchange-wallets-binance.yaml"
    assert main(["--database", db, "labels", "import", str(pack)]) == 0
    out, err = capsys.readouterr()
    assert "45 labels read (45 new); 41 entries skipped" in out and "currency BEP2" in err
    assert main(["--database", db, "labels", "import", str(pack), "--format", "tagpack"]) == 0
    assert "(0 new)" in capsys.readouterr().out
    export = tmp_path / "out.json"
    assert main(["--database", db, "labels", "list", "--chain", "tron", "--export", str(export)]) == 0
    assert len(json.loads(export.read_text())["labels"]) == 9
    assert "9 labels written" in capsys.readouterr().out
    assert main(["--database", db, "labels", "add", ADDRESS, "--name", "Treasury", "--category", "service"]) == 0
    label_id = int(capsys.readouterr().out.split()[1])
    assert main(["--database", db, "labels", "list", "--search", "treasury"]) == 0
    assert "Treasury" in capsys.readouterr().out
    assert main(["--database", db, "labels", "remove", str(label_id)]) == 0
    assert main(["--database", db, "labels", "remove", str(label_id)]) == 2
    assert "no label with id" in capsys.readouterr().err
    store = Store(db)
    assert [e.action for e in AuditLog(store).entries()][:3] == ["label.remove", "label.add", "label.import"]
    store.close()


def test_cli_sanctions_load_names_the_list_and_lists_skipped_lines(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 's.db'}"
    path = tmp_path / "mylist.txt"
    path.write_text(f"{ADDRESS}\nLeKvNdNEzgQkzVVnRdV3fAu2DSF1nLsNw6\n")
    assert main(["--database", db, "sanctions", "load", str(path), "--source", "Demo list"]) == 0
    out, err = capsys.readouterr()
    assert "Demo list: 1 listed addresses read (1 new); 1 entries skipped" in out and err.startswith("skipped line 2:")
    assert main(["--database", db, "sanctions", "check", ADDRESS, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["listed"] and [e["list"] for e in doc["entries"]] == ["Demo list"]


def test_a_search_with_the_shipped_list_pages_past_the_stored_labels_until_a_newer_list_is_stored(store):
    from tracing.labels import OFAC_LIST
    from tracing.labels.snapshot import snapshot_labels, snapshot_version

    labels = LabelStore(store)
    labels.import_labels(
        [Label(Chain.TRON, ADDRESS, f"Garantex desk {i}", "exchange", "pack") for i in range(3)], "a", "p"
    )
    shipped = [lb for lb in snapshot_labels() if "garantex" in lb.name.lower()]
    assert len(shipped) >= 2
    everything = labels.search("garantex", shipped=True, limit=2)
    assert (everything.total, everything.shipped) == (3 + len(shipped), len(shipped))
    second = labels.search("garantex", shipped=True, limit=2, offset=2)  # one stored, then the list begins
    assert [lb.id > 0 for lb in second.labels] == [True, False] and second.labels[1] == shipped[0]
    assert labels.search("garantex").total == 3  # the store alone, as the CLI lists it
    newer = str(int(snapshot_version()[:4]) + 1) + snapshot_version()[4:]
    labels.replace_list(OFAC_LIST, [Label(Chain.TRON, ADDRESS, "X", "sanctioned", "x")], "a", newer)
    assert labels.search("garantex", shipped=True).shipped == 0  # a newer stored issue replaces the shipped one
