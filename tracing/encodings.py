"""Address encodings: base58check (Bitcoin, TRON), bech32/bech32m (BIP-173/350), EIP-55.

Small, exact implementations of the published reference algorithms; Keccak-256
comes from pycryptodome.
"""

import hashlib

from Crypto.Hash import keccak

__all__ = [
    "b58check_decode",
    "b58check_encode",
    "b58decode",
    "b58encode",
    "bech32_decode",
    "bech32_encode",
    "eip55",
    "keccak256",
]

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58_ALPHABET)}
B58_MAX_LENGTH = 128  # 93 bytes: every address and key this product reads is shorter


def b58encode(data: bytes) -> str:
    """Encode bytes in base58 (leading zero bytes become '1')."""
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(B58_ALPHABET[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Decode base58; raise ValueError on a character outside the alphabet or text over 128 characters.

    Decoding is quadratic in the length, so the bound comes first.
    """
    if len(text) > B58_MAX_LENGTH:
        raise ValueError(f"longer than {B58_MAX_LENGTH} base58 characters")
    n = 0
    for c in text:
        try:
            n = n * 58 + _B58_INDEX[c]
        except KeyError:
            raise ValueError(f"character {c!r} is not base58") from None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def b58check_encode(payload: bytes) -> str:
    """Base58 with a 4-byte double-SHA256 checksum appended."""
    return b58encode(payload + _checksum(payload))


def b58check_decode(text: str) -> bytes:
    """Decode base58check and return the payload; ValueError on a bad checksum."""
    raw = b58decode(text)
    if len(raw) < 5 or _checksum(raw[:-4]) != raw[-4:]:
        raise ValueError("base58check checksum does not match")
    return raw[:-4]


_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST = {"bech32": 1, "bech32m": 0x2BC830A3}


def _polymod(values):
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def _convertbits(data, frombits: int, tobits: int, pad: bool) -> list[int]:
    acc, bits, out, maxv = 0, 0, [], (1 << tobits) - 1
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (tobits - bits)) & maxv)
    elif not pad and (bits >= frombits or ((acc << (tobits - bits)) & maxv)):
        raise ValueError("invalid padding in bech32 data")
    return out


def bech32_decode(text: str) -> tuple[str, int, bytes, str]:
    """Decode a segwit address into (hrp, witness version, program, encoding).

    Raises ValueError with the reason when the string is not a valid segwit address.
    """
    if text.lower() != text and text.upper() != text:
        raise ValueError("bech32 must not mix upper and lower case")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text) or len(text) > 90:
        raise ValueError("bech32 separator or length is wrong")
    hrp, data_part = text[:pos], text[pos + 1 :]
    if any(c not in _BECH32_CHARSET for c in data_part):
        raise ValueError("character outside the bech32 alphabet")
    data = [_BECH32_CHARSET.index(c) for c in data_part]
    const = _polymod(_hrp_expand(hrp) + data)
    encoding = next((k for k, v in _BECH32_CONST.items() if v == const), None)
    if encoding is None:
        raise ValueError("bech32 checksum does not match")
    version, program = data[0], bytes(_convertbits(data[1:-6], 5, 8, False))
    if version > 16 or not 2 <= len(program) <= 40:
        raise ValueError("witness version or program length is wrong")
    if version == 0 and len(program) not in (20, 32):
        raise ValueError("segwit v0 programs are 20 or 32 bytes")
    if (version == 0) != (encoding == "bech32"):
        raise ValueError("segwit v0 uses bech32, v1 and later bech32m")
    return hrp, version, program, encoding


def bech32_encode(hrp: str, version: int, program: bytes) -> str:
    """Encode a segwit address (bech32 for v0, bech32m otherwise)."""
    const = _BECH32_CONST["bech32" if version == 0 else "bech32m"]
    data = [version, *_convertbits(program, 8, 5, True)]
    polymod = _polymod(_hrp_expand(hrp) + data + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + checksum)


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (not NIST SHA3-256)."""
    return keccak.new(digest_bits=256, data=data).digest()


def eip55(hex40: str) -> str:
    """Return the EIP-55 mixed-case checksum form of 40 hex digits (no 0x)."""
    lower = hex40.lower()
    digest = keccak256(lower.encode()).hex()
    return "0x" + "".join(c.upper() if int(d, 16) >= 8 else c for c, d in zip(lower, digest))
