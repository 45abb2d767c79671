"""Clustering chosen by measurement, clusters named by rules, models saved and assigned without refitting."""

from collections import Counter

import joblib
import numpy as np
import pytest

from tracing.errors import BadParameters, ModelNotTrained
from tracing.labels import LabelIndex
from tracing.profiles import model as model_module
from tracing.profiles import selection
from tracing.profiles.features import FEATURE_NAMES, address_features
from tracing.profiles.model import ProfileModel, fit_model
from tracing.profiles.naming import FALLBACK, RULES, name_clusters
from tracing.profiles.profile import SIMILAR, describe
from tracing.profiles.selection import Candidate, candidates, select
from tracing.sources.demo import build_demo


def _blobs(rng, centres, n=120, spread=0.3):
    return np.vstack([rng.normal(c, spread, (n, len(c))) for c in centres])


def test_selection_finds_well_separated_blobs_and_measures_them():
    rng = np.random.default_rng(7)
    points = _blobs(rng, [(0, 0), (6, 0), (0, 6)])
    chosen, measured = select(points, candidates(("kmeans", "gmm", "ward"), range(2, 6)))
    assert chosen.clusters == 3 and chosen.silhouette > 0.8 and chosen.stability > 0.95
    assert sorted(chosen.sizes) == [120, 120, 120]
    assert len(measured) == 12 and all(m.davies_bouldin > 0 for m in measured)


def test_isolating_one_outlier_is_not_a_clustering():
    rng = np.random.default_rng(8)
    points = np.vstack([_blobs(rng, [(0, 0), (3, 0)], n=200, spread=0.8), [[60.0, 60.0]]])
    chosen, measured = select(points, candidates(("average",), range(2, 4)))
    isolating = next(m for m in measured if m.candidate == Candidate("average", k=2))
    assert sorted(isolating.sizes)[0] == 1 and not isolating.admissible  # it would win on silhouette alone
    assert isolating.silhouette > chosen.silhouette
    assert sorted(chosen.sizes)[-2:] == [189, 211]  # the two blobs are split (the outlier may stay alone)


@pytest.mark.parametrize(
    ("algorithms", "ks", "field"), [(("kmeans", "dbscan"), range(2, 4), "algorithm"), (("kmeans",), range(1, 3), "k")]
)
def test_bad_candidates_are_refused(algorithms, ks, field):
    with pytest.raises(BadParameters) as err:
        candidates(algorithms, ks)
    assert err.value.field == field


def test_each_naming_rule_fires_on_the_behaviour_it_documents():
    base = dict(zip(FEATURE_NAMES, [20, 20, 15, 15, 1, 30, 120, 3, 5, 0.05, 0, 0.6, 0.05, 0, 0, 0.3, 0.9, 0.1, 0]))
    cases = {
        "sanctions-exposed": {"risky_share": 0.02},
        "exchange / service hub": {"counterparties_in": 300, "counterparties_out": 300, "active_days": 180},
        "pass-through mule": {"pass_through_share": 0.8},
        "exchange depositor": {"exchange_share": 0.6},
        "burst trader (bot-like)": {"quick_gap_share": 0.9},
        "dormant holder": {"kept_share": 0.95, "idle_days": 40},
        "distributor (fan-out)": {"fan_balance": -0.8},
        "collector (fan-in)": {"fan_balance": 0.8},
        "short-lived address": {"transfers_in": 1, "transfers_out": 1, "span_days": 0.01},
        FALLBACK.name: {},
    }
    assert set(cases) == {r.name for r in RULES} | {FALLBACK.name}
    rows = np.array([[{**base, **change}[f] for f in FEATURE_NAMES] for change in cases.values()])
    # Each case is a cluster of its own row; the population's median sits near the base.
    population = np.vstack([rows, np.tile([base[f] for f in FEATURE_NAMES], (40, 1))])
    labels = np.r_[np.arange(len(cases)), np.full(40, len(cases))]
    named = name_clusters(population, labels, len(cases) + 1)
    assert [c["name"] for c in named[:-1]] == list(cases)
    assert named[-1]["name"] == f"{FALLBACK.name} 2"  # a second cluster with the same name is numbered
    hub = named[1]["evidence"][0]
    assert hub == {"feature": "counterparties_in", "cluster_median": 300.0, "population_median": 15.0}


@pytest.fixture(scope="module")
def demo_model():
    world = build_demo()
    labels = LabelIndex(world.labels)
    rows, keys = [], []
    for chain, table in world.tables.items():
        found = address_features(table, labels=labels)
        rows.append(found.values)
        keys += [f"{chain.value}:{a}" for a in found.addresses]
    return world, fit_model(np.vstack(rows), np.array(keys)), np.vstack(rows), np.array(keys)


def _name_of(world, model, keys, who):
    return model.clusters[model.labels[list(keys).index(f"tron:{world.cast[who]}")]]["name"]


def test_the_demo_worlds_actors_land_in_clusters_whose_names_fit_them(demo_model):
    world, model, _, keys = demo_model
    assert _name_of(world, model, keys, "exchange_hot_wallet") == "exchange / service hub"
    assert _name_of(world, model, keys, "thief") == "sanctions-exposed"
    mules = Counter(_name_of(world, model, keys, f"mule_{c}_{h}") for c in range(1, 6) for h in range(1, 4))
    assert mules == {"pass-through mule": 15}
    wallets = Counter(_name_of(world, model, keys, f"wallet_{i}") for i in range(200))
    assert wallets["ordinary wallet"] >= 195  # wallet_7, which paid a listed trafficker, may be sanctions-exposed
    assert model.metrics["silhouette"] > 0.5 and model.chosen.stability >= 0.9


def test_assigning_never_refits_and_a_saved_model_assigns_the_same(demo_model, tmp_path, monkeypatch):
    _, model, rows, _ = demo_model

    def refit(*args, **kwargs):
        raise AssertionError("assignment refitted something")

    for _, step in model.pipeline.steps:
        if step != "passthrough":
            monkeypatch.setattr(type(step), "fit", refit)
            monkeypatch.setattr(type(step), "fit_transform", refit)
    for module in (selection, model_module):
        monkeypatch.setattr(module, "centres_of", refit)
        monkeypatch.setattr(module, "select", refit)
    labels, _ = model.assign(rows)
    assert (labels == model.labels).all()
    path = model.save(tmp_path / "model.joblib")
    loaded = ProfileModel.load(path)
    assert (loaded.assign(rows)[0] == labels).all() and loaded.summary()["k"] == model.k
    assert (tmp_path / "model.json").read_text().count('"silhouette"') >= 2


def test_the_profile_of_the_thief_explains_itself(demo_model):
    world, model, rows, keys = demo_model
    key = f"tron:{world.cast['thief']}"
    profile = describe(model, key, rows[list(keys).index(key)])
    assert profile["name"] == "sanctions-exposed" and 0 <= profile["percentile"] <= 100
    assert len(profile["similar"]) == SIMILAR and all(s["address"] != world.cast["thief"] for s in profile["similar"])
    assert [s["distance"] for s in profile["similar"]] == sorted(s["distance"] for s in profile["similar"])
    assert {f["feature"] for f in profile["features"]} == set(FEATURE_NAMES)
    burst = next(f for f in profile["features"] if f["feature"] == "quick_gap_share")
    assert burst["outside"] == 1 and burst["value"] > burst["high"]  # its scam bursts stand out in its cluster
    assert ("Outlier" in profile["outlier_reason"]) == profile["outlier"]


def test_a_missing_or_foreign_model_file_is_refused_with_a_message(tmp_path):
    with pytest.raises(ModelNotTrained, match="tracing profiles train"):
        ProfileModel.load(tmp_path / "absent.joblib")
    joblib.dump({"not": "a model"}, tmp_path / "other.joblib")
    with pytest.raises(ModelNotTrained, match="outdated"):
        ProfileModel.load(tmp_path / "other.joblib")


def test_a_cluster_of_one_says_so_instead_of_a_percentile(demo_model):
    """The exchange hub is its cluster's only member: "100 % are at most this far" at distance 0 misled."""
    world, model, rows, keys = demo_model
    key = f"tron:{world.cast['exchange_hot_wallet']}"
    profile = describe(model, key, rows[list(keys).index(key)])
    assert profile["members"] == 1
    assert "only training address" in profile["outlier_reason"] and "%" not in profile["outlier_reason"]
    thief = f"tron:{world.cast['thief']}"
    other = describe(model, thief, rows[list(keys).index(thief)])
    assert other["members"] > 1 and f"cluster's {other['members']:,} members" in other["outlier_reason"]


def test_a_member_far_out_in_its_cluster_is_on_its_edge_not_typical(demo_model):
    """ "Typical enough" beside "distance percentile 100" (the thief, farthest of its cluster) read as a contradiction."""
    _, model, rows, keys = demo_model
    said = {}
    for key, row in zip(keys, rows):
        profile = describe(model, key, row)
        if profile["members"] > 1 and not profile["outlier"]:
            said[profile["percentile"] >= 90] = profile["outlier_reason"]
    assert said[True].startswith("On the cluster's edge:") and "less than most of them" in said[True]
    assert said[False].startswith("Typical:") and "edge" not in said[False]
