"""Choosing a clustering by measurement: algorithms x k, silhouette, Davies-Bouldin, stability.

Every candidate is reduced to what assignment uses: cluster centres, an address
belonging to the nearest one. So the measured labels are the labels users see,
whatever algorithm found the centres (k-means, Gaussian mixture, agglomerative
with ward, average or complete linkage, HDBSCAN).

The rule (:func:`select`): among candidates that

* split the data: at least two clusters hold ``min_share`` (5 %) of the points
  each; a candidate that only isolates a few outliers is what the outlier flag is
  for, and would otherwise win on silhouette alone;
* are stable: mean adjusted Rand index >= ``min_stability`` (0.9) between the
  labels of the full fit and of fits on bootstrap samples with other seeds;

the highest silhouette wins; Davies-Bouldin (lower is better, to 2 decimals) breaks
ties within 0.005, then the order of :data:`ALGORITHMS` (simplest first). When no candidate is stable, the most stable admissible one is taken and
the report says so.
"""

import warnings
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.metrics import adjusted_rand_score, davies_bouldin_score, silhouette_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from tracing.errors import BadParameters

__all__ = ["ALGORITHMS", "Candidate", "Measured", "candidates", "centres_of", "measure", "nearest", "select"]

ALGORITHMS = ("kmeans", "gmm", "ward", "average", "complete", "hdbscan")
HDBSCAN_SIZES = (0.02, 0.05, 0.1)  # min_cluster_size as a share of the points


@dataclass(frozen=True)
class Candidate:
    """One algorithm with its size parameter: ``k`` clusters, or HDBSCAN's smallest cluster share."""

    algorithm: str
    k: int | None = None
    min_share: float | None = None

    def label(self) -> str:
        """Short text, e.g. ``kmeans k=4``."""
        return f"{self.algorithm} k={self.k}" if self.k else f"{self.algorithm} min_size={self.min_share:.0%}"


@dataclass(frozen=True)
class Measured:
    """A candidate with its measurements on the selection sample."""

    candidate: Candidate
    clusters: int
    silhouette: float
    davies_bouldin: float
    stability: float
    sizes: tuple[int, ...]
    admissible: bool

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {**asdict(self.candidate), **{k: v for k, v in asdict(self).items() if k != "candidate"}}


def candidates(algorithms=ALGORITHMS, ks=range(2, 9)) -> list[Candidate]:
    """Every (algorithm, k) to try; HDBSCAN chooses k itself and tries :data:`HDBSCAN_SIZES`."""
    unknown = sorted(set(algorithms) - set(ALGORITHMS))
    if unknown:
        raise BadParameters("algorithm", f"unknown {unknown[0]!r}; choose from {', '.join(ALGORITHMS)}")
    ks = list(ks)
    if not ks or min(ks) < 2:
        raise BadParameters("k", f"must be at least 2, got {min(ks) if ks else 'nothing'}")
    found = [Candidate(a, k=k) for a in algorithms if a != "hdbscan" for k in ks]
    return found + [Candidate("hdbscan", min_share=s) for s in HDBSCAN_SIZES if "hdbscan" in algorithms]


def nearest(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest centre of each point, and the distance to it."""
    d2 = (points**2).sum(1)[:, None] - 2 * points @ centres.T + (centres**2).sum(1)[None, :]
    label = np.argmin(d2, axis=1)
    return label, np.sqrt(np.maximum(d2[np.arange(len(points)), label], 0))


def centres_of(candidate: Candidate, points: np.ndarray, seed: int) -> np.ndarray:
    """Cluster centres that ``candidate`` finds in ``points`` (k rows; fewer when clusters come out empty)."""
    a, k = candidate.algorithm, candidate.k
    if a == "kmeans":
        return KMeans(k, n_init=4, random_state=seed).fit(points).cluster_centers_
    if a == "gmm":
        return GaussianMixture(k, covariance_type="diag", random_state=seed, reg_covar=1e-4).fit(points).means_
    if a == "hdbscan":
        size = max(5, int(candidate.min_share * len(points)))
        labels = HDBSCAN(min_cluster_size=size, copy=True).fit_predict(points)
    else:
        labels = fcluster(_tree(a, points.tobytes(), points.shape), k, criterion="maxclust")
    found = np.unique(labels[labels >= 0])
    return np.array([points[labels == c].mean(0) for c in found]).reshape(len(found), points.shape[1])


@lru_cache(maxsize=32)
def _tree(method: str, data: bytes, shape: tuple[int, int]) -> np.ndarray:
    """The agglomerative merge tree of some points: built once, cut at every k."""
    return linkage(np.frombuffer(data).reshape(shape), method=method)


def measure(
    candidate: Candidate, points: np.ndarray, *, bootstraps: int = 3, min_share: float = 0.05, seed: int = 0
) -> Measured:
    """Fit ``candidate`` on ``points`` and measure it: silhouette (on a sample of 4,000), Davies-Bouldin, stability.

    Stability is the mean adjusted Rand index between its labels and those of
    ``bootstraps`` refits on bootstrap samples with other seeds.
    """
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of k-means and mixtures on tiny or tied data
        centres = centres_of(candidate, points, seed)
        labels = nearest(points, centres)[0] if len(centres) else np.zeros(len(points), dtype=int)
        sizes = np.bincount(labels, minlength=len(centres))
        used = int((sizes > 0).sum())
        if used < 2:
            return Measured(candidate, used, -1.0, np.inf, 0.0, tuple(sizes.tolist()), False)
        agreement = []
        for b in range(bootstraps):
            sample = np.unique(rng.integers(0, len(points), len(points)))
            again = centres_of(candidate, points[sample], seed + 1 + b)
            agreement.append(adjusted_rand_score(labels, nearest(points, again)[0]) if len(again) else 0.0)
    silhouette = float(silhouette_score(points, labels, sample_size=min(len(points), 4000), random_state=seed))
    splits = int((sizes >= min_share * len(points)).sum()) >= 2
    return Measured(
        candidate,
        used,
        round(silhouette, 4),
        round(float(davies_bouldin_score(points, labels)), 4),
        round(float(np.mean(agreement)), 4),
        tuple(int(s) for s in sizes),
        splits,
    )


def select(
    points: np.ndarray,
    tried: list[Candidate],
    *,
    bootstraps: int = 3,
    min_share: float = 0.05,
    min_stability: float = 0.9,
    seed: int = 0,
    progress=None,
) -> tuple[Measured, list[Measured]]:
    """Measure every candidate on ``points`` and return the chosen one and all measurements (see module doc).

    ``progress(done, total)`` is called after each candidate when given.
    """
    if len(points) < 10:
        raise BadParameters("addresses", f"need at least 10 addresses to cluster, got {len(points)}")
    measured = []
    # One thread: on samples this small, OpenMP threads cost more than they bring (k-means 40x slower on a
    # busy 2-core machine with its default threads).
    with threadpool_limits(1):
        for i, candidate in enumerate(tried):
            measured.append(measure(candidate, points, bootstraps=bootstraps, min_share=min_share, seed=seed))
            if progress:
                progress(i + 1, len(tried))
    admissible = [m for m in measured if m.admissible]
    if not admissible:
        raise BadParameters("k", "no candidate splits the data into clusters; the addresses look alike")
    stable = [m for m in admissible if m.stability >= min_stability]
    if not stable:
        return max(admissible, key=lambda m: (m.stability, m.silhouette)), measured
    best = max(m.silhouette for m in stable)
    close = [m for m in stable if m.silhouette >= best - 0.005]
    order = {c: i for i, c in enumerate(tried)}
    return min(close, key=lambda m: (round(m.davies_bouldin, 2), order[m.candidate])), measured
