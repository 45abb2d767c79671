"""Abuse of the web app: huge or deeply nested bodies, out-of-range numbers, redirects to other sites."""

import json
import time

import pytest
from dashboard_helpers import THIEF, login


def test_a_huge_address_answers_400_at_once(logged_in):
    start = time.perf_counter()
    answer = logged_in.post("/api/score", json={"address": "T" * 400_000})
    assert time.perf_counter() - start < 0.5  # two of these killed both gunicorn workers
    assert answer.status_code == 400
    assert answer.get_json()["field"] == "address"


@pytest.mark.parametrize("path", ["/api/score", "/_dash-update-component"])
def test_deeply_nested_json_answers_400_json(logged_in, path):
    answer = logged_in.post(path, data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert answer.status_code == 400
    assert answer.is_json
    nested = '{"address": ' + "[" * 70 + "]" * 70 + "}"
    assert logged_in.post(path, data=nested, content_type="application/json").status_code == 400


def test_a_body_over_the_limit_answers_413_json(app, logged_in):
    body = json.dumps({"address": THIEF, "pad": "a" * (app.server.config["MAX_CONTENT_LENGTH"] + 1)})
    answer = logged_in.post("/api/score", data=body, content_type="application/json")
    assert answer.status_code == 413
    assert answer.get_json()["error"] == "RequestEntityTooLarge"


@pytest.mark.parametrize(
    ("field", "value"),
    [("value_coefficient", 1e308), ("time_difference", 2**63), ("time_difference", 1e20), ("maximum_threshold", 1e300)],
)
def test_out_of_range_numbers_answer_400_naming_the_field(logged_in, field, value):
    answer = logged_in.post("/api/score", json={"address": THIEF, field: value})
    assert answer.status_code == 400
    assert json.loads(answer.get_data(as_text=True))["field"] == field  # strict JSON: no NaN


def test_big_but_sane_coefficients_score_in_range(logged_in):
    body = {"address": THIEF, "value_coefficient": 1e9, "transfers_coefficient": 1e9}
    answer = logged_in.post("/api/score", json=body)
    assert answer.status_code == 200
    assert 0 <= json.loads(answer.get_data(as_text=True))["final_score"] <= 100


@pytest.mark.parametrize(
    "target",
    ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "/%5c/evil.example", "%2f%2fevil.example"],
)
def test_login_redirects_stay_on_this_site_as_a_browser_reads_them(client, user, target):
    answer = login(client, *user, next_path=target)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"


def test_a_newline_in_next_never_answers_500(client):
    answer = client.get("/login?next=/%0a/")
    assert answer.status_code == 200


@pytest.mark.parametrize("path", ["/login", "/api/openapi.json", "/_dash-layout"])
def test_every_answer_carries_the_security_headers(logged_in, path):
    headers = logged_in.get(path).headers
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
