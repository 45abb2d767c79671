"""One address's profile: its cluster and name, how typical it is, its nearest peers, its features in context.

:func:`describe` reads a fitted :class:`~tracing.profiles.model.ProfileModel` and
one feature row; it never refits. The dict it returns is what the address page's
profile card, ``tracing profiles show`` and the ``profile`` key of the score
JSON show.
"""

import numpy as np

from tracing.profiles.features import FEATURES
from tracing.profiles.model import OUTLIER_QUANTILE, ProfileModel

__all__ = ["SIMILAR", "describe", "model_text", "split_key", "typicality"]

SIMILAR = 5


def split_key(key: str) -> tuple[str, str]:
    """``("tron", "T...")`` from a training key ``"tron:T..."``."""
    chain, _, address = key.partition(":")
    return chain, address


EDGE_PERCENTILE = 90  # at least this far out among its cluster's members: on the cluster's edge


def _outlier_text(outlier: bool, distance: float, cut: float, name: str, percentile: float, members: int) -> str:
    if outlier:
        return (
            f"Outlier: {distance:.2f} from the nearest cluster centre, farther than "
            f"{OUTLIER_QUANTILE:.0%} of the training addresses are from theirs (at most {cut:.2f}); "
            f"it behaves like none of the clusters, and is only closest to '{name}'."
        )
    within = f"{distance:.2f} from the centre of '{name}', closer than the outlier cut ({cut:.2f}); "
    if members <= 1:
        return (
            f"Typical enough: {within}it is the cluster's only training address (a behaviour of its own in the store)."
        )
    if percentile >= EDGE_PERCENTILE:
        return (
            f"On the cluster's edge: {within}{percentile:.0f} % of the cluster's {members:,} members are at most "
            "this far, so it shares the cluster's behaviour less than most of them do."
        )
    return f"Typical: {within}{percentile:.0f} % of the cluster's {members:,} members are at most this far."


def typicality(profile: dict) -> str:
    """Where the address sits in its cluster, in words (a cluster of one has no spread to rank against)."""
    if profile["members"] <= 1:
        return "the only address of its cluster in the training data"
    return f"distance percentile {profile['percentile']:.0f} (0: at the cluster's centre, 100: its farthest member)"


def model_text(profile: dict) -> str:
    """Which model made the profile and what it was trained on: its similar addresses are among those only."""
    text = f"model {profile['model']}"
    trained = profile.get("trained_on") or {}
    if "addresses" in trained:
        text += f", trained on {trained['addresses']:,} addresses ({trained.get('transfers', 0):,} transfers)"
    return text


def describe(model: ProfileModel, key: str, row: np.ndarray) -> dict:
    """The profile of the address ``key`` (``"chain:address"``) with features ``row``.

    Returns
    -------
    dict
        ``cluster``, ``name``, ``meaning``, ``evidence`` (the features behind the name),
        ``distance``, ``percentile`` (share of the cluster's members at most as far from its
        centre), ``members`` (the cluster's training addresses), ``outlier`` and ``outlier_reason``, ``similar`` (the nearest training
        addresses: chain, address, distance, cluster name), ``features`` (value against the
        cluster's 10th-90th percentile range), ``model`` (its version) and ``trained_on`` (addresses
        and transfers it was trained on, when trained on a store).
    """
    point = model.transform(row)
    labels, distances = model.assign(row)
    cluster, distance = int(labels[0]), float(distances[0])
    info = model.clusters[cluster]
    percentile = model.percentile(cluster, distance)
    members = int((model.labels == cluster).sum())
    outlier = distance > model.outlier_cut
    gaps = np.sqrt(((model.embedded - point) ** 2).sum(axis=1))
    gaps[model.keys == key] = np.inf
    nearest = np.argsort(gaps)[:SIMILAR]
    similar = [
        {
            "chain": split_key(str(model.keys[i]))[0],
            "address": split_key(str(model.keys[i]))[1],
            "distance": round(float(gaps[i]), 3),
            "cluster": model.clusters[int(model.labels[i])]["name"],
        }
        for i in nearest
        if np.isfinite(gaps[i])
    ]
    low, mid, high = model.ranges(cluster)
    features = [
        {
            "feature": name,
            "description": FEATURES.get(name, name),
            "value": round(float(row[j]), 4),
            "low": round(float(low[j]), 4),
            "median": round(float(mid[j]), 4),
            "high": round(float(high[j]), 4),
            "outside": int(row[j] > high[j]) - int(row[j] < low[j]),
        }
        for j, name in enumerate(model.feature_names)
    ]
    return {
        "cluster": cluster,
        "name": info["name"],
        "meaning": info.get("meaning", ""),
        "evidence": info.get("evidence", []),
        "distance": round(distance, 3),
        "percentile": round(percentile, 1),
        "members": members,
        "outlier": bool(outlier),
        "outlier_reason": _outlier_text(outlier, distance, model.outlier_cut, info["name"], percentile, members),
        "similar": similar,
        "features": features,
        "model": model.version,
        "trained_on": {k: model.training[k] for k in ("addresses", "transfers") if k in model.training},
    }
