"""What a test returns: score, evidence, parameters and a one-line explanation."""

from dataclasses import dataclass, field

import numpy as np

from tracing.model import TransferTable, display_address
from tracing.model.transfer import format_units

__all__ = ["EVIDENCE_LIMIT", "TestResult", "largest_first", "transfer_evidence"]

EVIDENCE_LIMIT = 50
"""Most evidence items listed per test; the counts always cover everything."""


@dataclass(frozen=True)
class TestResult:
    """One test's outcome.

    ``rows`` holds the positions (in the address's time-sorted table) of the
    transfers the test flagged, for charts; it is not part of the JSON document.
    """

    name: str
    score: float
    explanation: str
    evidence: dict
    parameters: dict
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False, compare=False)

    def to_dict(self) -> dict:
        """JSON-ready document of the test."""
        return {
            "score": round(float(self.score), 2),
            "explanation": self.explanation,
            "evidence": self.evidence,
            "parameters": self.parameters,
        }


def largest_first(scores: np.ndarray, limit: int = EVIDENCE_LIMIT) -> np.ndarray:
    """Positions of the ``limit`` largest ``scores``, largest first, ties in position order.

    Only the candidates at or above the ``limit``-th largest score are sorted.

    >>> largest_first(np.array([1.0, 5.0, 3.0, 5.0]), 3).tolist()
    [1, 3, 2]
    """
    candidates = np.arange(len(scores))
    if len(scores) > limit:
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        candidates = np.flatnonzero(scores >= cut)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:limit]


def transfer_evidence(table: TransferTable, rows, **extra_columns) -> list[dict]:
    """Transfers at ``rows`` as JSON-ready dicts; ``extra_columns`` are arrays indexed like the table."""
    out = []
    for r in np.asarray(rows, dtype=np.int64):
        asset = table.assets[table.asset[r]]
        item = {
            "tx_hash": str(table.tx_hash[r]),
            "index": int(table.index[r]),
            "timestamp": int(table.timestamp[r]),
            "from": display_address(table.chain, str(table.addresses[table.src[r]])),
            "to": display_address(table.chain, str(table.addresses[table.dst[r]])),
            "asset": asset.symbol,
            "amount": format_units(int(table.amount[r]), asset.decimals),
        }
        for name, column in extra_columns.items():
            item[name] = round(float(column[r]), 4)
        out.append(item)
    return out
