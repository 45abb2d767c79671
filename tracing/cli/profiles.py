"""``python -m tracing profiles ...``: train the behavioural profile model, cluster a feature table, show a profile."""

import argparse
import json
import sys
from contextlib import contextmanager

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from tracing.cli import command
from tracing.errors import BadParameters
from tracing.investigate.profiles import profile_address, train_profiles
from tracing.profiles.model import AS_GIVEN, ProfileModel, cluster_metrics, fit_model
from tracing.profiles.selection import ALGORITHMS, Candidate, measure
from tracing.profiles.table_file import read_feature_table, write_assignments
from tracing.settings import load_settings
from tracing.sources import demo
from tracing.store import Store

__all__ = ["add_parser", "parse_ks", "render_comparison", "render_profile"]

ORIGINAL = {"algorithm": "kmeans", "k": 4, "reported_silhouette": 0.383}  # the original profiler's published model
TABLE_SPACE = "the table's own space (its columns as given)"


def parse_ks(text: str | None) -> range:
    """``"4"`` or ``"2-8"`` as a range of k (default 2-8).

    >>> parse_ks("3-5")
    range(3, 6)
    """
    if not text:
        return range(2, 9)
    low, _, high = text.partition("-")
    try:
        ks = range(int(low), int(high or low) + 1)
    except ValueError:
        raise BadParameters("k", f"expected a number or a range like 2-8, got {text!r}") from None
    if not ks or ks.start < 2:
        raise BadParameters("k", f"must be at least 2 (a range like 2-8), got {text!r}")
    return ks


def _pca(text: str | None):
    if text in (None, "", "none", "0"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadParameters(
            "pca", f"expected a share of variance (0.9), a number of components or none, got {text!r}"
        ) from None
    if value <= 0 or (value >= 1 and value != int(value)):
        raise BadParameters("pca", f"expected a share in (0, 1) or a whole number of components, got {text!r}")
    return value if value < 1 else int(value)


def add_parser(sub) -> None:
    """Add ``profiles train|fit-table|show`` to the CLI's sub-parsers."""
    parser = sub.add_parser("profiles", help="behavioural profiles: who does this address behave like?")
    actions = parser.add_subparsers(dest="action", required=True)
    for name, text in (
        ("train", "fit the profile model on every stored address"),
        ("fit-table", "cluster a numeric feature table (CSV) like the original profiler's"),
    ):
        act = actions.add_parser(name, help=text)
        if name == "fit-table":
            act.add_argument("file")
            act.add_argument("--assignments", required=True, metavar="OUT.csv", help="one cluster id per input row")
            act.add_argument("--json", action="store_true", help="print the result as JSON")
            act.add_argument("--transform", choices=("none", "power"), default="none", help="default none")
        act.add_argument("--algorithm", action="append", choices=ALGORITHMS, help="repeat to try several (all)")
        act.add_argument("--k", help="clusters to try: K or a range like 2-8 (default 2-8)")
        act.add_argument("--pca", help="share of variance or components to keep, or none")
    show = actions.add_parser("show", help="the profile of one address")
    show.add_argument("address")
    show.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected when omitted)")
    show.add_argument("--json", action="store_true")
    for act in (actions.choices["train"], show):
        act.add_argument("--model", help="model file (default: PROFILES_MODEL or instance/profiles/model.joblib)")


@contextmanager
def _progress_bar(shown: bool = True):
    """A ``progress(done, total)`` callback drawing a tqdm bar on stderr (None when not ``shown``)."""
    if not shown:
        yield None
        return
    with tqdm(desc="measuring candidates", unit=" candidates", file=sys.stderr, leave=False) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


def _options(args: argparse.Namespace, default_pca) -> dict:
    pca = _pca(args.pca) if args.pca is not None else default_pca
    return {"algorithms": tuple(args.algorithm or ALGORITHMS), "ks": parse_ks(args.k), "pca": pca}


def render_profile(p: dict) -> str:
    """A profile as text for the terminal."""
    lines = [f"Profile: {p['name']} (cluster {p['cluster']}): {p['meaning']}", p["outlier_reason"]]
    lines += ["Most similar stored addresses:"] + [
        f"  {s['chain']} {s['address']}  distance {s['distance']:.2f}  ({s['cluster']})" for s in p["similar"]
    ]
    lines.append("Features (value; cluster's 10th-90th percentile):")
    mark = {-1: "below", 0: "", 1: "above"}
    lines += [
        f"  {f['feature']:<20} {f['value']:>12.4g}   {f['low']:.4g} - {f['high']:.4g}  {mark[f['outside']]}"
        for f in p["features"]
    ]
    return "\n".join(lines)


def _model_path(args: argparse.Namespace) -> str:
    return args.model or load_settings().profiles_model


@command("profiles")
def cmd_profiles(args: argparse.Namespace, store: Store) -> int:
    """Dispatch ``profiles train|fit-table|show``."""
    if args.action == "fit-table":
        return _fit_table(args)
    demo.ensure_demo(store)
    if args.action == "train":
        with _progress_bar() as progress:
            model = train_profiles(store, _model_path(args), progress=progress, **_options(args, 0.9))
        summary = model.summary()
        print(
            f"Trained on {summary['training']['addresses']} addresses: {summary['algorithm']} k={summary['k']}, "
            f"silhouette {summary['silhouette']}, Davies-Bouldin {summary['davies_bouldin']}, "
            f"stability (ARI) {summary['stability']}; saved to {_model_path(args)}"
        )
        for c in summary["clusters"]:
            print(f"  {c['size']:>7}  {c['name']}")
        return 0
    profile = profile_address(store, ProfileModel.load(_model_path(args), store.identity), args.address, args.chain)
    print(json.dumps(profile, indent=2) if args.json else render_profile(profile))
    return 0


def _fit_table(args: argparse.Namespace) -> int:
    """Cluster a feature table and set the chosen model beside the original's k-means k=4, in the table's space.

    Every silhouette set side by side is measured in the same space, the table's columns as given: for the
    original's table that is its own transformed feature space. When ``--transform`` or ``--pca`` make the
    model cluster in another space, its silhouette there is reported apart, as not comparable.
    """
    features, names = read_feature_table(args.file)
    with _progress_bar(not args.json) as progress:
        model = fit_model(
            features,
            np.arange(len(features)).astype(str),
            feature_names=names,
            transform=args.transform == "power",
            progress=progress,
            **_options(args, None),
        )
    write_assignments(args.assignments, model.labels)
    original = KMeans(4, n_init=10, random_state=0).fit_predict(features)
    result = {
        "algorithm": model.chosen.candidate.algorithm,
        "k": model.k,
        **cluster_metrics(features, model.labels),
        "stability": model.chosen.stability,
        "space": TABLE_SPACE,
        "clusters": [{"name": c["name"], "size": c["size"]} for c in model.clusters],
        "rows": len(features),
        "model_space": {"space": model.space, **model.metrics},
        "original": {
            **ORIGINAL,
            **cluster_metrics(features, original),
            "stability": _stability(Candidate("kmeans", k=4), features),
            "space": TABLE_SPACE,
        },
    }
    print(json.dumps(result, indent=2) if args.json else render_comparison(result))
    return 0


def _stability(candidate: Candidate, points: np.ndarray) -> float:
    """Stability (mean ARI of bootstrap refits) of a k-means candidate on every row (linear: no sample needed)."""
    with threadpool_limits(1):  # as the selection: OpenMP threads cost more than they bring on a busy machine
        return measure(candidate, points).stability


def render_comparison(result: dict) -> str:
    """The side-by-side report of ``fit-table``: the original's k-means and the chosen model, one space."""
    o = result["original"]
    lines = [
        f"{result['rows']} rows. Silhouettes measured in {result['space']}:",
        f"  {'model':<54} {'k':>2}  silhouette  Davies-Bouldin  stability (ARI)",
        f"  {'the original: kmeans (it reported ' + str(o['reported_silhouette']) + ' on its table)':<54} "
        f"{o['k']:>2}  {o['silhouette']:>10}  {o['davies_bouldin']:>14}  {o['stability']:>15}",
        f"  {'chosen here by measurement: ' + result['algorithm']:<54} {result['k']:>2}  "
        f"{result['silhouette']:>10}  {result['davies_bouldin']:>14}  {result['stability']:>15}",
    ]
    inner = result["model_space"]
    if inner["space"] != AS_GIVEN:
        lines.append(
            f"The chosen model clustered {inner['space']}: silhouette {inner['silhouette']} there, "
            "not comparable with the figures above."
        )
    lines += [f"  {c['size']:>7}  {c['name']}" for c in result["clusters"]]
    return "\n".join(lines)
