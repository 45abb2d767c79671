"""The one HTTP layer against a local server: retries, Retry-After, timeouts, garbage, pacing, messages."""

import time

import pytest

from tracing.errors import RateLimited, SourceUnavailable
from tracing.settings import Settings
from tracing.sources.http import USER_AGENT, HttpClient, retry_after_seconds
from tracing.sources.simulated import Stall, html, ok, raw


@pytest.fixture
def waits():
    return []


@pytest.fixture
def client(settings, waits):
    c = HttpClient("TronGrid", settings, key_variable="TRONGRID_API_KEY", sleep=waits.append)
    yield c
    c.close()


def test_json_answer_with_user_agent_and_params(stub, client):
    stub.route("/v1/x", ok({"data": [1, 2]}))
    assert client.get_json(stub.url + "/v1/x", params={"limit": 200}, headers={"TRON-PRO-API-KEY": "k"}) == {
        "data": [1, 2]
    }
    (request,) = stub.requests
    assert request.query == {"limit": "200"}
    assert request.headers["User-Agent"] == USER_AGENT and request.headers["TRON-PRO-API-KEY"] == "k"


def test_a_500_then_success_is_retried_with_backoff(stub, client, waits):
    stub.route("/x", ok({"error": "boom"}, 500), ok({"fine": True}))
    assert client.get_json(stub.url + "/x") == {"fine": True}
    assert len(stub.requests) == 2 and client.calls == 2
    assert len(waits) == 1 and 0.005 <= waits[0] <= 0.015  # 0.01 s with jitter


def test_429_honours_retry_after(stub, client, waits):
    stub.route("/x", ok({}, 429, **{"Retry-After": "3"}), ok({"fine": True}))
    assert client.get_json(stub.url + "/x") == {"fine": True}
    assert waits == [3.0]


def test_429_for_ever_is_rate_limited_naming_the_key_variable(stub, client, waits):
    stub.route("/x", ok({}, 429, **{"Retry-After": "2"}))
    with pytest.raises(RateLimited, match=r"rate-limiting.*wait 2 s.*TRONGRID_API_KEY.*3 attempts") as caught:
        client.get_json(stub.url + "/x")
    assert caught.value.retry_after == 2.0
    assert waits == [2.0, 2.0]


def test_a_retry_after_longer_than_allowed_fails_at_once(stub, client):
    stub.route("/x", ok({}, 429, **{"Retry-After": "3600"}))
    with pytest.raises(RateLimited, match="3600 s"):
        client.get_json(stub.url + "/x")
    assert len(stub.requests) == 1


def test_a_timeout_is_retried_then_reported(stub, client):
    stub.route("/x", Stall(0.8, ok({"late": True})))
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"did not answer within 0.5 s.*HTTP_READ_TIMEOUT"):
        client.get_json(stub.url + "/x")
    assert client.calls == 3 and time.monotonic() - started < 3


def test_an_unreachable_host_names_the_url_setting(settings, waits):
    client = HttpClient("Esplora", settings, sleep=waits.append)
    with pytest.raises(SourceUnavailable, match=r"cannot reach Esplora at 127.0.0.1:9 .*URL setting"):
        client.get_json("http://127.0.0.1:9/api/x")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (raw('{"data": [1, 2'), "malformed JSON"),
        (html(200), "web page instead of JSON"),
        (ok({"Error": "bad key"}, 401), r"refused the request \(HTTP 401\): check TRONGRID_API_KEY"),
        (ok({"Error": "no such route"}, 404), r"HTTP 404: \{\"Error\": \"no such route\"\}"),
    ],
)
def test_garbage_fails_once_with_a_message(stub, client, answer, message):
    stub.route("/x", answer)
    with pytest.raises(SourceUnavailable, match=message) as caught:
        client.get_json(stub.url + "/x")
    assert not isinstance(caught.value, RateLimited)
    assert len(stub.requests) == 1  # not retried: it would answer the same


def test_an_html_502_is_retried_and_never_shows_the_page(stub, client):
    stub.route("/x", html(502))
    with pytest.raises(SourceUnavailable, match="HTTP 502") as caught:
        client.get_json(stub.url + "/x?apikey=SECRET")
    assert "<html" not in str(caught.value) and "SECRET" not in str(caught.value)
    assert len(stub.requests) == 3


def test_requests_to_one_host_are_paced(stub, settings):
    slow = Settings(**{**settings.__dict__, "http_rate": 20.0})
    client = HttpClient("TronGrid", slow)
    stub.route("/x", ok({}))
    started = time.monotonic()
    for _ in range(5):
        client.get_json(stub.url + "/x")
    assert time.monotonic() - started >= 0.19  # 4 gaps of 1/20 s


def test_retry_after_as_an_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert retry_after_seconds("") is None
