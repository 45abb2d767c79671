"""The behavioural profile in an address report, with and without a trained model."""

import pytest

from tracing.investigate.profiles import stored_features
from tracing.profiles.model import fit_model
from tracing.report import address_evidence, render_html
from tracing.sources import demo
from tracing.store import Store

THIEF = demo.demo_address(demo.Chain.TRON, "thief")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-profile")
    store = Store(f"sqlite:///{folder / 'r.db'}")
    demo.load_demo(store)
    rows, keys, reference, _ = stored_features(store)
    model = fit_model(rows, keys, reference=reference, algorithms=("average",), ks=range(5, 7))
    model.training["store"] = store.identity
    model.save(folder / "m.joblib")
    yield store, str(folder / "m.joblib")
    store.close()


def test_the_report_says_who_the_address_behaves_like(store, monkeypatch):
    store, model = store
    monkeypatch.setenv("PROFILES_MODEL", model)
    evidence = address_evidence(store, THIEF, investigator="alice")
    profile = evidence.doc["addresses"][0]["profile"]
    assert profile["name"] == "sanctions-exposed" and len(profile["similar"]) == 5
    html = render_html(evidence, base_url="http://127.0.0.1:8050").decode()
    assert "Behaves like <b>sanctions-exposed</b>" in html
    first = profile["similar"][0]
    assert f"http://127.0.0.1:8050/address/{first['chain']}/{first['address']}" in html
    assert "quick_gap_share 0.921 (above" in html  # the scam bursts, outside the cluster's range


def test_without_a_model_the_report_says_so(store, monkeypatch, tmp_path):
    store, _ = store
    monkeypatch.setenv("PROFILES_MODEL", str(tmp_path / "none.joblib"))
    evidence = address_evidence(store, THIEF, investigator="alice")
    assert evidence.doc["addresses"][0]["profile"] is None
    assert "No profile model was trained when this report was made" in render_html(evidence).decode()
