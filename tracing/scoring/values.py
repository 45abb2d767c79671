"""Test 1, unusual values: z-scores of amounts against the address's history, per asset.

Amounts of different assets are not comparable, so each asset is standardised on
its own and the flags are counted across assets.
"""

import numpy as np

from tracing.model import TransferTable
from tracing.params import Parameters
from tracing.scoring.kernels import group_moments, standardise
from tracing.scoring.result import TestResult, largest_first, transfer_evidence

__all__ = ["unusual_values", "zscores"]

_MAD_TO_SIGMA = 1.4826  # MAD of a normal distribution times this is its standard deviation


def _group_median(groups: np.ndarray, x: np.ndarray, n_groups: int) -> np.ndarray:
    """Median of ``x`` within each group (vectorised: one lexsort)."""
    order = np.lexsort((x, groups))
    counts = np.bincount(groups, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    xs = x[order]
    lo = starts + (counts - 1) // 2
    hi = starts + counts // 2
    valid = counts > 0
    med = np.zeros(n_groups)
    med[valid] = (xs[lo[valid]] + xs[hi[valid]]) / 2
    return med


def zscores(table: TransferTable, method: str = "zscore") -> np.ndarray:
    """Standard score of each transfer's amount within its asset.

    ``'zscore'`` is (amount - mean) / std; ``'robust'`` is (log amount - median) /
    (1.4826 MAD), which heavy tails do not drag. A group with no spread (fewer
    than two transfers, or identical amounts) scores 0. Zero amounts score 0 in
    the robust method (their log is undefined).

    >>> from tracing.testing import make_table
    >>> zscores(make_table([1, 1, 1, 5])).round(2).tolist()
    [-0.58, -0.58, -0.58, 1.73]
    """
    n_groups = len(table.assets)
    if not len(table):
        return np.zeros(0)
    groups = table.asset
    if method == "robust":
        usable = table.value > 0
        x = np.log(np.where(usable, table.value, 1.0))
        groups = np.where(usable, groups, n_groups)  # zero amounts go to a group of their own
        center = _group_median(groups, x, n_groups + 1)
        spread = _MAD_TO_SIGMA * _group_median(groups, np.abs(x - center[groups]), n_groups + 1)
        spread[n_groups] = 0.0
    else:
        # z-scores do not change with the unit: dividing each asset by its largest amount keeps the
        # squares finite (one 1e200 transfer made the variance overflow and every z-score 0)
        scale = np.zeros(n_groups)
        np.maximum.at(scale, groups, np.abs(table.value))
        x = table.value / np.where(scale > 0, scale, 1.0)[groups]
        center, spread = group_moments(groups, x, n_groups)
    return standardise(x, groups, center, spread)


def unusual_values(table: TransferTable, params: Parameters) -> TestResult:
    """Score the share of transfers whose amount is unusual for the address (0-100)."""
    parameters = {
        "minimum_threshold": params.minimum_threshold,
        "maximum_threshold": params.maximum_threshold,
        "method": params.value_method,
    }
    n = len(table)
    if n == 0:
        return TestResult("value", 0.0, "No transfers to compare.", {"flagged_count": 0, "assets": []}, parameters)
    z = zscores(table, params.value_method)
    flagged = (z >= params.maximum_threshold) | (z <= params.minimum_threshold)
    rows = np.flatnonzero(flagged)
    worst = rows[largest_first(np.abs(z[rows]))]
    counts = np.bincount(table.asset, minlength=len(table.assets))
    flagged_counts = np.bincount(table.asset[rows], minlength=len(table.assets))
    assets = [
        {"asset": a.symbol, "contract": a.contract, "transfers": int(c), "flagged": int(f)}
        for a, c, f in zip(table.assets, counts, flagged_counts)
        if c
    ]
    score = 100.0 * len(rows) / n
    if len(rows):
        explanation = (
            f"{len(rows):,} of {n:,} transfers have unusual amounts for this address "
            f"(z <= {params.minimum_threshold:g} or z >= {params.maximum_threshold:g}, {params.value_method})."
        )
    elif n < 3:
        explanation = f"Only {n:,} transfer(s): too few to call any amount unusual."
    else:
        explanation = f"No amount is unusual among {n:,} transfers."
    evidence = {
        "flagged_count": len(rows),
        "assets": assets,
        "transfers": transfer_evidence(table, worst, z=z),
    }
    return TestResult("value", score, explanation, evidence, parameters, rows)
