"""Solana JSON-RPC as a local server: ``getSignaturesForAddress`` (before/until) and batched ``getTransaction``."""

from tracing.sources.simulated.server import Request, StubServer, ok

__all__ = ["serve_solana", "sol_transfer", "token_transfer"]


def _tx(signature, slot, when, instructions, keys, token_balances=(), err=None):
    return {
        "slot": slot,
        "blockTime": when,
        "meta": {
            "err": err,
            "fee": 5000,
            "preBalances": [10**9] * len(keys),
            "postBalances": [10**9] * len(keys),
            "preTokenBalances": list(token_balances),
            "postTokenBalances": list(token_balances),
            "innerInstructions": [],
            "logMessages": [],
        },
        "transaction": {
            "signatures": [signature],
            "message": {
                "accountKeys": [{"pubkey": k, "signer": i == 0, "writable": True} for i, k in enumerate(keys)],
                "instructions": instructions,
                "recentBlockhash": "1" * 43,
            },
        },
        "version": 0,
    }


def sol_transfer(signature: str, sender: str, receiver: str, lamports: int, slot: int, when: int) -> dict:
    """A transaction with one System-program transfer."""
    instruction = {
        "program": "system",
        "programId": "11111111111111111111111111111111",
        "parsed": {"type": "transfer", "info": {"source": sender, "destination": receiver, "lamports": lamports}},
    }
    return _tx(signature, slot, when, [instruction], [sender, receiver])


def token_transfer(signature, sender, receiver, amount, slot, when, *, mint, decimals=6, accounts=("A1", "A2")) -> dict:
    """A transaction with one SPL ``transferChecked`` between the owners' token accounts ``accounts``."""
    source, destination = accounts
    instruction = {
        "program": "spl-token",
        "programId": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        "parsed": {
            "type": "transferChecked",
            "info": {
                "source": source,
                "destination": destination,
                "authority": sender,
                "mint": mint,
                "tokenAmount": {
                    "amount": str(amount),
                    "decimals": decimals,
                    "uiAmountString": str(amount / 10**decimals),
                },
            },
        },
    }
    balances = [
        {"accountIndex": k + 1, "mint": mint, "owner": owner, "uiTokenAmount": {"amount": "0", "decimals": decimals}}
        for k, owner in enumerate((sender, receiver))
    ]
    return _tx(signature, slot, when, [instruction], [sender, source, destination], balances)


def serve_solana(stub: StubServer, address: str, txs: list[dict]) -> None:
    """Make ``stub`` answer JSON-RPC batches about ``address`` from ``txs`` (newest first by slot)."""
    ordered = sorted(txs, key=lambda t: -t["slot"])
    by_signature = {t["transaction"]["signatures"][0]: t for t in ordered}

    def one(call: dict) -> dict:
        method, params = call["method"], call["params"]
        if method == "getTransaction":
            return {"jsonrpc": "2.0", "id": call["id"], "result": by_signature.get(params[0])}
        options = params[1] if len(params) > 1 else {}
        signatures = list(by_signature) if params[0] == address else []
        if options.get("before"):
            signatures = signatures[signatures.index(options["before"]) + 1 :]
        if options.get("until") in signatures:
            signatures = signatures[: signatures.index(options["until"])]
        result = [
            {
                "signature": s,
                "slot": by_signature[s]["slot"],
                "err": by_signature[s]["meta"]["err"],
                "memo": None,
                "blockTime": by_signature[s]["blockTime"],
                "confirmationStatus": "finalized",
            }
            for s in signatures[: options.get("limit", 1000)]
        ]
        return {"jsonrpc": "2.0", "id": call["id"], "result": result}

    def answer(request: Request):
        body = request.body
        return ok([one(c) for c in body] if isinstance(body, list) else one(body))

    stub.route("/rpc", answer)
