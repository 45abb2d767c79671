"""Behavioural profiles from the store: features of every stored address, training, one address's profile.

Training reads every transfer of each chain once (``Store.transfers_on``) and
computes all addresses' features in one vectorised pass per chain; profiling
one address reads its transfers and their pass-through neighbourhood only.
"""

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
    "train_profiles",
]


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
    training = {"addresses": len(keys), "transfers": transfers, "chains": chains, "database": store.url.split("://")[0]}
    model = fit_model(rows, keys, reference=reference, training=training, progress=progress, **options)
    model.training["seconds"] = round(time.perf_counter() - started, 2)
    model.save(path)
    return model


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


def saved_model(path: str | Path) -> ProfileModel | None:
    """The model saved at ``path``, or None when there is none (or it is outdated)."""
    try:
        return ProfileModel.load(path)
    except ModelNotTrained:
        return None


def report_profile(model: ProfileModel | None, report: ScoreReport, labels: LabelIndex) -> dict | None:
    """The profile of a scored address, from the transfers its report read (None without a model)."""
    if model is None:
        return None
    return profile_of_table(model, report.table.chain, report.address, report.table, labels)


def scored_profile(store: Store, report: ScoreReport, path: str | Path | None = None) -> dict | None:
    """The ``profile`` of the score JSON: from the model at ``path`` (default ``PROFILES_MODEL``), None untrained."""
    model = saved_model(path or load_settings().profiles_model)
    return report_profile(model, report, store.label_index(report.table.chain))
