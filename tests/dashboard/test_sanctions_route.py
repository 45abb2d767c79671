"""``GET /api/sanctions/...`` and the sanctions API in ``POST /api/score``, against a local stub server."""

import json
from dataclasses import replace

import pytest
from dashboard_helpers import THIEF

from tracing.cli import main as cli_main
from tracing.model import Chain
from tracing.sources.chainalysis import API_LIST, ChainalysisSanctions
from tracing.sources.demo import GARANTEX, demo_address
from tracing.sources.simulated import ok

WALLET = demo_address(Chain.TRON, "wallet_12")
IDENTIFIED = {"identifications": [{"category": "sanctions", "name": "Named by the API", "description": "", "url": ""}]}


@pytest.fixture
def with_api(services, settings, monkeypatch):
    """The app's services asking the stub's sanctions API (and nothing cached from before or after)."""
    api = ChainalysisSanctions(replace(settings, chainalysis_api_key="CKEY"))
    monkeypatch.setattr(services, "sanctions", api)
    monkeypatch.setattr(services, "sanctions_budget", 2)
    services.forget()
    yield api
    services.forget()
    api.close()


def cli_check(app, capsys, *args) -> dict:
    capsys.readouterr()
    assert cli_main(["--database", app.server.config["DATABASE_URL"], "sanctions", "check", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_check_answers_the_cli_document(app, logged_in, capsys):
    answer = logged_in.get(f"/api/sanctions/tron/{GARANTEX}")
    assert answer.status_code == 200
    doc = answer.get_json()
    assert doc == cli_check(app, capsys, GARANTEX, "--chain", "tron")
    assert doc["listed"] and doc["entries"][0]["entity"].startswith("GARANTEX EUROPE OU") and doc["api"] is None
    assert logged_in.get(f"/api/sanctions/{WALLET}").get_json() == cli_check(app, capsys, WALLET)


def test_a_bad_address_is_a_400_with_the_reason(logged_in):
    answer = logged_in.get("/api/sanctions/tron/not-an-address")
    assert answer.status_code == 400 and answer.get_json()["error"] == "InvalidAddress"
    assert "TRON" in answer.get_json()["message"] or "tron" in answer.get_json()["message"]


def test_the_check_asks_the_api_and_says_when_it_failed(stub, with_api, logged_in):
    stub.route(f"/chainalysis/address/{WALLET}", ok(IDENTIFIED), ok({"error": "boom"}, 500))
    doc = logged_in.get(f"/api/sanctions/tron/{WALLET}").get_json()
    assert doc["listed"] and doc["entries"][0]["list"] == API_LIST and doc["api"]["status"] == "ok"
    with_api._cache.clear()
    failed = logged_in.get(f"/api/sanctions/tron/{WALLET}").get_json()
    assert (
        not failed["listed"] and failed["api"]["status"] == "failed" and "local lists only" in failed["api"]["message"]
    )


def test_the_score_api_screens_with_the_api(stub, with_api, logged_in):
    stub.route("/chainalysis/address/*", ok({"identifications": []}))
    stub.route(f"/chainalysis/address/{WALLET}", ok(IDENTIFIED))
    doc = logged_in.post("/api/score", json={"address": WALLET}).get_json()
    assert doc["risk"]["rating"] == "severe" and API_LIST in doc["risk"]["rules"][0]["explanation"]
    assert doc["sanctions_api"]["status"] == "ok" and doc["sanctions_api"]["screened"] == 3  # itself and 2
    stub.route("/chainalysis/address/*", ok({}, 503))
    with_api._cache.clear()
    thief = logged_in.post("/api/score", json={"address": THIEF}).get_json()
    assert thief["sanctions_api"]["status"] == "failed"
    assert thief["risk"]["rating"] == "high"  # the local list still names its counterparties


def test_openapi_describes_the_check(logged_in):
    document = logged_in.get("/api/openapi.json").get_json()
    for path in ("/api/sanctions/{chain}/{address}", "/api/sanctions/{address}"):
        answers = document["paths"][path]["get"]["responses"]
        assert answers["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Sanctions"
    assert {"address", "chain", "listed", "entries", "lists", "api"} == set(
        document["components"]["schemas"]["Sanctions"]["required"]
    )
