"""TronGrid as a local server: real-shaped ``/v1/accounts/{a}/transactions[/trc20]`` pages with fingerprints."""

from tracing.encodings import b58decode
from tracing.sources.simulated.server import Request, StubServer, ok

__all__ = ["serve_trongrid", "trc20_item", "trx_item"]


def trc20_item(tx: str, sender: str, receiver: str, value: int, ms: int, *, symbol="USDT", contract=None, decimals=6):
    """One item of the trc20 listing, as TronGrid writes it."""
    return {
        "transaction_id": tx,
        "token_info": {
            "symbol": symbol,
            "address": contract or "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "decimals": decimals,
            "name": "Tether USD",
        },
        "block_timestamp": ms,
        "from": sender,
        "to": receiver,
        "type": "Transfer",
        "value": str(value),
    }


def _hex(address: str) -> str:
    return b58decode(address)[:21].hex()


def trx_item(tx: str, sender: str, receiver: str, sun: int, ms: int, block: int, *, result="SUCCESS"):
    """One item of the native listing: a TransferContract with hex ``41…`` addresses."""
    return {
        "txID": tx,
        "blockNumber": block,
        "block_timestamp": ms,
        "ret": [{"contractRet": result, "fee": 1100000}],
        "raw_data": {
            "contract": [
                {
                    "type": "TransferContract",
                    "parameter": {
                        "value": {"amount": sun, "owner_address": _hex(sender), "to_address": _hex(receiver)},
                        "type_url": "type.googleapis.com/protocol.TransferContract",
                    },
                }
            ],
            "timestamp": ms - 3000,
        },
        "net_fee": 0,
        "energy_fee": 0,
        "energy_usage_total": 0,
        "internal_transactions": [],
    }


def _pages(items: list[dict], time_key: str):
    """A handler serving ``items`` newest first, ``limit`` per page, cursor ``fingerprint``, ``min_timestamp``."""
    ordered = sorted(items, key=lambda i: -i[time_key])

    def answer(request: Request):
        low = int(request.query.get("min_timestamp", 0))
        chosen = [i for i in ordered if i[time_key] >= low]
        start = int(request.query.get("fingerprint", "0") or 0)
        size = int(request.query.get("limit", 20))
        page = chosen[start : start + size]
        meta = {"at": 1772649612000, "page_size": len(page)}
        if start + size < len(chosen):
            meta.update(fingerprint=str(start + size), links={"next": f"{request.path}?fingerprint={start + size}"})
        return ok({"data": page, "success": True, "meta": meta})

    return answer


def serve_trongrid(stub: StubServer, address: str, tokens: list[dict], native: list[dict]) -> None:
    """Make ``stub`` answer ``address``'s two listings from these items."""
    stub.route(f"/v1/accounts/{address}/transactions/trc20", _pages(tokens, "block_timestamp"))
    stub.route(f"/v1/accounts/{address}/transactions", _pages(native, "block_timestamp"))
