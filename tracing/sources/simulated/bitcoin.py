"""Esplora as a local server: ``/address/:a/txs`` and ``/txs/chain/:last_txid`` pages of 25 transactions."""

from tracing.sources.simulated.server import Request, StubServer, ok

__all__ = ["esplora_tx", "serve_esplora"]


def esplora_tx(txid: str, inputs: list[tuple[str, int]], outputs: list[tuple[str, int]], block: int, when: int) -> dict:
    """A confirmed transaction as Esplora writes it (``None`` as an input address makes it a coinbase)."""
    fee = sum(v for _, v in inputs) - sum(v for _, v in outputs)
    return {
        "txid": txid,
        "version": 2,
        "locktime": 0,
        "size": 225 + 148 * len(inputs),
        "weight": 900,
        "fee": max(fee, 0),
        "vin": [
            {
                "txid": f"{k:064x}",
                "vout": k,
                "prevout": None
                if address is None
                else {
                    "scriptpubkey": "0014" + "00" * 20,
                    "scriptpubkey_asm": "OP_0 OP_PUSHBYTES_20",
                    "scriptpubkey_type": "v0_p2wpkh",
                    "scriptpubkey_address": address,
                    "value": value,
                },
                "scriptsig": "",
                "scriptsig_asm": "",
                "witness": ["30440220", "02"],
                "is_coinbase": address is None,
                "sequence": 4294967293,
            }
            for k, (address, value) in enumerate(inputs)
        ],
        "vout": [
            {
                "scriptpubkey": "0014" + "11" * 20,
                "scriptpubkey_asm": "OP_0 OP_PUSHBYTES_20",
                "scriptpubkey_type": "v0_p2wpkh" if address else "op_return",
                **({"scriptpubkey_address": address} if address else {}),
                "value": value,
            }
            for address, value in outputs
        ],
        "status": {"confirmed": True, "block_height": block, "block_hash": "00" * 32, "block_time": when},
    }


def serve_esplora(stub: StubServer, address: str, txs: list[dict], *, mempool: list[dict] = ()) -> None:
    """Make ``stub`` answer ``address``'s pages from ``txs`` (newest first, 25 per page, mempool first)."""
    ordered = sorted(txs, key=lambda t: -t["status"]["block_height"])
    position = {t["txid"]: k for k, t in enumerate(ordered)}

    def first(request: Request):
        return ok([*mempool, *ordered[:25]])

    def after(request: Request):
        start = position[request.path.rsplit("/", 1)[1]] + 1
        return ok(ordered[start : start + 25])

    stub.route(f"/api/address/{address}/txs/chain/*", after)
    stub.route(f"/api/address/{address}/txs", first)
