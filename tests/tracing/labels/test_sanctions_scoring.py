"""The Chainalysis sanctions API in the scoring path, against a local stub server."""

from dataclasses import replace

import pytest

from tracing.investigate import busiest_counterparties, score_address
from tracing.model import Chain
from tracing.sources import demo
from tracing.sources.chainalysis import API_LIST, ChainalysisSanctions
from tracing.sources.simulated import ok

IDENTIFIED = {
    "identifications": [
        {
            "category": "sanctions",
            "name": "SANCTIONS: OFAC SDN Example Entity",
            "description": "An entity the API names",
            "url": "https://home.treasury.gov/news/press-releases/example",
        }
    ]
}


@pytest.fixture
def demo_store(store):
    demo.load_demo(store)
    return store


@pytest.fixture
def cast():
    return demo.build_demo().cast


@pytest.fixture
def api(settings):
    client = ChainalysisSanctions(replace(settings, chainalysis_api_key="CKEY", chainalysis_cache_ttl=600))
    yield client
    client.close()


def identifying(*listed: str):
    """A stub answer naming ``listed`` and nothing else."""
    return lambda request: ok(IDENTIFIED if request.path.rsplit("/", 1)[-1] in listed else {"identifications": []})


def api_asked(stub) -> list[str]:
    return [r.path.rsplit("/", 1)[-1] for r in stub.requests if r.path.startswith("/chainalysis/")]


def test_an_identification_makes_the_scored_address_listed_and_severe(stub, api, demo_store, cast):
    wallet = cast["wallet_12"]
    assert score_address(demo_store, wallet).risk.rating != "severe"  # the local lists do not name it
    stub.route("/chainalysis/address/*", identifying(wallet))
    report = score_address(demo_store, wallet, api=api, api_budget=3).to_dict()
    relation = report["tests"]["relation"]
    assert relation["score"] == 100.0 and relation["evidence"]["listed"]
    assert relation["evidence"]["listings"][0]["source"] == API_LIST
    assert API_LIST in relation["parameters"]["lists"]
    assert report["risk"]["rating"] == "severe" and report["risk"]["rules"][0]["rule"] == "listed"
    assert f"({API_LIST})" in report["risk"]["rules"][0]["explanation"]
    assert report["sanctions_api"]["status"] == "ok" and report["sanctions_api"]["screened"] == 4
    assert stub.requests[0].headers["X-API-Key"] == "CKEY"


def test_identified_counterparties_are_direct_exposure_within_the_budget(stub, api, demo_store, cast):
    wallet = cast["wallet_12"]
    parties = busiest_counterparties(demo_store.transfers_of(Chain.TRON, wallet), wallet)
    assert len(parties) > 5
    stub.route("/chainalysis/address/*", identifying(parties[1], parties[-1]))  # the last one is past the budget
    report = score_address(demo_store, wallet, api=api, api_budget=3).to_dict()
    assert api_asked(stub) == [wallet, *parties[:3]]  # the address, then its busiest counterparties
    assert report["sanctions_api"]["not_screened"] == len(parties) - 3
    direct = report["tests"]["relation"]["evidence"]["direct"]
    assert [d["address"] for d in direct] == [parties[1]] and direct[0]["listings"][0]["source"] == API_LIST
    assert "sanctioned_counterparty" in {r["rule"] for r in report["risk"]["rules"]}
    again = score_address(demo_store, wallet, api=api, api_budget=3).to_dict()  # within the TTL: from the cache
    assert len(api_asked(stub)) == 4 and again["sanctions_api"]["status"] == "cached"


def test_an_address_only_the_api_names_is_scored_without_transfers(stub, api, demo_store):
    unknown = demo.demo_address(Chain.TRON, "nobody")
    stub.route("/chainalysis/address/*", identifying(unknown))
    report = score_address(demo_store, unknown, api=api).to_dict()
    assert report["risk"]["rating"] == "severe" and report["transfers_analysed"] == 0


def test_a_failing_api_falls_back_to_the_local_list_and_says_so(stub, api, demo_store, cast):
    stub.route("/chainalysis/address/*", ok({"error": "boom"}, 500))
    thief = score_address(demo_store, cast["thief"], api=api).to_dict()
    status = thief["sanctions_api"]
    assert status["status"] == "failed" and status["screened"] == 0 and "local lists only" in status["message"]
    assert len(api_asked(stub)) == 3  # one address, retried: the rest is not asked after a failure
    direct = {d["address"] for d in thief["tests"]["relation"]["evidence"]["direct"]}
    assert direct == {demo.GARANTEX, demo.RUSICH}  # the local list still answers
    ordinary = score_address(demo_store, cast["wallet_12"], api=api).to_dict()["tests"]["relation"]
    assert ordinary["score"] == 0 and f"{API_LIST} failed" in ordinary["explanation"]  # never a silent "not listed"
    assert ordinary["evidence"]["sanctions_api"]["status"] == "failed"


def test_without_an_api_the_report_says_none_was_asked(demo_store, cast):
    report = score_address(demo_store, cast["wallet_12"]).to_dict()
    assert report["sanctions_api"] is None and "sanctions_api" not in report["tests"]["relation"]["evidence"]
