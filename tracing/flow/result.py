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

__all__ = ["DESTINATION_GROUPS", "Exit", "Trace", "destination_group", "group_title"]

DESTINATION_GROUPS = {
    "exchange": "Exchanges (freeze requests)",
    "sanctioned": "Sanctioned",
    "mixer": "Mixers",
    "bridge": "Bridges",
    "high_risk": "Scams and hacks",
}
"""Kinds of labelled addresses a trace reports, in the order an investigator acts on them, with their titles."""


def group_title(group: str, direction: str = "forward") -> str:
    """The title of a destination group; backward, exchanges are where the funds came from.

    >>> group_title("exchange"), group_title("exchange", "backward")
    ('Exchanges (freeze requests)', 'Exchanges the funds came from (account holder requests)')
    """
    if group == "exchange" and direction == "backward":
        return "Exchanges the funds came from (account holder requests)"
    return DESTINATION_GROUPS[group]


def destination_group(categories: set[str]) -> str:
    """The group an address with labels of ``categories`` is reported in ('' for none); sanctions come first.

    >>> destination_group({"exchange", "sanctioned"}), destination_group({"hack"}), destination_group({"victim"})
    ('sanctioned', 'high_risk', '')
    """
    if "sanctioned" in categories:
        return "sanctioned"
    found = [c for c in EXIT_CATEGORIES if c in categories]
    if found:
        return found[0]
    return "high_risk" if categories & {"scam", "hack"} else ""


@dataclass(frozen=True)
class Exit:
    """A labelled address the traced funds reached: an exchange (where a freeze request goes), a sanctioned
    address, a mixer, a bridge, a scam or a hack. ``group`` is its :data:`DESTINATION_GROUPS` key."""

    address: str
    label: str
    category: str
    amount: float
    hop: int
    first: int
    last: int
    transactions: tuple[str, ...]
    group: str = ""

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "address": self.address,
            "group": self.group,
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
    (unix times of the first and last traced arrival, -1 for the source), ``label``,
    ``category`` and ``group`` (see :func:`destination_group`). Backward, "received" is the traced value that flowed from the
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
    group: tuple[str, ...] = ()

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
        """Exits reached (exchanges, mixers, bridges: where the trace stops), largest amount first; the source is
        never its own exit."""
        exits = np.isin(np.array(self.category, dtype=str), EXIT_CATEGORIES)
        return sorted(self._reached(exits), key=lambda e: -e.amount)

    @property
    def destinations(self) -> dict[str, list[Exit]]:
        """Labelled addresses reached, per :data:`DESTINATION_GROUPS` key (in that order), largest amount first."""
        groups = np.array(self.group or [""] * len(self), dtype=str)
        found = sorted(self._reached(groups != ""), key=lambda e: -e.amount)
        return {g: items for g in DESTINATION_GROUPS if (items := [e for e in found if e.group == g])}

    def _reached(self, mask: np.ndarray) -> list[Exit]:
        """The addresses of ``mask`` that traced funds reached (not the source), as :class:`Exit` items."""
        far = self.edges.receiver if self.params.direction == "forward" else self.edges.sender
        found = []
        for i in np.flatnonzero(mask & (self.received > 0) & (self.addresses != self.source)):
            into = far == self.addresses[i]
            found.append(
                Exit(
                    address=str(self.addresses[i]),
                    label=self.label[i],
                    category=self.category[i],
                    amount=float(self.received[i]),
                    hop=int(self.hop[i]),
                    first=int(self.first[i]),
                    last=int(self.last[i]),
                    transactions=tuple(dict.fromkeys(self.edges.tx_hash[into].tolist())),
                    group=self.group[i] if self.group else "",
                )
            )
        return found

    def summary(self) -> dict:
        """How much reached exits and each group of labelled addresses: ``{name: {"count", "amount", "share"}}``,
        the share of the seed (None without a seed). Under poison the shares are upper bounds and may pass 1:
        every tainted transfer counts in full."""
        dec = self.asset.decimals

        def line(items: list[Exit]) -> dict:
            amount = sum(e.amount for e in items)
            share = round(amount / self.seed, 6) if self.seed > 0 else None
            return {"count": len(items), "amount": round(amount, dec), "share": share}

        return {"exits": line(self.exits), **{g: line(items) for g, items in self.destinations.items()}}

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
        """Per-address results as JSON-ready dicts; ``label`` is the entity shown, ``sanctioned`` whether any
        sanctions list names the address (an exchange may be listed too)."""
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
                "sanctioned": bool(self.group) and self.group[i] == "sanctioned",
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
            "summary": self.summary(),
            "exits": [{**e.to_dict(), "amount": round(e.amount, dec)} for e in self.exits],
            "destinations": {
                g: [{**e.to_dict(), "amount": round(e.amount, dec)} for e in items]
                for g, items in self.destinations.items()
            },
            "edges": self.edge_rows(),
        }
