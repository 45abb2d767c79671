"""Sanctions lists as labels: the OFAC-derived CSV, or plain text with one address per line.

Each entry is named after its list (``source``), never a list it did not come
from. Entries on chains the product does not read (Litecoin, Monero, Bitcoin
Cash ...) are kept under that chain's name, so ``sanctions check`` still answers
for them, but they are never guessed as Bitcoin or Ethereum addresses unless the
caller says which chain the list is for. Lines that cannot be used are reported
with their line number and the reason.
"""

import csv
from pathlib import Path

from tracing.errors import ImportFormatError, InvalidAddress
from tracing.labels.model import Label, LabelsRead
from tracing.model import Chain, normalize_address

__all__ = ["ASSET_CHAINS", "OFAC_LIST", "LabelsRead", "chain_of_listing", "load_sanctions_file", "sdn_labels"]

OFAC_LIST = "OFAC SDN"
CSV_HEADER = ("asset", "address", "sdn_fixed_ref", "sdn_primary_name", "programs", "entry_date")

ASSET_CHAINS: dict[str, tuple[Chain | str, ...]] = {
    "XBT": (Chain.BITCOIN,),
    "ETH": (Chain.ETHEREUM,),
    "TRX": (Chain.TRON,),
    "SOL": (Chain.SOLANA,),
    "USDT": (Chain.ETHEREUM, Chain.TRON, Chain.BITCOIN),  # ERC-20, TRC-20, Omni: the address says which
    "USDC": (Chain.ETHEREUM, Chain.TRON, Chain.SOLANA),
    "ARB": ("arbitrum",),
    "BSC": ("bsc",),
    "BNB": ("bnb",),
    "ETC": ("ethereum-classic",),
    "LTC": ("litecoin",),
    "BCH": ("bitcoin-cash",),
    "BSV": ("bitcoin-sv",),
    "BTG": ("bitcoin-gold",),
    "DASH": ("dash",),
    "XMR": ("monero",),
    "XRP": ("xrp",),
    "XVG": ("verge",),
    "ZEC": ("zcash",),
}
"""Which chains an SDN asset code lives on: product chains first, else the name of a chain it does not read."""


def chain_of_listing(asset: str, address: str, chain: Chain | None = None) -> tuple[Chain | str, str]:
    """The chain and canonical address of one listed address of ``asset``.

    ``chain`` forces the product chain (the list's caller knows better). Raises
    ``InvalidAddress`` with the reason when the address does not fit the chain
    its asset names (a bad checksum says so).
    """
    if chain is not None:
        return normalize_address(address, chain)
    chains = ASSET_CHAINS.get(asset.upper())
    if chains is None:
        raise InvalidAddress(f"unknown asset {asset!r}; say which chain with --chain")
    product = [c for c in chains if isinstance(c, Chain)]
    if not product:
        return chains[0], address.strip()  # a chain the product does not read: kept as listed
    errors = []
    for candidate in product:
        try:
            return normalize_address(address, candidate)
        except InvalidAddress as err:
            errors.append(str(err))
    raise InvalidAddress(errors[0] if len(errors) == 1 else f"not a {asset} address on {', '.join(product)}")


def sdn_labels(rows, *, source: str = OFAC_LIST, version: str = "", chain: Chain | None = None) -> LabelsRead:
    """Labels of OFAC-derived CSV rows (dicts with the :data:`CSV_HEADER` keys); line numbers start at 2.

    An address listed for one entity under several assets (ETH and USDT) is one
    label whose detail names every asset.
    """
    read, merged = LabelsRead(), {}
    for line, row in enumerate(rows, start=2):
        detail = f"{row['asset']} address"
        try:
            where, canonical = chain_of_listing(row["asset"], row["address"], chain)
        except InvalidAddress as err:
            try:  # listed under the wrong asset (OFAC lists a TRON address as XBT): its checksum says where
                where, canonical = normalize_address(row["address"])
                detail = f"listed as {row['asset']}, but a {where.value} address"
            except InvalidAddress:
                read.skipped.append(f"line {line}: {row['address']} ({row['asset']}): {err}")
                continue
        key = (where, canonical, row.get("sdn_primary_name") or source)
        if key in merged:  # one address of one entity listed for several assets: one entry naming them all
            first = merged[key]
            merged[key] = first.but(detail=f"{first.detail.removesuffix(' address')}, {detail}")
            continue
        merged[key] = Label(
            where,
            canonical,
            key[2],
            "sanctioned",
            source,
            detail=detail,
            confidence=100,
            reference=row.get("sdn_fixed_ref", ""),
            programs=row.get("programs", ""),
            listed_on=row.get("entry_date", ""),
            list_version=version,
        )
    read.labels = list(merged.values())
    return read


def load_sanctions_file(
    path: str | Path, *, source: str | None = None, chain: Chain | str | None = None, version: str = ""
) -> LabelsRead:
    """Read a sanctions list: the OFAC-derived CSV, or one address per line (``#`` comments).

    Entries are named after the list (``source``, default the file name). With
    ``chain``, every address is read as one of that chain; without it, CSV rows
    take their chain from the asset and plain lines from the address format.
    """
    path = Path(path)
    source = source or path.name
    chain = Chain.parse(chain) if chain is not None else None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFormatError(f"cannot read sanctions list {path}: {err}") from err
    lines = text.replace("\r\n", "\n").split("\n")  # splitlines() also splits at \x0b, \x0c, \x1c...
    if lines and lines[0].lower().startswith("asset,address"):
        return sdn_labels(csv.DictReader(lines), source=source, version=version, chain=chain)
    if lines and "," in lines[0]:
        raise ImportFormatError(f"{path}: expected a header 'asset,address,...' or one address per line")
    read = LabelsRead()
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            where, canonical = normalize_address(text, chain)
        except InvalidAddress as err:
            read.skipped.append(f"line {number}: {text}: {err}")
            continue
        read.labels.append(Label(where, canonical, source, "sanctioned", source, confidence=100, list_version=version))
    return read
