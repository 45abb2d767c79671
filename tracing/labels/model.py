"""Labels: who holds an address, what kind of entity that is, and who said so.

A :class:`Label` ties a canonical address on a chain to an entity name and a
category (``exchange``, ``mixer``, ``bridge``, ``sanctioned`` ...), with its
provenance: the list or pack it came from, a confidence, the actor behind it,
and who added it when. A :class:`LabelIndex` holds labels in memory for fast
look-ups.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from tracing.model import Chain

__all__ = ["CATEGORIES", "EXIT_CATEGORIES", "PASS_THROUGH_CATEGORIES", "Label", "LabelIndex", "LabelsRead"]

CATEGORIES = (
    "sanctioned",
    "exchange",
    "mixer",
    "bridge",
    "scam",
    "hack",
    "gambling",
    "defi",
    "service",
    "victim",
    "other",
)
EXIT_CATEGORIES = ("exchange", "mixer", "bridge")
PASS_THROUGH_CATEGORIES = ("exchange", "bridge", "service", "defi", "gambling")
"""Entities whose ordinary business is to receive and pay on (sweeps, withdrawals): not hiding."""


@dataclass(frozen=True)
class Label:
    """One statement about an address: who holds it, what kind of entity that is, and its provenance.

    ``name`` is the entity; ``source`` the list, pack or person it came from;
    ``confidence`` 0-100; ``reference`` an identifier in the source (an SDN id);
    ``programs`` and ``listed_on`` describe a sanctions listing; ``list_version``
    which issue of the list it came from; ``added_by`` and ``added_at`` (Unix
    seconds) who stored it when; ``id`` is the store's row id (0 when not stored).
    """

    chain: Chain
    address: str
    name: str
    category: str
    source: str
    detail: str = ""
    confidence: int = 50
    actor: str = ""
    reference: str = ""
    programs: str = ""
    listed_on: str = ""
    list_version: str = ""
    added_by: str = ""
    added_at: int = 0
    id: int = 0

    def to_dict(self) -> dict:
        """JSON-ready dict of what it says (without the chain and address it is attached to)."""
        return {
            "name": self.name,
            "category": self.category,
            "source": self.source,
            "detail": self.detail,
            "confidence": self.confidence,
            "actor": self.actor,
        }

    def record(self) -> dict:
        """Every field as plain values (the chain as its name): a row of an export."""
        out = asdict(self)
        out["chain"] = self.chain.value
        return out

    def but(self, **changes) -> "Label":
        """A copy with some fields changed."""
        return replace(self, **changes)


@dataclass
class LabelsRead:
    """What a label or sanctions file held: its labels, and the entries skipped, each with where and why."""

    labels: list[Label] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class LabelIndex:
    """Labels held in memory for fast look-ups by address."""

    def __init__(self, labels: Iterable[Label] = ()):
        self._by_key: dict[tuple[Chain, str], list[Label]] = {}
        for label in labels:
            self._by_key.setdefault((label.chain, label.address), []).append(label)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def __iter__(self):
        for labels in self._by_key.values():
            yield from labels

    def plus(self, labels: Iterable[Label]) -> "LabelIndex":
        """A new index with ``labels`` added (this one is left as it is; only the touched addresses are copied)."""
        out = LabelIndex()
        out._by_key = dict(self._by_key)
        for label in labels:
            key = (label.chain, label.address)
            out._by_key[key] = [*out._by_key.get(key, []), label]
        return out

    def of(self, chain: Chain, address: str) -> list[Label]:
        """Every label of one address."""
        return self._by_key.get((chain, address), [])

    def anywhere(self, address: str) -> list[Label]:
        """Every label of an address as written, on any chain (one pass: for the rare look-up without a chain)."""
        return [lb for (_, a), labels in self._by_key.items() if a == address for lb in labels]

    def sanctioned(self, chain: Chain, address: str) -> list[Label]:
        """The sanctions entries of one address (empty when it is not listed)."""
        return [lb for lb in self.of(chain, address) if lb.category == "sanctioned"]

    def sources(self, chain: Chain, category: str) -> list[str]:
        """Names of the lists that label addresses of ``category`` on ``chain``."""
        return sorted(
            {
                lb.source
                for (c, _), labels in self._by_key.items()
                if c == chain
                for lb in labels
                if lb.category == category
            }
        )

    def addresses(self, chain: Chain, category: str | Iterable[str] | None = None) -> np.ndarray:
        """Sorted array of labelled addresses on ``chain`` (of one or several categories, if given)."""
        wanted = None if category is None else {category} if isinstance(category, str) else set(category)
        found = {
            a
            for (c, a), labels in self._by_key.items()
            if c == chain and any(wanted is None or lb.category in wanted for lb in labels)
        }
        return np.array(sorted(found), dtype=str)
