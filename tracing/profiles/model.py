"""The fitted profile model: pipeline, cluster centres, names, metrics; saved and loaded, never refitted.

:func:`fit_model` transforms the features (scikit-learn pipeline: Yeo-Johnson power
transform, standard scaling, optional PCA), chooses a clustering by measurement
(:mod:`tracing.profiles.selection`) on a sample of at most ``sample`` rows,
assigns every row to its nearest centre and names the clusters
(:mod:`tracing.profiles.naming`). :meth:`ProfileModel.assign` only transforms and
measures distances: assigning an address never refits anything.
"""

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.metrics import davies_bouldin_score, silhouette_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import PowerTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from tracing.errors import BadParameters, ModelNotTrained
from tracing.profiles.features import FEATURE_NAMES, Reference
from tracing.profiles.naming import name_clusters
from tracing.profiles.selection import ALGORITHMS, Measured, candidates, centres_of, nearest, select

__all__ = [
    "AS_GIVEN",
    "FORMAT",
    "OUTLIER_QUANTILE",
    "ProfileModel",
    "cluster_metrics",
    "describe_extremes",
    "fit_model",
]

FORMAT = 2  # bump when the saved layout changes: older files are refused with a message
OUTLIER_QUANTILE = 0.99
AS_GIVEN = "the features as given"  # the space of a model with neither power transform nor PCA


@dataclass
class ProfileModel:
    """Everything assignment needs, plus what the model was trained on and how well it clusters."""

    feature_names: tuple[str, ...]
    used: np.ndarray  # which features vary in the training data (constant ones are dropped)
    pipeline: Pipeline
    centres: np.ndarray
    clusters: list[dict]
    chosen: Measured
    measured: list[Measured]
    metrics: dict
    keys: np.ndarray  # the training rows' names ("chain:address", or the row number)
    raw: np.ndarray = field(repr=False)
    embedded: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    distances: np.ndarray = field(repr=False)
    outlier_cut: float = 0.0
    reference: Reference | None = None
    training: dict = field(default_factory=dict)
    version: str = ""
    format: int = FORMAT

    @property
    def k(self) -> int:
        """Number of clusters."""
        return len(self.centres)

    def transform(self, features: np.ndarray) -> np.ndarray:
        """Feature rows in the model's space (no fitting)."""
        return self.pipeline.transform(np.atleast_2d(features)[:, self.used])

    def assign(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cluster of each feature row and its distance to that cluster's centre."""
        return nearest(self.transform(features), self.centres)

    def percentile(self, cluster: int, distance: float) -> float:
        """Share (0-100) of the cluster's training members at most ``distance`` from its centre."""
        members = self.distances[self.labels == cluster]
        return float(100.0 * np.mean(members <= distance + 1e-9)) if len(members) else 100.0

    def ranges(self, cluster: int) -> np.ndarray:
        """10th, 50th and 90th percentile of each raw feature over the cluster's members (3 x features)."""
        members = self.raw[self.labels == cluster]
        return np.percentile(members if len(members) else self.raw, [10, 50, 90], axis=0)

    def summary(self) -> dict:
        """The JSON summary saved beside the model (and printed by the CLI)."""
        return {
            "format": self.format,
            "version": self.version,
            "algorithm": self.chosen.candidate.algorithm,
            "k": self.k,
            "silhouette": self.metrics["silhouette"],
            "davies_bouldin": self.metrics["davies_bouldin"],
            "stability": self.chosen.stability,
            "clusters": self.clusters,
            "training": self.training,
            "features": [n for n, u in zip(self.feature_names, self.used) if u],
            "candidates": [m.to_dict() for m in self.measured],
        }

    @property
    def space(self) -> str:
        """In words, the space the model clusters in (where its silhouette is measured)."""
        steps = []
        if self.pipeline.named_steps["power"] != "passthrough":
            steps.append("power-transformed (Yeo-Johnson) and standardised")
        pca = self.pipeline.named_steps["pca"]
        if pca != "passthrough":
            steps.append(f"reduced by PCA to {pca.n_components_} of {pca.n_features_in_} components")
        return "the features " + ", then ".join(steps) if steps else AS_GIVEN

    def save(self, path: str | Path) -> Path:
        """Write the model (``path``, joblib) and its summary (``path`` with ``.json``).

        Each file is written beside its place and then renamed into it, so a reader
        (another worker) never loads a half-written model.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_whole(path, lambda partial: joblib.dump(self, partial))
        text = json.dumps(self.summary(), indent=2, default=float)
        _write_whole(path.with_suffix(".json"), lambda partial: partial.write_text(text))
        return path

    @classmethod
    def load(cls, path: str | Path, store: str | None = None) -> "ProfileModel":
        """Read a model written by :meth:`save` (only load files this product wrote: joblib is pickle).

        ``store``, when given, is the identity of the store the model is for (``Store.identity``):
        a model trained on another store's addresses is refused, since its peers and ranges are theirs.

        Raises
        ------
        ModelNotTrained
            No model at ``path``, one saved by another format or scikit-learn version, or one
            trained on another store.
        """
        path = Path(path)
        if not path.exists():
            raise ModelNotTrained(f"no profile model at {path}; train one with 'tracing profiles train'")
        model = joblib.load(path)
        if not isinstance(model, cls) or model.format != FORMAT or model.version.split("/")[1] != sklearn.__version__:
            found = getattr(model, "version", "unknown")
            raise ModelNotTrained(
                f"the profile model at {path} ({found}) is outdated; retrain: 'tracing profiles train'"
            )
        if store is not None and model.training.get("store") != store:
            raise ModelNotTrained(
                f"the profile model at {path} was trained on another store's addresses, not this one's; "
                "train one for this store: 'tracing profiles train'"
            )
        return model


def _write_whole(target: Path, write) -> None:
    """``write(partial)`` to a file beside ``target``, then rename it into place."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.partial")
    write(partial)
    os.replace(partial, target)


def _pipeline(transform: bool, pca: float | int | None) -> Pipeline:
    return Pipeline(
        [
            ("power", PowerTransformer(standardize=False) if transform else "passthrough"),
            ("scale", StandardScaler() if transform else "passthrough"),
            ("pca", PCA(pca, random_state=0) if pca else "passthrough"),
        ]
    )


def describe_extremes(centre: np.ndarray, names: tuple[str, ...]) -> str:
    """A name for a cluster of an unnamed table: its two most extreme standardised coordinates.

    >>> describe_extremes(np.array([1.2, -0.1, -2.0]), ("f1", "f2", "f3"))
    'low f3, high f1'
    """
    top = np.argsort(-np.abs(centre))[:2]
    return ", ".join(f"{'high' if centre[i] > 0 else 'low'} {names[i]}" for i in top)


def fit_model(
    features: np.ndarray,
    keys: np.ndarray,
    *,
    feature_names: tuple[str, ...] = FEATURE_NAMES,
    algorithms=ALGORITHMS,
    ks=range(2, 9),
    transform: bool = True,
    pca: float | int | None = 0.9,
    sample: int = 2000,
    seed: int = 0,
    reference: Reference | None = None,
    training: dict | None = None,
    progress=None,
) -> ProfileModel:
    """Transform, choose a clustering by measurement, assign every row and name the clusters.

    Parameters
    ----------
    features : (n, f) array
        One row per address (or per row of a feature table).
    keys : (n,) array
        The rows' names, kept for "most similar addresses".
    pca : float, int or None
        Share of variance to keep (0-1), a number of components, or None for no PCA.
    sample : int
        Candidates are measured on at most this many rows (agglomerative clustering
        is quadratic); every row is then assigned to the chosen centres.
    """
    features = np.asarray(features, dtype=np.float64)
    used = features.std(axis=0) > 0
    if not used.any():
        raise BadParameters("features", "no feature varies between the rows: there is nothing to cluster")
    pipeline = _pipeline(transform, pca).fit(features[:, used])
    points = pipeline.transform(features[:, used])
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(points), min(len(points), sample), replace=False))
    chosen, measured = select(points[rows], candidates(algorithms, ks), seed=seed, progress=progress)
    with threadpool_limits(1):
        centres = centres_of(chosen.candidate, points[rows], seed)
    labels = nearest(points, centres)[0]
    centres = centres[np.bincount(labels, minlength=len(centres)) > 0]  # no empty clusters
    labels, distances = nearest(points, centres)
    metrics = cluster_metrics(points, labels, seed)
    k = len(centres)
    if tuple(feature_names) == FEATURE_NAMES:
        clusters = name_clusters(features, labels, k)
    else:
        clusters = [
            {"name": describe_extremes(centres[c], tuple(feature_names)), "size": int((labels == c).sum())}
            for c in range(k)
        ]
    return ProfileModel(
        feature_names=tuple(feature_names),
        used=used,
        pipeline=pipeline,
        centres=centres,
        clusters=clusters,
        chosen=chosen,
        measured=measured,
        metrics=metrics,
        keys=np.asarray(keys, dtype=str),
        raw=features,
        embedded=points,
        labels=labels,
        distances=distances,
        outlier_cut=float(np.quantile(distances, OUTLIER_QUANTILE)),
        reference=reference,
        training={"rows": len(features), "selection_sample": len(rows), **(training or {})},
        version=f"profiles-{FORMAT}/{sklearn.__version__}/{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
    )


def cluster_metrics(points: np.ndarray, labels: np.ndarray, seed: int = 0) -> dict:
    """Silhouette and Davies-Bouldin of ``labels`` measured in the space of ``points`` (None for one cluster)."""
    if len(np.unique(labels)) < 2:
        return {"silhouette": None, "davies_bouldin": None}
    size = min(len(points), 10_000)  # exact up to 10,000 rows (the original's table), sampled beyond
    with sklearn.config_context(working_memory=64):  # distances in 64 MiB chunks (default 1 GiB: 800 MiB peaks)
        silhouette = silhouette_score(points, labels, sample_size=size, random_state=seed)
    return {
        "silhouette": round(float(silhouette), 4),
        "davies_bouldin": round(float(davies_bouldin_score(points, labels)), 4),
    }
