"""What a stored transfer may hold: one validation for SQLite and PostgreSQL alike.

SQLite stores whatever it is given; PostgreSQL refuses what its columns cannot
hold, with a traceback. Both stores call :func:`check_table` before writing, and
the file importers check each row (:func:`tx_hash`, :func:`symbol`,
:func:`whole_number`) so the error names its line.

>>> tx_hash("ethereum", "0x" + "AB" * 32) == "0x" + "ab" * 32
True
>>> symbol("USDT\\x00")
Traceback (most recent call last):
...
ValueError: symbol 'USDT\\x00' holds a control character
"""

import re

import numpy as np

from tracing.encodings import B58_ALPHABET
from tracing.model.addresses import Chain
from tracing.model.transfer import MAX_AMOUNT, MAX_TIMESTAMP

__all__ = [
    "MAX_BLOCK",
    "MAX_INDEX",
    "MAX_SYMBOL",
    "MAX_TEXT",
    "check_table",
    "clash_message",
    "symbol",
    "tx_hash",
    "whole_number",
]

MAX_SYMBOL = 32  # characters of an asset symbol
MAX_TEXT = 128  # characters of a hash, an address or a contract
MAX_INDEX = 2**31 - 1  # position of a transfer inside its transaction
MAX_BLOCK = 2**62  # block heights: far above any chain's, far below 2^63
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_B58_SIGNATURE = re.compile(f"[{B58_ALPHABET}]{{64,88}}")
_EXPECTED_HASH = {
    Chain.ETHEREUM: "'0x' and 64 hex digits",
    Chain.TRON: "64 hex digits",
    Chain.BITCOIN: "64 hex digits",
    Chain.SOLANA: "a base58 signature (64 to 88 characters)",
}


def tx_hash(chain: Chain | str, text: str) -> str:
    """The canonical spelling of a transaction hash of ``chain`` (hex lower-case); ValueError when malformed."""
    chain = Chain.parse(chain)
    text = (text or "").strip()
    if not text:
        raise ValueError("the transaction hash is empty")
    shown = text[:80] + ("…" if len(text) > 80 else "")
    if chain is Chain.SOLANA:
        ok = _B58_SIGNATURE.fullmatch(text)
    else:
        lower = text.lower()
        body = lower.removeprefix("0x") if chain is Chain.ETHEREUM else lower
        ok = _HEX64.fullmatch(body) and (chain is not Chain.ETHEREUM or lower.startswith("0x"))
        text = lower
    if not ok:
        raise ValueError(f"transaction hash {shown!r} is not a {chain.value} hash: expected {_EXPECTED_HASH[chain]}")
    return text


def symbol(text: str) -> str:
    """An asset symbol: 1 to 32 characters, no control characters; ValueError otherwise."""
    text = (text or "").strip()
    if _CONTROL.search(text):
        raise ValueError(f"symbol {text[:40]!r} holds a control character")
    if not 1 <= len(text) <= MAX_SYMBOL:
        raise ValueError(f"symbol {text[:40]!r} must have 1 to {MAX_SYMBOL} characters")
    return text


def whole_number(text: str, column: str, most: int) -> int:
    """A whole number from 0 to ``most`` written in a file's ``column``; ValueError otherwise."""
    text = (text or "").strip()
    if len(text) > 40 or not text.isdigit():
        raise ValueError(f"column {column}: {text[:40]!r} is not a whole number from 0 to {most}")
    value = int(text)
    if value > most:
        raise ValueError(f"column {column}: {value} is larger than {most}")
    return value


def clash_message(tx_hash: str, index: int, before, after) -> str:
    """The error for one identity given twice with different contents (``before`` and ``after`` differ)."""
    return f"transfer {tx_hash} #{index} appears twice with different contents ({before} vs {after}); fix the file"


def _bad_text(values, limit: int) -> int | None:
    """Index of the first value longer than ``limit`` or holding a control character, else None.

    One pass in C over all values (joined); the per-value search runs only when one is wrong.
    """
    values = list(values)
    if not values or (max(map(len, values)) <= limit and not _CONTROL.search("".join(values))):
        return None
    return next(i for i, v in enumerate(values) if len(v) > limit or _CONTROL.search(v))


def check_table(table) -> None:
    """Refuse (ValueError naming the transfer) a table a store could not hold exactly.

    Numbers are checked on whole columns; texts once per distinct value (addresses,
    assets), hashes per row only for their length and control characters.
    """
    for name, column, low, high in (
        ("index", table.index, 0, MAX_INDEX),
        ("block", table.block, 0, MAX_BLOCK),
        ("timestamp", table.timestamp, 0, MAX_TIMESTAMP),
    ):
        bad = np.flatnonzero((column < low) | (column > high))
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"transfer {table.tx_hash[i]}: {name} {column[i]} is outside {low}..{high}")
    bad = np.flatnonzero((table.amount < 0) | (table.amount > MAX_AMOUNT))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"transfer {table.tx_hash[i]}: amount {table.amount[i]} is outside 0..2^256-1")
    i = _bad_text(table.tx_hash, MAX_TEXT)
    if i is not None:
        raise ValueError(f"transfer #{i}: hash {table.tx_hash[i][:80]!r} is too long or holds a control character")
    i = _bad_text(table.addresses, MAX_TEXT)
    if i is not None:
        raise ValueError(f"address {table.addresses[i][:80]!r} is too long or holds a control character")
    for asset in table.assets:
        symbol(asset.symbol)
        if _bad_text([asset.contract], MAX_TEXT) is not None:
            raise ValueError(f"contract {asset.contract[:80]!r} is too long or holds a control character")
