"""The OFAC SDN parser against the derived CSV, the shipped snapshot, and the done-when check on all 761 entries."""

import csv
import json

import pytest

from tracing.cli import main
from tracing.errors import ImportFormatError
from tracing.labels.ofac import parse_sdn_advanced, read_sdn_csv
from tracing.labels.snapshot import SNAPSHOT_CSV, snapshot_labels, snapshot_version
from tracing.model import Chain, TransferTable
from tracing.params import Parameters
from tracing.scoring import score_tables
from tracing.screening import check_address

SDN_XML = """<?xml version="1.0" encoding="utf-8"?>
<Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
  <DateOfIssue CalendarTypeID="1"><Year>2026</Year><Month>2</Month><Day>3</Day></DateOfIssue>
  <ReferenceValueSets><FeatureTypeValues>
    <FeatureType ID="887" FeatureTypeGroupID="1">Digital Currency Address - TRX</FeatureType>
    <FeatureType ID="344" FeatureTypeGroupID="1">Digital Currency Address - XBT</FeatureType>
    <FeatureType ID="13" FeatureTypeGroupID="1">SWIFT/BIC</FeatureType>
  </FeatureTypeValues></ReferenceValueSets>
  <DistinctParties>
    <DistinctParty FixedRef="7"><Profile ID="7"><Identity ID="1" Primary="true">
      <Alias AliasTypeID="1400" Primary="false"><DocumentedName><DocumentedNamePart>
        <NamePartValue>Alias Name</NamePartValue></DocumentedNamePart></DocumentedName></Alias>
      <Alias AliasTypeID="1403" Primary="true"><DocumentedName DocNameStatusID="1"><DocumentedNamePart>
        <NamePartValue>Doe</NamePartValue></DocumentedNamePart><DocumentedNamePart>
        <NamePartValue>John</NamePartValue></DocumentedNamePart></DocumentedName>
        <DocumentedName DocNameStatusID="2"><DocumentedNamePart>
        <NamePartValue>Dö Jöhn</NamePartValue></DocumentedNamePart></DocumentedName></Alias></Identity>
      <Feature ID="1" FeatureTypeID="13"><FeatureVersion><VersionDetail>KYCBKPPY</VersionDetail></FeatureVersion></Feature>
      <Feature ID="2" FeatureTypeID="887"><FeatureVersion><VersionDetail>TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM</VersionDetail></FeatureVersion></Feature>
    </Profile></DistinctParty>
    <DistinctParty FixedRef="8"><Profile ID="8"><Identity ID="2" Primary="true">
      <Alias AliasTypeID="1403" Primary="true"><DocumentedName><DocumentedNamePart>
        <NamePartValue>No Address Ltd</NamePartValue></DocumentedNamePart></DocumentedName></Alias></Identity>
    </Profile></DistinctParty>
  </DistinctParties>
  <SanctionsEntries>
    <SanctionsEntry ID="7" ProfileID="7" ListID="1550">
      <EntryEvent ID="7" EntryEventTypeID="1"><Comment /><Date><Year>2024</Year><Month>5</Month><Day>9</Day></Date></EntryEvent>
      <SanctionsMeasure ID="1" SanctionsTypeID="1705"><Comment>Block</Comment></SanctionsMeasure>
      <SanctionsMeasure ID="2" SanctionsTypeID="1"><Comment>SDGT</Comment></SanctionsMeasure>
      <SanctionsMeasure ID="3" SanctionsTypeID="1"><Comment>CYBER2</Comment></SanctionsMeasure>
    </SanctionsEntry>
  </SanctionsEntries>
</Sanctions>
"""


def test_a_small_advanced_file_gives_names_programs_and_dates(tmp_path):
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(SDN_XML)
    sdn = parse_sdn_advanced(path)
    assert sdn.published == "2026-02-03"
    assert [a.to_row() for a in sdn.addresses] == [
        {
            "asset": "TRX",
            "address": "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM",
            "sdn_fixed_ref": "7",
            "sdn_primary_name": "Doe John",  # the primary alias's first spelling only, parts in document order
            "programs": "CYBER2;SDGT",  # sanctions programs only (type 1), sorted
            "entry_date": "2024-05-09",
        }
    ]


@pytest.mark.parametrize("text", ["not xml at all", "<Sanctions><Other/></Sanctions>", SDN_XML[:400]])
def test_what_is_not_the_advanced_list_is_refused(tmp_path, text):
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(ImportFormatError, match="sdn_advanced"):
        parse_sdn_advanced(path)


@pytest.fixture(scope="module")
def derived(request):
    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / "ofac" / "derived_sdn_digital_currency_addresses.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_shipped_snapshot_equals_the_derived_csv_row_for_row_with_one_spelling_of_each_name(derived):
    """The derived CSV joins every spelling of the primary name ("GARANTEX EUROPE OU GARANTEX EUROPE OÜ");
    the snapshot keeps the first, the name OFAC lists the entry under."""
    rows = [a.to_row() for a in read_sdn_csv(SNAPSHOT_CSV.read_text(encoding="utf-8"))]
    assert len(rows) == len(derived) == 761
    for row, theirs in zip(rows, derived):
        assert {**row, "sdn_primary_name": ""} == {**theirs, "sdn_primary_name": ""}
        assert theirs["sdn_primary_name"].startswith(row["sdn_primary_name"])
    names = {r["sdn_fixed_ref"]: r["sdn_primary_name"] for r in rows}
    assert names["36025"] == "GARANTEX EUROPE OU" and names["26236"] == "Zheng Fujing"
    assert snapshot_version() == "2025-11-19"
    assert len(snapshot_labels()) == 750  # every entry kept, also on chains the product does not read


def test_update_from_the_official_file_lists_all_761_and_they_rate_severe(tmp_path, shared_data, capsys):
    """Done when: after `sanctions update --file sdn_advanced.xml.bz2`, every listed address is reported listed
    with its entity by `sanctions check`, and scores severe."""
    db = f"sqlite:///{tmp_path / 'ofac.db'}"
    assert (
        main(["--database", db, "sanctions", "update", "--file", str(shared_data / "ofac" / "sdn_advanced.xml.bz2")])
        == 0
    )
    assert "OFAC SDN of 2025-11-19: 761 listed addresses, 750 entries stored" in capsys.readouterr().out
    from tracing.store import Store

    store = Store(db)
    stored = store.label_index(builtin=False)
    # the parser's output, as stored, holds every row of the derived CSV (one entry per address and entity), with
    # one spelling of each name: the shipped snapshot's rows (equal to the derived CSV's but for that, see above)
    rows = [a.to_row() for a in read_sdn_csv(SNAPSHOT_CSV.read_text(encoding="utf-8"))]
    got = set((lb.address, lb.reference, lb.name, lb.programs, lb.listed_on) for lb in stored)
    want = set(
        (
            r["address"].lower() if r["address"].startswith("0x") else r["address"],
            r["sdn_fixed_ref"],
            r["sdn_primary_name"],
            r["programs"],
            r["entry_date"],
        )
        for r in rows
    )
    assert got == want
    index = store.label_index()
    for row in rows:
        result = check_address(store, row["address"], index=index)
        assert result["listed"], row
        assert row["sdn_primary_name"] in {e["entity"] for e in result["entries"]}
        assert all(e["list"] == "OFAC SDN" and e["list_version"] == "2025-11-19" for e in result["entries"])
        if result["chain"] in {c.value for c in Chain}:
            chain = Chain(result["chain"])
            report = score_tables(
                result["address"].lower() if chain is Chain.ETHEREUM else result["address"],
                TransferTable.empty(chain),
                index,
                Parameters(),
            )
            assert report.risk.rating == "severe", row
    store.close()


def test_check_json_names_the_entity_list_and_version_without_transfers(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["--database", db, "sanctions", "check", "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"address", "chain", "listed", "entries", "lists", "api"} and doc["api"] is None
    assert doc["listed"] is True and doc["chain"] == "tron"
    assert set(doc["entries"][0]) == {"entity", "sdn_id", "programs", "listed_on", "list", "list_version"}
    assert doc["entries"][0]["list"] == "OFAC SDN" and doc["entries"][0]["list_version"] == "2025-11-19"
    # a Litecoin address: a chain the product does not read, still answered from the list
    assert main(["--database", db, "sanctions", "check", "LeKvNdNEzgQkzVVnRdV3fAu2DSF1nLsNw6", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["listed"] and doc["chain"] == "litecoin"
    # an ordinary address: not listed, and which list version said so
    assert main(["--database", db, "sanctions", "check", "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["listed"] is False
        and doc["entries"] == []
        and {"list": "OFAC SDN", "version": "2025-11-19"} in doc["lists"]
    )
    assert main(["--database", db, "sanctions", "check", "nonsense"]) == 2
    assert capsys.readouterr().err.startswith("error:")
