"""Behavioural profiles from the store: features of every stored address, training, one address's profile.

Training reads every transfer of each chain once (``Store.transfers_on``) and
computes all addresses' features in one vectorised pass per chain; profiling
one address reads its transfers and their pass-through neighbourhood only.

A fresh install has no model: the web app calls :func:`train_missing_in_background`
at start, which trains one on the stored addresses (the demo world: a few
seconds) unless a usable model is saved. A file lock beside the model lets one
process train at a time (gunicorn workers start together); the others wait,
then find the model and train nothing. :func:`training_underway` tells the
pages meanwhile.
"""

import fcntl
import logging
import threading
import time
from pathlib import Path

import numpy as np

from tracing.errors import AddressNotFound, BadParameters, ModelNotTrained
from tracing.investigate.score import pass_through_context
from tracing.labels import LabelIndex
from tracing.model import Chain, TransferTable, normalize_address
from tracing.params import Parameters
from tracing.profiles.features import Reference, address_features
from tracing.profiles.model import ProfileModel, fit_model
from tracing.profiles.profile import describe
from tracing.scoring import ScoreReport
from tracing.settings import load_settings
from tracing.store import Store

__all__ = [
    "profile_address",
    "profile_of_table",
    "report_profile",
    "saved_model",
    "scored_profile",
    "stored_features",
    "train_missing",
    "train_missing_in_background",
    "train_profiles",
    "training_underway",
]

AUTO_TRAIN_LIMIT = 1_000_000  # stored transfers: a larger store is trained on purpose ('tracing profiles train')
log = logging.getLogger(__name__)


def _merged(references: list[Reference]) -> Reference:
    medians = {k: v for r in references for k, v in r.medians.items()}
    return Reference(medians, min(r.start for r in references), max(r.end for r in references))


def stored_features(store: Store, chains=tuple(Chain)) -> tuple[np.ndarray, np.ndarray, Reference, int]:
    """Features of every stored address of ``chains``: rows, keys (``chain:address``), reference, transfers read."""
    tables = {c: store.transfers_on(c) for c in chains}
    tables = {c: t for c, t in tables.items() if len(t)}
    if not tables:
        raise BadParameters("store", "no transfers are stored; load the demo world or import transfers first")
    reference = _merged([Reference.of(t) for t in tables.values()])
    rows, keys = [], []
    for chain, table in tables.items():
        found = address_features(table, reference=reference, labels=store.label_index(chain))
        rows.append(found.values)
        keys.append(np.char.add(f"{chain.value}:", found.addresses.astype(str)))
    return np.vstack(rows), np.concatenate(keys), reference, sum(len(t) for t in tables.values())


def train_profiles(store: Store, path: str | Path, *, progress=None, **options) -> ProfileModel:
    """Fit a profile model on every stored address, save it at ``path`` and return it.

    ``options`` go to :func:`tracing.profiles.model.fit_model` (``algorithms``, ``ks``, ``pca`` ...).
    """
    started = time.perf_counter()
    rows, keys, reference, transfers = stored_features(store)
    chains = sorted({k.split(":", 1)[0] for k in keys})
    training = {
        "addresses": len(keys),
        "transfers": transfers,
        "chains": chains,
        "database": store.url.split("://")[0],
        "store": store.identity,
    }
    model = fit_model(rows, keys, reference=reference, training=training, progress=progress, **options)
    model.training["seconds"] = round(time.perf_counter() - started, 2)
    model.save(path)
    return model


def _lock_file(path: str | Path) -> Path:
    """The lock beside the model file that one training process holds."""
    return Path(path).with_suffix(".lock")


def training_underway(path: str | Path) -> bool:
    """Whether a process or thread is training the model for ``path`` right now (holds its lock)."""
    try:
        with open(_lock_file(path), "rb") as handle:  # read-only is enough for a shared lock
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:  # no lock file (nobody trained here), or none this process may read
        return False
    return False


def train_missing(store: Store, path: str | Path, *, limit: int = AUTO_TRAIN_LIMIT, **options) -> ProfileModel | None:
    """Train and save a model at ``path`` unless a usable one is there; return it (None when nothing was trained).

    Nothing is trained either when the store is empty or holds more than ``limit``
    transfers (training that many belongs to ``tracing profiles train``, not to a
    web server's start). Callers in other processes wait on the lock, then find the
    model. ``options`` go to :func:`train_profiles`.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_file(path), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if saved_model(path, store) is not None:
            return None
        stored = store.count_transfers()
        if not 0 < stored <= limit:
            log.info(
                "no profile model at %s; %d stored transfers: train one with 'tracing profiles train'", path, stored
            )
            return None
        return train_profiles(store, path, **options)


def train_missing_in_background(store: Store, path: str | Path, **options) -> threading.Thread:
    """Run :func:`train_missing` in a daemon thread (a failure is logged: the pages keep saying how to train)."""

    def run() -> None:
        try:
            model = train_missing(store, path, **options)
        except Exception:  # the web app runs on without a model; the log holds why
            log.exception("training the profile model at %s failed", path)
            return
        if model is not None:
            log.info("trained the profile model at %s in %s s", path, model.training["seconds"])

    thread = threading.Thread(target=run, name="profiles-first-model", daemon=True)
    thread.start()
    return thread


def profile_of_table(model: ProfileModel, chain: Chain, address: str, context: TransferTable, labels) -> dict:
    """The profile of ``address`` from a table holding all its transfers (e.g. a scored neighbourhood)."""
    found = address_features(context, reference=model.reference, labels=labels, addresses=np.array([address]))
    row = found.row(address)
    if row is None:
        raise AddressNotFound(f"no transfers are stored for {chain.value} address {address}; nothing to profile")
    return describe(model, f"{chain.value}:{address}", row)


def profile_address(store: Store, model: ProfileModel, address: str, chain: Chain | str | None = None) -> dict:
    """Validate ``address``, read its transfers (and those that may forward them) and describe its profile."""
    chain, address = normalize_address(address, chain)
    own = store.transfers_of(chain, address)
    if not len(own):
        raise AddressNotFound(f"no transfers are stored for {chain.value} address {address}; nothing to profile")
    context = pass_through_context(store, chain, address, own, Parameters())
    return profile_of_table(model, chain, address, context, store.label_index(chain))


def saved_model(path: str | Path, store: Store) -> ProfileModel | None:
    """The model saved at ``path`` for ``store``, or None when there is none (outdated, or another store's)."""
    try:
        return ProfileModel.load(path, store.identity)
    except ModelNotTrained:
        return None


def report_profile(model: ProfileModel | None, report: ScoreReport, labels: LabelIndex) -> dict | None:
    """The profile of a scored address, from the transfers its report read (None without a model)."""
    if model is None:
        return None
    return profile_of_table(model, report.table.chain, report.address, report.table, labels)


def scored_profile(store: Store, report: ScoreReport, path: str | Path | None = None) -> dict | None:
    """The ``profile`` of the score JSON: from the model at ``path`` (default ``PROFILES_MODEL``), None untrained."""
    model = saved_model(path or load_settings().profiles_model, store)
    return report_profile(model, report, store.label_index(report.table.chain))
