"""Who an address belongs to: entity labels and sanctions lists.

A :class:`Label` ties a canonical address on a chain to a name and a category
(``exchange``, ``mixer``, ``bridge``, ``sanctioned`` ...). Sanctions lists load
from the OFAC-derived CSV (``asset,address,sdn_fixed_ref,sdn_primary_name,programs,
entry_date``) or from plain text, one address per line.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracing.errors import ImportFormatError, InvalidAddress
from tracing.model import Chain, normalize_address

__all__ = ["CATEGORIES", "EXIT_CATEGORIES", "Label", "LabelIndex", "load_sanctions_file"]

CATEGORIES = ("sanctioned", "exchange", "mixer", "bridge", "scam", "hack", "victim", "service", "other")
EXIT_CATEGORIES = ("exchange", "mixer", "bridge")


@dataclass(frozen=True)
class Label:
    """One statement about an address: who holds it and what kind of entity that is."""

    chain: Chain
    address: str
    name: str
    category: str
    source: str
    detail: str = ""

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"name": self.name, "category": self.category, "source": self.source, "detail": self.detail}


class LabelIndex:
    """Labels held in memory for fast look-ups by address (one chain at a time)."""

    def __init__(self, labels: Iterable[Label] = ()):
        self._by_key: dict[tuple[Chain, str], list[Label]] = {}
        for label in labels:
            self._by_key.setdefault((label.chain, label.address), []).append(label)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def of(self, chain: Chain, address: str) -> list[Label]:
        """Every label of one address."""
        return self._by_key.get((chain, address), [])

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

    def addresses(self, chain: Chain, category: str | None = None) -> np.ndarray:
        """Sorted array of labelled addresses on ``chain`` (of one category, if given)."""
        found = {
            a
            for (c, a), labels in self._by_key.items()
            if c == chain and any(category in (None, lb.category) for lb in labels)
        }
        return np.array(sorted(found), dtype=str)


def load_sanctions_file(path: str | Path, *, source: str | None = None) -> tuple[list[Label], int]:
    """Read a sanctions list; return its labels and how many entries were skipped.

    Entries on chains the product does not read (Monero, Litecoin ...) and
    malformed addresses are skipped and counted, never guessed at.
    """
    path = Path(path)
    source = source or f"sanctions:{path.name}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFormatError(f"cannot read sanctions list {path}: {err}") from err
    lines = text.splitlines()
    if lines and lines[0].lower().startswith("asset,address"):
        rows = [(r["address"], r.get("sdn_primary_name") or "OFAC SDN", _detail(r)) for r in csv.DictReader(lines)]
    elif lines and "," in lines[0]:
        raise ImportFormatError(f"{path}: expected a header 'asset,address,...' or one address per line")
    else:
        rows = [(line.strip(), "OFAC SDN", "") for line in lines if line.strip() and not line.startswith("#")]
    labels, skipped = [], 0
    for address, name, detail in rows:
        try:
            chain, canonical = normalize_address(address)
        except InvalidAddress:
            skipped += 1
            continue
        labels.append(Label(chain, canonical, name, "sanctioned", source, detail))
    return labels, skipped


def _detail(row: dict) -> str:
    parts = [f"SDN {row.get('sdn_fixed_ref', '')}".strip(), row.get("programs", ""), row.get("entry_date", "")]
    return "; ".join(p for p in parts if p and p != "SDN")
