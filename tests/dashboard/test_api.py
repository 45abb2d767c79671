"""The REST API: the original request body, the CLI's document, errors as JSON, bearer tokens."""

import json

import pytest
from dashboard_helpers import THIEF

from tracing.cli import main as cli_main
from tracing.errors import RateLimited, SourceUnavailable
from tracing.model import Chain
from tracing.params import FIELDS
from tracing.sources.demo import demo_address

ORIGINAL_BODY = {
    "address": THIEF,
    "minimum_threshold": -1.5,
    "maximum_threshold": 2.5,
    "time_difference": 3600,
    "value_coefficient": 0.2,
    "transfers_coefficient": 0.3,
    "hiding_coefficient": 0.9,
    "relation_coefficient": 1.0,
}


def cli_document(app, capsys, *args) -> dict:
    """What ``python -m tracing score --json`` prints on the app's database."""
    capsys.readouterr()
    assert cli_main(["--database", app.server.config["DATABASE_URL"], "score", THIEF, "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_original_body_answers_the_cli_document(app, logged_in, capsys):
    answer = logged_in.post("/api/score", json=ORIGINAL_BODY)
    assert answer.status_code == 200
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in ORIGINAL_BODY.items() if k != "address"]
    assert answer.get_json() == cli_document(app, capsys, *flags)
    assert answer.get_json()["risk"]["rating"] == "high"


def test_address_alone_takes_the_defaults(logged_in):
    document = logged_in.post("/api/score", json={"address": THIEF}).get_json()
    assert document["parameters"] == FIELDS
    assert set(document["tests"]) == {"value", "transfers", "hiding", "relation"}
    assert 0 <= document["final_score"] <= 100


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ORIGINAL_BODY, "maximum_threshold": "high"}, "maximum_threshold"),
        ({**ORIGINAL_BODY, "value_coefficient": -1}, "value_coefficient"),
        ({**ORIGINAL_BODY, "minimum_threshold": 5}, "minimum_threshold"),
        ({**ORIGINAL_BODY, "time_difference": 1.5}, "time_difference"),
        ({**ORIGINAL_BODY, "colour": "red"}, "colour"),
        ({"minimum_threshold": -2}, "address"),
        ({"address": "TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk7"}, "address"),
        ({"address": 42}, "address"),
        ([THIEF], "body"),
    ],
)
def test_bad_bodies_answer_400_naming_the_field(logged_in, body, field):
    answer = logged_in.post("/api/score", json=body)
    assert answer.status_code == 400
    error = answer.get_json()
    assert error["field"] == field
    assert error["reason"] and error["message"]


def test_several_bad_fields_are_all_listed_and_the_first_keeps_the_old_shape(logged_in):
    body = {**ORIGINAL_BODY, "minimum_threshold": "abc", "time_difference": -5, "value_method": "zzz"}
    error = logged_in.post("/api/score", json=body).get_json()
    assert [p["field"] for p in error["problems"]] == ["minimum_threshold", "time_difference", "value_method"]
    assert (error["field"], error["reason"]) == ("minimum_threshold", error["problems"][0]["reason"])
    assert error["message"].count("; ") == 2
    no_address = logged_in.post("/api/score", json={"hiding_max_hops": 99}).get_json()
    assert no_address["field"] == "address" and [p["field"] for p in no_address["problems"]] == [
        "address",
        "hiding_max_hops",
    ]
    one = logged_in.post("/api/score", json={**ORIGINAL_BODY, "colour": "red"}).get_json()
    assert one["problems"] == [{"field": "colour", "reason": one["reason"]}]


def test_a_body_that_is_not_json_answers_400(logged_in):
    answer = logged_in.post("/api/score", data="address=T...", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400
    assert answer.get_json()["field"] == "body"


def test_unknown_address_answers_404(logged_in):
    answer = logged_in.post("/api/score", json={"address": demo_address(Chain.TRON, "nobody at all")})
    assert answer.status_code == 404
    assert "no transfers are stored" in answer.get_json()["message"]


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (SourceUnavailable("TronGrid timed out after 10 s"), 503, {}),
        (RateLimited("TronGrid is rate-limiting this tool", 7.0), 429, {"retry_after": 7.0}),
    ],
)
def test_failing_source_answers_503_and_a_rate_limit_429(logged_in, services, monkeypatch, error, status, body):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(services, "investigate", fail)
    answer = logged_in.post("/api/score", json={"address": THIEF})
    assert answer.status_code == status
    assert answer.get_json() == {"error": type(error).__name__, "message": str(error), **body}


def test_bearer_token_authenticates_until_revoked(client, services, user):
    token = services.accounts.new_token(user[0])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/score", json={"address": THIEF}, headers=headers).status_code == 200
    services.accounts.revoke_tokens(user[0])
    assert client.post("/api/score", json={"address": THIEF}, headers=headers).status_code == 401


@pytest.mark.parametrize("header", ["Bearer trc_not-a-token", "Basic YWRtaW46YWRtaW4=", "Bearer "])
def test_bad_credentials_answer_401(client, header):
    answer = client.post("/api/score", json={"address": THIEF}, headers={"Authorization": header})
    assert answer.status_code == 401


def test_tokens_open_the_api_only(client, services, user):
    headers = {"Authorization": f"Bearer {services.accounts.new_token(user[0])}"}
    assert client.get("/_dash-layout", headers=headers).status_code == 401


def test_openapi_document_describes_every_field(logged_in):
    document = logged_in.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    request = document["components"]["schemas"]["ScoreRequest"]
    assert set(request["properties"]) == {"address", "chain", *FIELDS}
    assert request["required"] == ["address"]
    assert {"200", "400", "401", "404", "429", "503"} <= set(document["paths"]["/api/score"]["post"]["responses"])
    score = document["components"]["schemas"]["Score"]
    assert {"risk", "final_score"} <= set(score["required"])
    assert document["components"]["schemas"]["Risk"]["properties"]["rating"]["enum"] == [
        "low",
        "medium",
        "high",
        "severe",
    ]
