"""File importers: CSV exports turned into transfer tables, exactly and with line-numbered errors.

Three formats:

``generic-csv``
    Header ``chain,tx_hash,index,block,timestamp,from,to,asset,contract,decimals,amount``;
    timestamp as ISO 8601 (UTC unless an offset is given) or Unix seconds; amount
    in token units as a decimal string; contract empty for the native coin.
``tronscan-csv``
    TronScan's token-transfer export (``transaction_id,block,block_ts,from_address,
    to_address,confirmed,contractRet,quant``). The export does not name the token:
    it is USDT-TRC20 unless ``asset``/``contract`` say otherwise; decimals are the
    token's (known, given, or the most common number of fraction digits of ``quant``).
    The export mixes in other tokens' transfers, printed with their own decimals:
    rows whose ``quant`` has another number of fraction digits are skipped, as are
    unconfirmed or failed transfers; every skipped row is reported with its reason.
``etherscan-csv``
    Etherscan's token-transfer export (``Txhash,UnixTimestamp,DateTime,From,To,Value,
    ContractAddress,TokenName,TokenSymbol``), values with thousands separators.
    Decimals come from ``decimals``, else from the known tokens, else the largest
    number of fraction digits seen for the contract.

The TronScan and Etherscan exports carry no log index: a transfer's index follows the
connectors' rule (:class:`~tracing.sources.base.TokenIndexes`), so a transfer imported
from an export and fetched from the API later is stored once. Identical rows of one
transaction in one file are that many transfers (numbered as repeats).

Without a format, the header says which it is (:func:`detect_format`).
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from tracing.errors import ImportFormatError, InvalidAddress
from tracing.model import Chain, checks, normalize_address
from tracing.model.transfer import MAX_TIMESTAMP, NATIVE, Asset, parse_units
from tracing.sources.base import TokenIndexes

__all__ = ["ETHERSCAN_COLUMNS", "FORMATS", "GENERIC_COLUMNS", "TRONSCAN_COLUMNS", "Addresses", "detect_format"]

GENERIC_COLUMNS = (
    "chain",
    "tx_hash",
    "index",
    "block",
    "timestamp",
    "from",
    "to",
    "asset",
    "contract",
    "decimals",
    "amount",
)
TRONSCAN_COLUMNS = (
    "transaction_id",
    "block",
    "block_ts",
    "from_address",
    "to_address",
    "confirmed",
    "contractRet",
    "quant",
)
ETHERSCAN_COLUMNS = ("Txhash", "UnixTimestamp", "From", "To", "Value", "ContractAddress", "TokenSymbol")
USDT_TRC20 = ("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
# Decimals published by the token contracts themselves (their `decimals()`), for exports that omit them.
KNOWN_DECIMALS = {
    (Chain.TRON, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"): 6,
    (Chain.ETHEREUM, "0xdac17f958d2ee523a2206206994597c13d831ec7"): 6,
    (Chain.ETHEREUM, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"): 6,
}


class Addresses:
    """Validates addresses once each (files repeat the same few a lot); forgets them all past a bound."""

    LIMIT = 100_000

    def __init__(self):
        self.cache: dict[tuple[Chain, str], str] = {}

    def __call__(self, chain: Chain, text: str) -> str:
        key = (chain, text)
        if key not in self.cache:
            if len(self.cache) >= self.LIMIT:
                self.cache.clear()
            self.cache[key] = normalize_address(text, chain)[1]
        return self.cache[key]


@contextmanager
def _at_line(line: int) -> Iterator[None]:
    """Turn a row's ValueError or InvalidAddress into an ImportFormatError naming the line."""
    try:
        yield
    except (ValueError, InvalidAddress) as err:
        raise ImportFormatError(f"line {line}: {err}") from err


def _timestamp(text: str) -> int:
    """Unix seconds from Unix seconds or ISO 8601 (naive means UTC), from 1970 to 2242."""
    if text.isdigit() or len(text) > 40:
        return checks.whole_number(text, "timestamp", MAX_TIMESTAMP)
    try:
        when = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ValueError(
            f"timestamp {text!r} is neither Unix seconds nor ISO 8601 (e.g. 2025-07-29T10:00:00Z)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = int(when.timestamp())
    if not 0 <= seconds <= MAX_TIMESTAMP:
        raise ValueError(f"timestamp {text!r} is before 1970 or after 2242")
    return seconds


def _integer(text: str, column: str, most: int = checks.MAX_BLOCK) -> int:
    return checks.whole_number(text, column, most)


def _fraction_digits(text: str) -> int:
    return len(text.partition(".")[2])


def _is_plain_decimal(text: str) -> bool:
    whole, _, frac = text.partition(".")
    return whole.isdigit() and (frac == "" or frac.isdigit())


def _contract(chain: Chain, text: str, addresses: Addresses) -> str:
    return addresses(chain, text) if text and text.lower() != NATIVE else NATIVE


# Each format reads rows with ``rows(columns, name)`` (a fresh pass over the file each call), reports the rows
# it sets aside with ``skip(reason)`` and yields (line, chain, tx_hash, index, block, timestamp, sender,
# receiver, asset, amount) per transfer.
def _generic(rows, addresses: Addresses, options: dict, skip) -> Iterator[tuple]:
    for line, row in rows(GENERIC_COLUMNS, "generic-csv"):
        with _at_line(line):
            chain = Chain.parse(row["chain"])
            decimals = _integer(row["decimals"], "decimals", 36)
            asset = Asset(checks.symbol(row["asset"] or "?"), _contract(chain, row["contract"], addresses), decimals)
            parsed = (
                line,
                chain,
                checks.tx_hash(chain, row["tx_hash"]),
                _integer(row["index"] or "0", "index", checks.MAX_INDEX),
                _integer(row["block"] or "0", "block"),
                _timestamp(row["timestamp"]),
                addresses(chain, row["from"]),
                addresses(chain, row["to"]),
                asset,
                parse_units(row["amount"], decimals),
            )
        yield parsed


def _tronscan(rows, addresses: Addresses, options: dict, skip) -> Iterator[tuple]:
    symbol = options.get("asset") or USDT_TRC20[0]
    contract = options.get("contract") or (USDT_TRC20[1] if not options.get("asset") else "")
    if not contract:
        raise ImportFormatError("a TronScan export does not name its token: give --contract with --asset")
    contract = _contract(Chain.TRON, contract, addresses)
    decimals = options.get("decimals")
    if decimals is None:
        decimals = KNOWN_DECIMALS.get((Chain.TRON, contract))
    if decimals is None:  # a first pass over the file: the most common number of fraction digits
        quants = (r["quant"] for _, r in rows(TRONSCAN_COLUMNS, "tronscan-csv"))
        digits = Counter(_fraction_digits(q) for q in quants if "." in q)
        decimals = digits.most_common(1)[0][0] if digits else 0
    asset = Asset(checks.symbol(symbol), contract, int(decimals))
    token_index = TokenIndexes()  # one file is one listing
    for line, row in rows(TRONSCAN_COLUMNS, "tronscan-csv"):
        if row["confirmed"].lower() != "true" or row["contractRet"].upper() != "SUCCESS":
            skip(f"line {line}: not a confirmed successful transfer ({row['contractRet'] or 'no status'})")
            continue
        quant = row["quant"]
        if not _is_plain_decimal(quant) or ("." in quant and _fraction_digits(quant) != asset.decimals):
            skip(f"line {line}: amount {quant} is not written with {symbol}'s {asset.decimals} decimals: "
                 "another token's transfer")  # fmt: skip
            continue
        with _at_line(line):
            tx_hash = checks.tx_hash(Chain.TRON, row["transaction_id"])
            sender, receiver = addresses(Chain.TRON, row["from_address"]), addresses(Chain.TRON, row["to_address"])
            amount = parse_units(quant, asset.decimals)
            parsed = (
                line,
                Chain.TRON,
                tx_hash,
                token_index(tx_hash, contract, sender, receiver, amount),
                _integer(row["block"], "block"),
                _timestamp(row["block_ts"]),
                sender,
                receiver,
                asset,
                amount,
            )
        yield parsed


def _etherscan(rows, addresses: Addresses, options: dict, skip) -> Iterator[tuple]:
    digits: dict[str, int] = {}
    if options.get("decimals") is None:  # a first pass over the file: fraction digits per contract
        for _, row in rows(ETHERSCAN_COLUMNS, "etherscan-csv"):
            contract = row["ContractAddress"].lower()
            digits[contract] = max(digits.get(contract, 0), _fraction_digits(row["Value"]))
    token_index = TokenIndexes()  # one file is one listing
    for line, row in rows(ETHERSCAN_COLUMNS, "etherscan-csv"):
        with _at_line(line):
            contract = _contract(Chain.ETHEREUM, row["ContractAddress"], addresses)
            decimals = options.get("decimals")
            if decimals is None:
                decimals = KNOWN_DECIMALS.get((Chain.ETHEREUM, contract), digits[row["ContractAddress"].lower()])
            asset = Asset(checks.symbol(row["TokenSymbol"] or "?"), contract, int(decimals))
            tx_hash = checks.tx_hash(Chain.ETHEREUM, row["Txhash"])
            sender, receiver = addresses(Chain.ETHEREUM, row["From"]), addresses(Chain.ETHEREUM, row["To"])
            amount = parse_units(row["Value"], asset.decimals)
            parsed = (
                line,
                Chain.ETHEREUM,
                tx_hash,
                token_index(tx_hash, contract, sender, receiver, amount),  # the export has no log index
                _integer(row.get("Blockno") or "0", "Blockno"),
                _timestamp(row["UnixTimestamp"]),
                sender,
                receiver,
                asset,
                amount,
            )
        yield parsed


FORMATS: dict[str, Callable] = {"generic-csv": _generic, "tronscan-csv": _tronscan, "etherscan-csv": _etherscan}


def detect_format(text: str) -> str:
    """The format whose columns the header (first line) of ``text`` holds.

    >>> detect_format('"Txhash","UnixTimestamp","DateTime","From","To","Value","ContractAddress","TokenName","TokenSymbol"')
    'etherscan-csv'

    Raises
    ------
    ImportFormatError
        The header fits none of :data:`FORMATS`.
    """
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    header = {h.strip() for h in next(csv.reader([first]), [])}
    for name, columns in (
        ("generic-csv", GENERIC_COLUMNS),
        ("tronscan-csv", TRONSCAN_COLUMNS),
        ("etherscan-csv", ETHERSCAN_COLUMNS),
    ):
        if header >= set(columns):
            return name
    raise ImportFormatError(
        f"line 1: the header fits no known format ({', '.join(FORMATS)}); a generic-csv header is "
        f"{','.join(GENERIC_COLUMNS)} (header has: {', '.join(sorted(header)) or 'nothing'})"
    )
