"""What a test returns: score, evidence, parameters and a one-line explanation."""

from dataclasses import dataclass, field

import numpy as np

from tracing.model import TransferTable, display_address
from tracing.model.transfer import format_units

__all__ = ["EVIDENCE_LIMIT", "TestResult", "transfer_evidence"]

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
