"""Test 2, frequent transfers: consecutive transfers in one direction closer than a window."""

import numpy as np

from tracing.model import TransferTable
from tracing.params import Parameters
from tracing.scoring.kernels import bursts, run_volumes
from tracing.scoring.result import EVIDENCE_LIMIT, TestResult

__all__ = ["frequent_transfers"]


def frequent_transfers(table: TransferTable, address_code: int, params: Parameters) -> TestResult:
    """Score the share of the address's transfers that come in bursts (0-100).

    A burst is a run of transfers in one direction, each closer than
    ``time_difference`` to the previous one (:func:`tracing.scoring.kernels.bursts`).
    Incoming and outgoing transfers are taken separately, each in time order, so
    the result does not depend on the order of the input.
    """
    window = params.time_difference
    parameters = {"time_difference": window}
    n = len(table)
    stamps = table.timestamp
    order = np.zeros(0, np.int64) if table.in_time_order() else np.argsort(stamps, kind="stable")
    incoming, outgoing, involved, runs = bursts(order, table.src, table.dst, address_code, stamps, window)
    side, starts, ends, first, last = runs.T
    sizes = ends - starts
    listed = np.lexsort((side, first, -sizes))[:EVIDENCE_LIMIT]  # largest first, then earliest, incoming first
    bursts_found = []
    for k in listed:
        volume = run_volumes(
            outgoing if side[k] else incoming, starts[k], ends[k], table.asset, table.value, max(len(table.assets), 1)
        )
        bursts_found.append(
            {
                "direction": "out" if side[k] else "in",
                "transfers": int(sizes[k]),
                "start": int(first[k]),
                "end": int(last[k]),
                "volume": {table.assets[a].symbol: round(float(volume[a]), 6) for a in np.flatnonzero(volume)},
            }
        )
    count = int(involved.sum())
    score = 100.0 * count / n if n else 0.0
    if n == 0:
        explanation = "No transfers to time."
    elif count:
        explanation = f"{count:,} of {n:,} transfers follow another in the same direction within {window:,} s ({len(runs):,} burst(s))."
    else:
        explanation = f"No two transfers in the same direction are closer than {window:,} s."
    evidence = {"involved_count": count, "burst_count": len(runs), "bursts": bursts_found}
    return TestResult("transfers", score, explanation, evidence, parameters, np.flatnonzero(involved))
