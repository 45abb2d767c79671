"""Etherscan API v2 as a local server: ``txlist``, ``txlistinternal``, ``tokentx`` with page/offset and the row window."""

from tracing.sources.simulated.server import Request, StubServer, ok

__all__ = ["serve_etherscan", "token_row", "tx_row"]


def tx_row(tx: str, sender: str, receiver: str, wei: int, when: int, block: int, *, failed=False) -> dict:
    """One ``txlist`` row, every value a string as Etherscan writes them."""
    return {
        "blockNumber": str(block),
        "timeStamp": str(when),
        "hash": tx,
        "nonce": "1",
        "blockHash": "0x" + "ab" * 32,
        "transactionIndex": "3",
        "from": sender,
        "to": receiver,
        "value": str(wei),
        "gas": "21000",
        "gasPrice": "20000000000",
        "isError": "1" if failed else "0",
        "txreceipt_status": "0" if failed else "1",
        "input": "0x",
        "contractAddress": "",
        "cumulativeGasUsed": "21000",
        "gasUsed": "21000",
        "confirmations": "100",
        "methodId": "0x",
        "functionName": "",
    }


def token_row(tx, sender, receiver, value, when, block, *, contract, symbol="USDT", decimals=6) -> dict:
    """One ``tokentx`` row."""
    return {
        "blockNumber": str(block),
        "timeStamp": str(when),
        "hash": tx,
        "nonce": "1",
        "blockHash": "0x" + "cd" * 32,
        "from": sender,
        "contractAddress": contract,
        "to": receiver,
        "value": str(value),
        "tokenName": "Tether USD",
        "tokenSymbol": symbol,
        "tokenDecimal": str(decimals),
        "transactionIndex": "1",
        "gas": "60000",
        "gasPrice": "20000000000",
        "gasUsed": "50000",
        "cumulativeGasUsed": "50000",
        "input": "deprecated",
        "confirmations": "100",
    }


def serve_etherscan(stub: StubServer, listings: dict[str, list[dict]], *, window: int = 10_000) -> None:
    """Make ``stub`` answer each action from its rows, as Etherscan pages them (newest first)."""

    def answer(request: Request):
        q = request.query
        rows = listings.get(q.get("action"), [])
        low, high = int(q.get("startblock", 0)), int(q.get("endblock", 99_999_999))
        page, offset = int(q.get("page", 1)), int(q.get("offset", 10_000))
        if page * offset > window:
            return ok({"status": "0", "message": "NOTOK", "result": "Result window is too large"})
        chosen = sorted((r for r in rows if low <= int(r["blockNumber"]) <= high), key=lambda r: -int(r["blockNumber"]))
        chosen = chosen[(page - 1) * offset : page * offset]
        if not chosen:
            return ok({"status": "0", "message": "No transactions found", "result": []})
        return ok({"status": "1", "message": "OK", "result": chosen})

    stub.route("/v2/api", answer)
