"""GraphSense TagPacks (YAML) as labels.

A TagPack has header fields (``title``, ``label``, ``category``, ``abuse``,
``currency``, ``source``, ``confidence``, ``actor`` ...) that every tag inherits
unless it sets its own. GraphSense's taxonomy is mapped onto our categories:
what an entity did (``abuse``) wins over what it is (``category``); terms we do
not map become ``other`` with the term kept in the detail. Tags on chains the
product does not read are skipped and reported, never guessed.

:func:`tagpack_text` writes labels as a TagPack that :func:`read_tagpack` (and
GraphSense) read back: the category as GraphSense's ``category`` or ``abuse`` term,
the confidence as the nearest GraphSense level.
"""

from pathlib import Path

import yaml

from tracing.errors import ImportFormatError, InvalidAddress
from tracing.labels.model import Label, LabelsRead
from tracing.labels.sanctions import ASSET_CHAINS
from tracing.model import Chain, normalize_address

__all__ = ["CONFIDENCE", "TAXONOMY", "category_of", "read_tagpack", "tagpack_text"]

TAXONOMY = {
    "exchange": "exchange",
    "mixing_service": "mixer",
    "coinjoin": "mixer",
    "mixer": "mixer",
    "bridge": "bridge",
    "service_hack": "hack",
    "hack": "hack",
    "sanction": "sanctioned",
    "scam": "scam",
    "phishing": "scam",
    "ponzi_scheme": "scam",
    "investment_fraud": "scam",
    "sextortion": "scam",
    "ransomware": "scam",
    "gambling": "gambling",
    "defi": "defi",
    "defi_lending": "defi",
    "defi_dex": "defi",
    "wallet_service": "service",
    "service": "service",
    "market": "service",
    "miner": "service",
    "payment_processor": "service",
    "victim": "victim",  # not a GraphSense term: our own exports carry it
}
"""GraphSense taxonomy term -> our category (``defi_*`` terms are ``defi``; the rest ``other``)."""

CONFIDENCE = {
    "ownership": 100,
    "authority_data": 95,
    "forensic": 90,
    "service_data": 85,
    "ledger_immanent": 80,
    "manual_transaction_check": 70,
    "web_crawl": 50,
    "untrusted_transaction": 30,
}
"""GraphSense confidence level -> our 0-100 confidence (an ordering of our own; unknown levels are 50)."""

_CURRENCY_CHAINS = {
    "BTC": (Chain.BITCOIN,),
    "ETH": (Chain.ETHEREUM,),
    "TRX": (Chain.TRON,),
    "SOL": (Chain.SOLANA,),
    "USDT": (Chain.ETHEREUM, Chain.TRON),
    "USDC": (Chain.ETHEREUM, Chain.TRON, Chain.SOLANA),
}
_FIELDS = ("label", "category", "abuse", "currency", "source", "confidence", "actor", "context")


def category_of(category: str | None, abuse: str | None) -> tuple[str, str]:
    """Our category for a tag's GraphSense ``category`` and ``abuse``, and the unmapped term ('' if none)."""
    for term in (abuse, category):
        if not term:
            continue
        term = str(term).strip().lower()
        mapped = TAXONOMY.get(term) or ("defi" if term.startswith("defi") else None)
        if mapped:
            return mapped, ""
    term = abuse or category or ""
    return "other", str(term)


def _address(currency: str, address: str) -> tuple[Chain, str]:
    chains = _CURRENCY_CHAINS.get(currency.upper())
    if chains is None:
        raise InvalidAddress(f"currency {currency or '(none)'}: a chain the product does not read")
    errors = []
    for chain in chains:
        try:
            return normalize_address(address, chain)
        except InvalidAddress as err:
            errors.append(str(err))
    raise InvalidAddress(errors[0])


def read_tagpack(path: str | Path, *, added_by: str = "", added_at: int = 0) -> LabelsRead:
    """Read one TagPack file; labels are named after the pack (``source`` is ``tagpack:<file>``).

    Raises
    ------
    ImportFormatError
        Not YAML, or no ``tags`` list.
    """
    path = Path(path)
    try:
        pack = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ImportFormatError(f"{path}: not a readable TagPack: {err}") from err
    if not isinstance(pack, dict) or not isinstance(pack.get("tags"), list):
        raise ImportFormatError(f"{path}: a TagPack is a YAML mapping with a 'tags' list")
    header = {k: pack.get(k) for k in _FIELDS}
    title, source = str(pack.get("title") or path.stem), f"tagpack:{path.name}"
    read = LabelsRead()
    for number, tag in enumerate(pack["tags"], start=1):
        if not isinstance(tag, dict) or not tag.get("address"):
            read.skipped.append(f"tag {number}: no address")
            continue
        values = {k: tag.get(k, header[k]) for k in _FIELDS}
        address = str(tag["address"]).strip()
        try:
            chain, canonical = _address(str(values["currency"] or ""), address)
        except InvalidAddress as err:
            read.skipped.append(f"tag {number}: {address}: {err}")
            continue
        category, term = category_of(values["category"], values["abuse"])
        detail = "; ".join(str(x) for x in (title, term and f"GraphSense term {term}", values["source"]) if x)
        read.labels.append(
            Label(
                chain,
                canonical,
                str(values["label"] or values["actor"] or title)[:200],
                category,
                source,
                detail=detail,
                confidence=CONFIDENCE.get(str(values["confidence"] or ""), 50),
                actor=str(values["actor"] or "")[:120],
                added_by=added_by,
                added_at=added_at,
            )
        )
    return read


_TERMS = {"mixer": "mixing_service", "sanctioned": "sanction", "service": "wallet_service"}
"""Our category -> GraphSense term where the names differ (the rest keep their name; ``other`` has none)."""
_ABUSE = ("sanctioned", "scam", "hack")
"""Categories that say what an entity did: GraphSense's ``abuse`` field."""
_CURRENCY = {Chain.BITCOIN: "BTC", Chain.ETHEREUM: "ETH", Chain.TRON: "TRX", Chain.SOLANA: "SOL"} | {
    chains[0]: asset for asset, chains in ASSET_CHAINS.items() if not isinstance(chains[0], Chain)
}
"""Chain -> TagPack currency; a chain the product does not read keeps its list's asset code (LTC, BCH ...)."""


def _tag(label: Label) -> dict:
    term = "" if label.category == "other" else _TERMS.get(label.category, label.category)
    level = min(CONFIDENCE, key=lambda k: (abs(CONFIDENCE[k] - label.confidence), -CONFIDENCE[k]))
    currency = _CURRENCY.get(label.chain) or str(label.chain).upper()
    tag = {"address": label.address, "currency": currency, "label": label.name}
    tag.update({"abuse" if label.category in _ABUSE else "category": term} if term else {})
    tag.update({"source": label.source, "confidence": level, "context": label.detail})
    return {**tag, **({"actor": label.actor} if label.actor else {})}


def tagpack_text(labels, *, title: str = "Tracing labels", creator: str = "tracing") -> str:
    """Labels as TagPack YAML (one tag each; chains the product does not read keep their currency code)."""
    pack = {"title": title, "creator": creator, "is_public": False, "tags": [_tag(lb) for lb in labels]}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: ten times faster at 10^5 tags
    return yaml.dump(pack, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000)
