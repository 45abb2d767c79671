"""What a trace found: the addresses reached, the traced transfers, the exits.

A :class:`Trace` is a frozen, JSON-ready result. Amounts traced are floats in token
units (a model's estimate); the transfers themselves keep their exact amounts.
"""

from dataclasses import dataclass

import numpy as np

from tracing.flow.params import TraceParameters
from tracing.labels import EXIT_CATEGORIES
from tracing.model import Asset, Chain, TransferTable
from tracing.model.transfer import format_units

__all__ = ["Exit", "Trace"]


@dataclass(frozen=True)
class Exit:
    """An exchange, mixer or bridge the traced funds reached: where a freeze request goes."""

    address: str
    label: str
    category: str
    amount: float
    hop: int
    first: int
    last: int
    transactions: tuple[str, ...]

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "address": self.address,
            "label": self.label,
            "category": self.category,
            "amount": self.amount,
            "hop": self.hop,
            "first": self.first,
            "last": self.last,
            "transactions": list(self.transactions),
        }


@dataclass(frozen=True, eq=False)
class Trace:
    """The result of one trace.

    Per address (arrays aligned with ``addresses``, sorted by hop then amount):
    ``hop`` (transfers from the source), ``received`` (traced value that reached it,
    token units), ``sent`` (traced value it passed on), ``inflow`` (everything it
    received in the window, the denominator of ``taint_share``), ``first``/``last``
    (unix times of the first and last traced arrival, -1 for the source), ``label``
    and ``category``. Backward, "received" is the traced value that flowed from the
    address towards the source.

    ``edges`` are the traced transfers (as on chain, sender to receiver) in time
    order, with ``traced`` (value carried) and ``edge_hop`` (hop of the far end).
    """

    chain: Chain
    source: str
    asset: Asset
    params: TraceParameters
    seed: float
    addresses: np.ndarray
    hop: np.ndarray
    received: np.ndarray
    sent: np.ndarray
    inflow: np.ndarray
    first: np.ndarray
    last: np.ndarray
    label: tuple[str, ...]
    category: tuple[str, ...]
    edges: TransferTable
    traced: np.ndarray
    edge_hop: np.ndarray

    def __len__(self) -> int:
        return len(self.addresses)

    @property
    def taint_share(self) -> np.ndarray:
        """Traced share of each address's inflow in the window (0 to 1)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(self.inflow > 0, self.received / self.inflow, 0.0)
        return np.clip(share, 0.0, 1.0)

    def position(self, address: str) -> int:
        """Row of ``address`` in the per-address arrays; KeyError when the trace did not reach it."""
        found = np.flatnonzero(self.addresses == address)
        if not len(found):
            raise KeyError(f"{address} is not in this trace")
        return int(found[0])

    @property
    def exits(self) -> list[Exit]:
        """Exits reached, largest amount first (the source is never its own exit)."""
        sender, receiver = self.edges.sender, self.edges.receiver
        far = receiver if self.params.direction == "forward" else sender
        found = []
        exits = (
            np.isin(np.array(self.category), EXIT_CATEGORIES) & (self.received > 0) & (self.addresses != self.source)
        )
        for i in np.flatnonzero(exits):
            into = far == self.addresses[i]
            txs = tuple(dict.fromkeys(self.edges.tx_hash[into].tolist()))
            found.append(
                Exit(
                    address=str(self.addresses[i]),
                    label=self.label[i],
                    category=self.category[i],
                    amount=float(self.received[i]),
                    hop=int(self.hop[i]),
                    first=int(self.first[i]),
                    last=int(self.last[i]),
                    transactions=txs,
                )
            )
        return sorted(found, key=lambda e: -e.amount)

    def edge_rows(self) -> list[dict]:
        """The traced transfers as JSON-ready dicts (exact amounts as decimal strings)."""
        t, dec = self.edges, self.asset.decimals
        sender, receiver = t.sender, t.receiver
        return [
            {
                "tx_hash": str(t.tx_hash[i]),
                "index": int(t.index[i]),
                "timestamp": int(t.timestamp[i]),
                "from": str(sender[i]),
                "to": str(receiver[i]),
                "asset": self.asset.symbol,
                "amount": format_units(int(t.amount[i]), dec),
                "traced": round(float(self.traced[i]), dec),
                "hop": int(self.edge_hop[i]),
            }
            for i in range(len(t))
        ]

    def address_rows(self) -> list[dict]:
        """Per-address results as JSON-ready dicts."""
        dec, share = self.asset.decimals, self.taint_share
        return [
            {
                "address": str(self.addresses[i]),
                "hop": int(self.hop[i]),
                "received": round(float(self.received[i]), dec),
                "sent": round(float(self.sent[i]), dec),
                "taint_share": round(float(share[i]), 6),
                "first": int(self.first[i]),
                "last": int(self.last[i]),
                "label": self.label[i],
                "category": self.category[i],
            }
            for i in range(len(self))
        ]

    def to_dict(self) -> dict:
        """The JSON document of ``python -m tracing trace --json``."""
        dec = self.asset.decimals
        return {
            "source": self.source,
            "chain": self.chain.value,
            "asset": {"symbol": self.asset.symbol, "contract": self.asset.contract, "decimals": dec},
            "parameters": self.params.to_dict(),
            "seed": round(self.seed, dec),
            "addresses": self.address_rows(),
            "exits": [{**e.to_dict(), "amount": round(e.amount, dec)} for e in self.exits],
            "edges": self.edge_rows(),
        }
