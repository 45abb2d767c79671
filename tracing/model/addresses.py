"""Chains and address validation.

Each chain has one canonical spelling of an address, used in the store and in
every comparison: Ethereum lower-case hex, Bitcoin bech32 lower-case, TRON,
Solana and Bitcoin base58 as written (base58 is case-sensitive).

>>> normalize_address("TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs")
(<Chain.TRON: 'tron'>, 'TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs')
>>> detect_chain("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
<Chain.BITCOIN: 'bitcoin'>
"""

import enum
import re

from tracing.encodings import b58check_decode, b58check_encode, b58decode, bech32_decode, eip55
from tracing.errors import InvalidAddress

__all__ = ["EXPECTED", "MAX_ADDRESS_LENGTH", "Chain", "detect_chain", "display_address", "normalize_address"]

MAX_ADDRESS_LENGTH = 100  # the longest address of any chain: bech32, 90 characters


class Chain(enum.StrEnum):
    """The chains the product reads."""

    TRON = "tron"
    ETHEREUM = "ethereum"
    BITCOIN = "bitcoin"
    SOLANA = "solana"

    @property
    def display_name(self) -> str:
        """The chain as people write it: ``TRON`` (its own spelling), ``Ethereum``, ``Bitcoin``, ``Solana``."""
        return "TRON" if self is Chain.TRON else self.value.title()

    @classmethod
    def parse(cls, text: "str | Chain") -> "Chain":
        """Return the chain named by ``text`` (case-insensitive; 'eth', 'btc', 'trx', 'sol' too)."""
        if isinstance(text, cls):  # the common case in loops over rows: no lookup
            return text
        key = str(text).strip().lower()
        chain = cls._value2member_map_.get(_CHAIN_ALIASES.get(key, key))
        if chain is None:
            names = ", ".join(c.value for c in cls)
            raise InvalidAddress(f"unknown chain {str(text)[:40]!r}; expected one of: {names}")
        return chain


_CHAIN_ALIASES = {"eth": "ethereum", "btc": "bitcoin", "trx": "tron", "sol": "solana"}

EXPECTED = {
    Chain.TRON: "a TRON address: 34 base58 characters starting with 'T' (or 41 + 40 hex digits)",
    Chain.ETHEREUM: "an Ethereum address: '0x' and 40 hex digits (EIP-55 checksum if mixed case)",
    Chain.BITCOIN: "a Bitcoin address: base58 starting with '1' or '3', or bech32 starting with 'bc1'",
    Chain.SOLANA: "a Solana address: 32 to 44 base58 characters encoding 32 bytes",
}

_HEX40 = re.compile(r"^(0x)?[0-9a-fA-F]{40}$")
_TRON_HEX = re.compile(r"^41[0-9a-fA-F]{40}$")


def _tron(text: str) -> str:
    if _TRON_HEX.match(text):
        return b58check_encode(bytes.fromhex(text))
    payload = b58check_decode(text)
    if len(payload) != 21 or payload[0] != 0x41:
        raise ValueError("not a TRON payload (21 bytes with prefix 0x41)")
    return text


def _ethereum(text: str) -> str:
    if not text.startswith("0x") or not _HEX40.match(text):
        raise ValueError("not 0x and 40 hex digits")
    body = text[2:]
    if body != body.lower() and body != body.upper() and eip55(body) != text:
        raise ValueError("EIP-55 checksum does not match (check the upper/lower-case letters)")
    return text.lower()


def _bitcoin(text: str) -> str:
    if text[:3].lower() == "bc1":
        hrp, _version, _program, _encoding = bech32_decode(text)
        if hrp != "bc":
            raise ValueError("not a mainnet bech32 address")
        return text.lower()
    payload = b58check_decode(text)
    if len(payload) != 21 or payload[0] not in (0x00, 0x05):
        raise ValueError("not a P2PKH (1…) or P2SH (3…) payload")
    return text


def _solana(text: str) -> str:
    if not 32 <= len(text) <= 44 or len(b58decode(text)) != 32:
        raise ValueError("does not decode to 32 bytes")
    return text


_VALIDATORS = {
    Chain.TRON: _tron,
    Chain.ETHEREUM: _ethereum,
    Chain.BITCOIN: _bitcoin,
    Chain.SOLANA: _solana,
}


def _candidates(text: str) -> list[Chain]:
    """Chains whose validator accepts ``text``."""
    found = []
    for chain, check in _VALIDATORS.items():
        try:
            check(text)
        except ValueError:
            continue
        found.append(chain)
    return found


def _looks_like(text: str) -> Chain | None:
    """The chain whose shape an invalid address has (to explain what is wrong with it)."""
    if text.startswith("0x"):
        return Chain.ETHEREUM
    if text[:3].lower() == "bc1" or (text[:1] in "13" and 26 <= len(text) <= 35):
        return Chain.BITCOIN
    if text.startswith("T") and len(text) == 34:
        return Chain.TRON
    return None


def _bounded(text) -> str:
    """``text`` stripped, refused before any decoding when no chain's address is that long (base58 is quadratic)."""
    if not isinstance(text, str) and text is not None:
        raise InvalidAddress(f"an address is text, not {type(text).__name__}")
    text = (text or "").strip()
    if len(text) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(
            f"{text[:24]!r}… has {len(text):,} characters; no address has more than {MAX_ADDRESS_LENGTH}"
        )
    return text


def detect_chain(text: str) -> Chain:
    """Return the one chain whose address format ``text`` fits.

    Raises
    ------
    InvalidAddress
        When no chain accepts it (the message lists what each chain expects) or
        when several do.
    """
    text = _bounded(text)
    if not text:
        raise InvalidAddress("the address is empty; enter a TRON, Ethereum, Bitcoin or Solana address")
    found = _candidates(text)
    if len(found) == 1:
        return found[0]
    if not found:
        if _HEX40.match(text) and not text.startswith("0x"):
            raise InvalidAddress(
                f"{text!r} is ambiguous or incomplete: an Ethereum address starts with '0x', "
                "a TRON hex address with '41'"
            )
        guess = _looks_like(text)
        if guess is not None:
            normalize_address(text, guess)  # raises with that chain's own reason (a checksum, a length)
        expected = "; ".join(EXPECTED.values())
        chains = ", ".join(c.display_name for c in Chain)
        raise InvalidAddress(f"{text!r} matches no supported chain ({chains}). Expected {expected}")
    names = " or ".join(c.value for c in found)
    raise InvalidAddress(f"{text!r} is valid on more than one chain ({names}); choose the chain")


def normalize_address(text: str, chain: "Chain | str | None" = None) -> tuple[Chain, str]:
    """Validate ``text`` and return ``(chain, canonical address)``.

    With ``chain`` given, the address must be valid there; otherwise the chain is
    detected from the format.
    """
    text = _bounded(text)
    if chain is None or chain == "":
        chain = detect_chain(text)
    chain = Chain.parse(chain)
    try:
        return chain, _VALIDATORS[chain](text)
    except ValueError as err:
        shown = text if text else "(empty)"
        raise InvalidAddress(
            f"{shown!r} is not a valid {chain.value} address: {err}. Expected {EXPECTED[chain]}"
        ) from err


def display_address(chain: "Chain | str", address: str) -> str:
    """The spelling to show a person: EIP-55 for Ethereum, canonical otherwise."""
    if Chain.parse(chain) is Chain.ETHEREUM and _HEX40.match(address):
        return eip55(address[2:])
    return address
