"""The profile card on the address page and the ``profile`` of the score API, with and without a model."""

import fcntl
import json
import shutil

import pytest
from dashboard_helpers import THIEF

from dashboard.components.profile import profile_card
from tracing.investigate.profiles import stored_features
from tracing.profiles.model import fit_model
from tracing.sources.demo import build_demo, load_demo
from tracing.store import Store

MULE = build_demo().cast["mule_1_2"]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory, app):
    """A profile model of the demo world (few candidates, so it trains in seconds), for the app's store.

    Trained on a store of its own: other tests add addresses to the app's shared store.
    """
    folder = tmp_path_factory.mktemp("model")
    demo = Store(f"sqlite:///{folder / 'demo.db'}")
    load_demo(demo)
    rows, keys, reference, transfers = stored_features(demo)
    demo.close()
    training = {
        "store": app.server.extensions["tracing"].store.identity,
        "addresses": len(keys),
        "transfers": transfers,
    }
    model = fit_model(rows, keys, reference=reference, algorithms=("average",), ks=range(5, 7), training=training)
    return str(model.save(folder / "model.joblib"))


def _card(client, address: str) -> str:
    request = {"chain": "tron", "address": address, "params": {}}
    body = {
        "output": "address-profile.children",
        "outputs": {"id": "address-profile", "property": "children"},
        "inputs": [{"id": "address-ready", "property": "data", "value": request}],
        "changedPropIds": ["address-ready.data"],
    }
    answer = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    return json.dumps(answer.get_json())


def test_the_card_names_the_behaviour_with_links_to_similar_addresses(logged_in, services, model_file, monkeypatch):
    monkeypatch.setattr(services, "profiles_model", model_file)
    card = _card(logged_in, MULE)
    assert "pass-through mule" in card and "forwards what it receives" in card
    assert card.count('"href": "/address/tron/') == 5  # the five most similar stored addresses, linked
    assert "pass through share" in card and "Cluster 10th-90th pct" in card
    assert "trained on 361 addresses" in card and "after 'tracing profiles train'" in card
    thief = _card(logged_in, THIEF)
    assert "sanctions-exposed" in thief and "risky_share" in thief


def test_without_a_model_the_card_says_how_to_train_one(logged_in, services, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "profiles_model", str(tmp_path / "none.joblib"))
    assert "python -m tracing profiles train" in _card(logged_in, THIEF)


def _wait(app, client, address: str):
    """Post one tick of the waiting card's poll, as the browser does."""
    request = {"chain": "tron", "address": address, "params": {}}
    key = next(
        k
        for k, v in app.callback_map.items()
        if getattr(v.get("callback"), "__name__", "") == "callback_address_profile_wait"
    )
    body = {
        "output": key,
        "outputs": {"id": "address-profile", "property": key.split(".", 1)[1]},
        "inputs": [{"id": "address-profile-wait", "property": "n_intervals", "value": 1}],
        "state": [{"id": "address-ready", "property": "data", "value": request}],
        "changedPropIds": ["address-profile-wait.n_intervals"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def test_while_the_first_model_trains_the_card_says_so_and_fills_in(
    app, logged_in, services, model_file, tmp_path, monkeypatch
):
    path = tmp_path / "model.joblib"
    monkeypatch.setattr(services, "profiles_model", str(path))
    with open(path.with_suffix(".lock"), "a") as training:  # the start's training thread holds this
        fcntl.flock(training, fcntl.LOCK_EX)
        card = _card(logged_in, MULE)
        assert "training" in card and "fills in by itself" in card and "address-profile-wait" in card
        assert _wait(app, logged_in, MULE).get_json()["response"] == {}  # still training: the card stays
        shutil.copy(model_file, path)
    answer = _wait(app, logged_in, MULE)
    assert answer.status_code == 200 and "pass-through mule" in answer.get_data(as_text=True)
    assert "address-profile-wait" not in answer.get_data(as_text=True)  # it stops polling


def test_the_card_is_refused_to_anonymous_requests(client, services, model_file, monkeypatch):
    monkeypatch.setattr(services, "profiles_model", model_file)
    request = {"chain": "tron", "address": THIEF, "params": {}}
    body = {
        "output": "address-profile.children",
        "outputs": {"id": "address-profile", "property": "children"},
        "inputs": [{"id": "address-ready", "property": "data", "value": request}],
        "changedPropIds": ["address-ready.data"],
    }
    answer = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 401 and "sanctions" not in answer.get_data(as_text=True)


def test_the_score_api_carries_the_profile(logged_in, services, model_file, monkeypatch, tmp_path):
    monkeypatch.setattr(services, "profiles_model", str(tmp_path / "none.joblib"))
    assert logged_in.post("/api/score", json={"address": THIEF}).get_json()["profile"] is None
    monkeypatch.setattr(services, "profiles_model", model_file)
    profile = logged_in.post("/api/score", json={"address": THIEF}).get_json()["profile"]
    assert profile["name"] == "sanctions-exposed" and len(profile["similar"]) == 5
    assert 0 <= profile["percentile"] <= 100 and isinstance(profile["outlier"], bool)


def test_an_outlier_is_flagged_in_words():
    profile = {
        "name": "ordinary wallet",
        "meaning": "like most addresses",
        "evidence": [],
        "percentile": 100.0,
        "members": 40,
        "outlier": True,
        "outlier_reason": "Outlier: 9.00 from the nearest cluster centre, farther than 99 % ...",
        "similar": [],
        "features": [
            {
                "feature": "transfers_in",
                "description": "transfers received",
                "value": 5e3,
                "low": 2.0,
                "high": 60.0,
                "outside": 1,
            }
        ],
        "model": "profiles-1/x/y",
    }
    text = json.dumps(profile_card(profile).to_plotly_json(), default=str)
    assert "address-profile-outlier" in text and "Outlier: 9.00" in text and "5,000" in text and "above" in text
