"""Test 2, frequent transfers: consecutive transfers in one direction closer than a window."""

import numpy as np

from tracing.model import TransferTable
from tracing.params import Parameters
from tracing.scoring.result import EVIDENCE_LIMIT, TestResult

__all__ = ["close_pairs", "frequent_transfers"]


def close_pairs(timestamps: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """For times sorted ascending: which take part in a gap < ``window``, and the run id of each.

    A run is a maximal sequence of transfers each closer than ``window`` to the
    previous one.
    """
    gaps = np.diff(timestamps)
    close = gaps < window
    involved = np.zeros(len(timestamps), dtype=bool)
    involved[1:] |= close
    involved[:-1] |= close
    run_id = np.concatenate([[0], np.cumsum(~close)])
    return involved, run_id


def frequent_transfers(table: TransferTable, address_code: int, params: Parameters) -> TestResult:
    """Score the share of the address's transfers that come in bursts (0-100).

    Incoming and outgoing transfers are taken separately; each is sorted by time,
    so the result does not depend on the order of the input.
    """
    window = params.time_difference
    parameters = {"time_difference": window}
    n = len(table)
    involved = np.zeros(n, dtype=bool)
    bursts = []
    for direction, mask in (("in", table.dst == address_code), ("out", table.src == address_code)):
        rows = np.flatnonzero(mask)
        rows = rows[np.argsort(table.timestamp[rows], kind="stable")]
        hit, run_id = close_pairs(table.timestamp[rows], window)
        involved[rows[hit]] = True
        if not hit.any():
            continue
        runs = run_id[hit]
        hit_rows = rows[hit]
        sizes = np.bincount(runs)
        starts = np.full(len(sizes), np.iinfo(np.int64).max)
        ends = np.zeros(len(sizes), dtype=np.int64)
        np.minimum.at(starts, runs, table.timestamp[hit_rows])
        np.maximum.at(ends, runs, table.timestamp[hit_rows])
        n_assets = max(len(table.assets), 1)
        volume = np.bincount(
            runs * n_assets + table.asset[hit_rows], weights=table.value[hit_rows], minlength=len(sizes) * n_assets
        ).reshape(-1, n_assets)  # per run and asset
        for run in np.flatnonzero(sizes)[np.argsort(-sizes[np.flatnonzero(sizes)], kind="stable")][:EVIDENCE_LIMIT]:
            bursts.append(
                {
                    "direction": direction,
                    "transfers": int(sizes[run]),
                    "start": int(starts[run]),
                    "end": int(ends[run]),
                    "volume": {
                        table.assets[a].symbol: round(float(volume[run, a]), 6) for a in np.flatnonzero(volume[run])
                    },
                }
            )
    count = int(involved.sum())
    score = 100.0 * count / n if n else 0.0
    bursts.sort(key=lambda b: (-b["transfers"], b["start"]))
    if n == 0:
        explanation = "No transfers to time."
    elif count:
        explanation = (
            f"{count} of {n} transfers follow another in the same direction within {window:,} s "
            f"({len(bursts)} burst(s) listed)."
        )
    else:
        explanation = f"No two transfers in the same direction are closer than {window:,} s."
    evidence = {"involved_count": count, "bursts": bursts[:EVIDENCE_LIMIT]}
    return TestResult("transfers", score, explanation, evidence, parameters, np.flatnonzero(involved))
