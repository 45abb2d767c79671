"""The first profile model: trained once at start when none is saved, one process at a time, never a half file."""

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tracing.errors import ModelNotTrained
from tracing.investigate.profiles import train_missing, training_underway
from tracing.profiles.model import ProfileModel
from tracing.sources import demo
from tracing.store import Store

ROOT = Path(__file__).resolve().parents[3]
QUICK = {"algorithms": ("average",), "ks": range(5, 7)}  # few candidates: trains in seconds


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('first-model') / 'd.db'}")
    demo.load_demo(store)
    yield store
    store.close()


def test_a_missing_model_is_trained_once_and_then_left_alone(store, tmp_path):
    path = tmp_path / "profiles" / "model.joblib"
    model = train_missing(store, path, **QUICK)
    assert model is not None and ProfileModel.load(path).training["addresses"] == 361
    assert {c["name"] for c in model.clusters} >= {"exchange / service hub", "pass-through mule", "sanctions-exposed"}
    saved = path.stat().st_mtime_ns
    assert train_missing(store, path, **QUICK) is None and path.stat().st_mtime_ns == saved
    assert not training_underway(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.joblib", "model.json", "model.lock"]


def test_a_model_of_another_store_is_refused_and_the_start_trains_one_for_this_store(store, tmp_path):
    path = tmp_path / "model.joblib"
    train_missing(store, path, **QUICK)
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")  # a user switched DATABASE_URL to another database
    demo.load_demo(other)
    assert other.identity != store.identity
    with pytest.raises(ModelNotTrained, match="trained on another store"):
        ProfileModel.load(path, other.identity)
    assert ProfileModel.load(path, store.identity).training["store"] == store.identity
    retrained = train_missing(other, path, **QUICK)
    assert retrained is not None and ProfileModel.load(path, other.identity).training["store"] == other.identity
    reopened = Store(other.url)  # the identity is the database's, not the connection's
    assert reopened.identity == other.identity
    for opened in (reopened, other):
        opened.close()


def test_a_second_worker_waits_for_the_first_and_trains_nothing(store, tmp_path):
    path = tmp_path / "model.joblib"
    results = []
    with open(path.with_suffix(".lock"), "a") as first:  # the first worker is training
        fcntl.flock(first, fcntl.LOCK_EX)
        assert training_underway(path)
        second = threading.Thread(target=lambda: results.append(train_missing(store, path, **QUICK)))
        second.start()
        second.join(timeout=0.5)
        assert second.is_alive() and not results  # it waits on the lock instead of training too
        train_missing(store, tmp_path / "elsewhere.joblib", **QUICK).save(path)  # the first worker's model lands
    second.join()
    assert results == [None] and not training_underway(path)


def test_nothing_is_trained_on_an_empty_store_or_one_too_big_for_a_start(store, tmp_path):
    empty = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    assert train_missing(empty, tmp_path / "a.joblib", **QUICK) is None
    empty.close()
    assert train_missing(store, tmp_path / "b.joblib", limit=1000, **QUICK) is None
    assert not (tmp_path / "a.joblib").exists() and not (tmp_path / "b.joblib").exists()


def test_starting_the_app_on_a_fresh_install_trains_the_model(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "PYTHONPATH": str(ROOT),
        "ADMIN_PASSWORD": "a fresh install's admin password",
    }
    env.pop("PROFILES_MODEL", None)
    wait = "import threading, app; [t.join() for t in threading.enumerate() if t.name == 'profiles-first-model']"
    started = subprocess.run(
        [sys.executable, "-c", wait], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert started.returncode == 0, started.stderr
    model = ProfileModel.load(tmp_path / "instance" / "profiles" / "model.joblib")
    assert model.training["addresses"] == 361 and "pass-through mule" in {c["name"] for c in model.clusters}
