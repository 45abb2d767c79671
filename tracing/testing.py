"""Factories for tests, doctests and benchmarks: small transfer tables from plain numbers, CSV exports."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tracing.encodings import b58check_encode
from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset

__all__ = ["USDT_TRON", "make_table", "synthetic_export"]

USDT_TRON = Asset("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6)


def make_table(
    values: Sequence[float],
    *,
    times: Sequence[int] | None = None,
    senders: Sequence[str] | None = None,
    receivers: Sequence[str] | None = None,
    asset: Asset = USDT_TRON,
    assets: Sequence[Asset] | None = None,
) -> TransferTable:
    """A TRON table of transfers with the given token amounts (default: 'X' sends each to 'Y')."""
    n = len(values)
    assets = list(assets) if assets is not None else [asset] * n
    return TransferTable.from_columns(
        Chain.TRON,
        tx_hash=[f"{i:064x}" for i in range(n)],
        index=[0] * n,
        block=list(range(n)),
        timestamp=list(times) if times is not None else [1_600_000_000 + 60 * i for i in range(n)],
        sender=list(senders) if senders is not None else ["X"] * n,
        receiver=list(receivers) if receivers is not None else ["Y"] * n,
        asset=assets,
        amount=[round(v * 10**a.decimals) for v, a in zip(values, assets)],
    )


def _tron_addresses(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` valid TRON addresses (base58check of 0x41 and 20 random bytes)."""
    return [b58check_encode(b"\x41" + bytes(rng.integers(0, 256, 20, dtype=np.uint8))) for _ in range(count)]


def synthetic_export(path: str | Path, rows: int, fmt: str = "generic-csv", *, seed: int = 7) -> Path:
    """Write a CSV export of ``rows`` seeded synthetic transfers in ``fmt`` (for tests and benchmarks).

    ``generic-csv`` and ``tronscan-csv`` hold USDT on TRON, ``etherscan-csv`` USDC on Ethereum;
    one address in ten is new (a file of 10^5 rows names 10^4 addresses), hashes are distinct.

    >>> import tempfile, pathlib
    >>> path = synthetic_export(pathlib.Path(tempfile.mkdtemp()) / "t.csv", 2, "tronscan-csv")
    >>> path.read_text().splitlines()[0]
    'transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant'
    """
    rng = np.random.default_rng(seed)
    n_addresses = max(2, rows // 10)
    if fmt == "etherscan-csv":
        addresses = ["0x" + bytes(rng.integers(0, 256, 20, dtype=np.uint8)).hex() for _ in range(n_addresses)]
    else:
        addresses = _tron_addresses(n_addresses, rng)
    pick = rng.integers(0, n_addresses, (rows, 2)).tolist()
    cents = rng.integers(1, 10**9, rows).tolist()
    header, line = _EXPORT_LINES[fmt]
    path = Path(path)
    with path.open("w") as out:
        out.write(header + "\n")
        for start in range(0, rows, 10_000):
            out.writelines(
                line.format(
                    i=i,
                    tx=f"{seed:032x}{i:032x}",
                    t=1_600_000_000 + 7 * i,
                    a=addresses[pick[i][0]],
                    b=addresses[pick[i][1]],
                    whole=cents[i] // 100,
                    frac=cents[i] % 100,
                )
                for i in range(start, min(start + 10_000, rows))
            )
    return path


_EXPORT_LINES = {
    "generic-csv": (
        "chain,tx_hash,index,block,timestamp,from,to,asset,contract,decimals,amount",
        "tron,{tx},0,{i},{t},{a},{b},USDT," + USDT_TRON.contract + ",6,{whole}.{frac:02d}\n",
    ),
    "tronscan-csv": (
        "transaction_id,block,block_ts,from_address,to_address,confirmed,contractRet,quant",
        "{tx},{i},{t},{a},{b},true,SUCCESS,{whole}.{frac:02d}0000\n",
    ),
    "etherscan-csv": (
        '"Txhash","UnixTimestamp","DateTime","From","To","Value","ContractAddress","TokenName","TokenSymbol"',
        '"0x{tx}","{t}","","{a}","{b}","{whole}.{frac:02d}",'
        '"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48","USD Coin","USDC"\n',
    ),
}
