"""The Chainalysis sanctions API client and `sanctions update --url`, against a local stub server."""

import bz2
import json
from dataclasses import replace

import pytest

from tracing.cli import main
from tracing.errors import SourceNotConfigured
from tracing.screening import check_address
from tracing.sources.chainalysis import ChainalysisSanctions
from tracing.sources.simulated import html, ok, raw
from tracing.sources.simulated.server import Answer

LISTED = "0x7F367cC41522cE07553e823bf3be79A889DEbe1B"  # OFAC-listed; the API's documented example
ORDINARY = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"
IDENTIFIED = {
    "identifications": [
        {
            "category": "sanctions",
            "name": "SANCTIONS: OFAC SDN Secondeye Solution 2021-04-15 7f367cc41522ce07553e823bf3be79a889debe1b",
            "description": "Pakistan-based Secondeye Solution (SES), also known as Forwarderz, is a synthetic identity "
            "document vendor ...",
            "url": "https://home.treasury.gov/news/press-releases/jy0126",
        }
    ]
}


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def keyed(settings):
    return replace(settings, chainalysis_api_key="CKEY", chainalysis_cache_ttl=60)


def test_identifications_are_sanctioned_entries_and_are_cached_for_the_ttl(stub, keyed, store):
    stub.route(f"/chainalysis/address/{LISTED}", ok(IDENTIFIED))
    clock = Clock()
    api = ChainalysisSanctions(keyed, clock=clock)
    first = check_address(store, LISTED, api=api)
    assert first["listed"] and first["api"] == {
        "name": "Chainalysis sanctions API",
        "status": "ok",
        "checked_at": "2023-11-14T22:13:20Z",
    }
    from_api = [e for e in first["entries"] if e["list"] == "Chainalysis sanctions API"]
    assert from_api[0]["entity"].startswith("SANCTIONS: OFAC SDN Secondeye") and from_api[0]["url"].startswith(
        "https://"
    )
    assert stub.requests[0].headers["X-API-Key"] == "CKEY"
    clock.now += 30
    assert check_address(store, LISTED, api=api)["api"]["status"] == "cached" and len(stub.requests) == 1
    clock.now += 31  # past the TTL: asked again
    assert check_address(store, LISTED, api=api)["api"]["status"] == "ok" and len(stub.requests) == 2
    api.close()


@pytest.mark.parametrize(
    "answer", [ok({"error": "boom"}, 500), html(502), raw("{not json"), ok({"unexpected": []}), ok({}, 403)]
)
def test_a_failing_api_falls_back_to_the_local_list_and_says_so(stub, keyed, store, answer):
    stub.route(f"/chainalysis/address/{LISTED}", answer)
    api = ChainalysisSanctions(keyed)
    result = check_address(store, LISTED, api=api)
    assert result["api"]["status"] == "failed" and "local lists only" in result["api"]["message"]
    assert result["listed"] and {e["list"] for e in result["entries"]} == {"OFAC SDN"}  # the shipped list answered
    stub.route(f"/chainalysis/address/{ORDINARY}", answer)
    unlisted = check_address(store, ORDINARY, api=api)
    assert not unlisted["listed"] and unlisted["api"]["status"] == "failed"  # never a silent "not listed"
    api.close()


def test_without_a_key_the_client_is_not_configured(settings):
    with pytest.raises(SourceNotConfigured, match="CHAINALYSIS_API_KEY"):
        ChainalysisSanctions(settings)


def test_cli_check_uses_the_api_when_a_key_is_set(stub, keyed, tmp_path, monkeypatch, capsys):
    for name in ("chainalysis_url", "chainalysis_api_key", "http_retries", "http_backoff", "http_rate"):
        monkeypatch.setenv(name.upper(), str(getattr(keyed, name)))
    stub.route(f"/chainalysis/address/{ORDINARY}", ok({"identifications": []}))
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--database", db, "sanctions", "check", ORDINARY, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["listed"] is False and doc["api"]["status"] == "ok"


SMALL_SDN = """<?xml version="1.0" encoding="utf-8"?>
<Sanctions><DateOfIssue><Year>2030</Year><Month>1</Month><Day>2</Day></DateOfIssue>
<ReferenceValueSets><FeatureTypeValues>
<FeatureType ID="887">Digital Currency Address - TRX</FeatureType></FeatureTypeValues></ReferenceValueSets>
<DistinctParties><DistinctParty FixedRef="9"><Profile ID="9"><Identity><Alias Primary="true"><DocumentedName>
<DocumentedNamePart><NamePartValue>New Entity</NamePartValue></DocumentedNamePart></DocumentedName></Alias></Identity>
<Feature FeatureTypeID="887"><FeatureVersion><VersionDetail>TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs</VersionDetail>
</FeatureVersion></Feature></Profile></DistinctParty></DistinctParties>
<SanctionsEntries><SanctionsEntry ProfileID="9"><EntryEvent><Date><Year>2029</Year><Month>12</Month><Day>1</Day></Date>
</EntryEvent><SanctionsMeasure SanctionsTypeID="1"><Comment>CYBER2</Comment></SanctionsMeasure></SanctionsEntry>
</SanctionsEntries></Sanctions>
"""


def test_update_from_a_url_replaces_the_list_and_a_failure_keeps_it(stub, settings, tmp_path, monkeypatch, capsys):
    for name in ("http_retries", "http_backoff", "http_rate", "http_read_timeout"):
        monkeypatch.setenv(name.upper(), str(getattr(settings, name)))
    stub.route("/sdn.xml.bz2", Answer(200, bz2.compress(SMALL_SDN.encode()), {"Content-Type": "application/xml"}))
    db = f"sqlite:///{tmp_path / 'u.db'}"
    assert main(["--database", db, "sanctions", "update", "--url", stub.url + "/sdn.xml.bz2"]) == 0
    assert "OFAC SDN of 2030-01-02: 1 listed addresses" in capsys.readouterr().out
    assert main(["--database", db, "sanctions", "check", ORDINARY, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["listed"]
        and doc["entries"][0]["entity"] == "New Entity"
        and doc["entries"][0]["list_version"] == "2030-01-02"
    )
    # the newer stored issue replaces the shipped snapshot: its entries are gone
    assert main(["--database", db, "sanctions", "check", "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["listed"] is False
    # offline (nothing listens there), refused, or not the list: a clear error and the previous list stays
    for url in ("http://127.0.0.1:9/sdn.xml", stub.url + "/missing.xml"):
        assert main(["--database", db, "sanctions", "update", "--url", url]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: cannot download the SDN list:") and err.count("\n") == 1
        assert "OFAC sanctions list service" in err
        assert err.strip().endswith("the previous list is kept")
    stub.route("/page.xml", html(200))
    assert main(["--database", db, "sanctions", "update", "--url", stub.url + "/page.xml"]) == 2
    err = capsys.readouterr().err
    assert "/page.xml sent is not sdn_advanced.xml" in err and err.strip().endswith("the previous list is kept")
    assert main(["--database", db, "sanctions", "check", ORDINARY, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["listed"]
