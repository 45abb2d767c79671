"""Solana through JSON-RPC: SOL and SPL token transfers of an address.

``getSignaturesForAddress`` lists the address's transactions newest first (1,000 a
page, ``before`` the oldest seen; ``until`` the newest already fetched on a refresh);
failed ones are left out. ``getTransaction`` (``jsonParsed``,
``maxSupportedTransactionVersion`` 0) is asked in JSON-RPC batches. Transfers are read
from the outer and inner instructions: the System program's ``transfer`` (SOL, 9
decimals) and the Token programs' ``transfer``/``transferChecked`` (the mint and its
decimals from the token balances; token accounts are replaced by their owners). Only
the transfers the address sends or receives are kept; each keeps its instruction's
position as index, so the same transfer fetched for its other end is stored once.
"""

from collections.abc import Iterator

from tracing.errors import RateLimited
from tracing.model import Chain
from tracing.model.transfer import NATIVE
from tracing.settings import Settings
from tracing.sources.base import Connector, Garbage, Known, Page, PageColumns
from tracing.sources.http import HttpClient

__all__ = ["KNOWN_MINTS", "Solana"]

SOL = ("SOL", NATIVE, 9)
KNOWN_MINTS = {
    "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v": "USDC",
    "Es9vMFrzaCERmJfrF4H2FYD4KConky9ie6yBWJgdzBA8": "USDT",
}
_TOKEN_PROGRAMS = ("spl-token", "spl-token-2022")


class Solana(Connector):
    """The Solana JSON-RPC connector (a :class:`~tracing.sources.base.TransferSource`)."""

    name, title, chain = "solana", "Solana RPC", Chain.SOLANA

    def __init__(self, settings: Settings, *, signatures: int = 1000, batch: int = 50, **http):
        self.url = settings.solana_rpc_url
        self.signatures, self.batch = signatures, batch
        self.http = HttpClient(self.title, settings, **http)

    def pages(self, address: str, *, since: int | None = None, known: Known | None = None) -> Iterator[Page]:
        """One page per batch of transactions; done/total counts transactions of the signatures listed so far."""
        check = Garbage(self.title, self.chain)
        before, listed, done = None, 0, 0
        while True:
            options = {"limit": self.signatures}
            options.update({"before": before} if before else {})
            options.update({"until": known.tx_hash} if known else {})
            found = check.items(self._call([("getSignaturesForAddress", [address, options])], check)[0])
            if not found:
                return
            signatures, older = [], False
            for entry in found:
                if not isinstance(entry, dict):
                    raise check.fail("a signature entry that is not an object")
                when = entry.get("blockTime")
                if since is not None and when is not None and when < since:
                    older = True
                    break
                if entry.get("err") is None:
                    signatures.append(check.hash(entry.get("signature"), "signature"))
            listed += len(signatures)
            for start in range(0, len(signatures), self.batch):
                chunk = signatures[start : start + self.batch]
                txs = self._call([("getTransaction", [s, _TX_OPTIONS]) for s in chunk], check)
                out = PageColumns(self.chain)
                for signature, tx in zip(chunk, txs):
                    if not isinstance(tx, dict):
                        raise check.fail(
                            f"no transaction {signature[:16]}… (a pruned node? point SOLANA_RPC_URL elsewhere)"
                        )
                    _transfers(signature, tx, address, out, check)
                done += len(chunk)
                yield Page(out.table(), total=listed, done=done)
            last = found[-1].get("signature")
            if older or len(found) < self.signatures:
                return
            if last == before:
                raise check.fail("the same page of signatures twice: its paging is stuck")
            before = last

    def _call(self, calls: list[tuple[str, list]], check: Garbage) -> list:
        """Results of a JSON-RPC batch, in order; an error object becomes SourceUnavailable (or RateLimited)."""
        payload = [{"jsonrpc": "2.0", "id": k, "method": m, "params": p} for k, (m, p) in enumerate(calls)]
        answers = self.http.post_json(self.url, payload)
        if isinstance(answers, dict):
            answers = [answers]  # some nodes answer a batch error as one object
        if not isinstance(answers, list):
            raise check.fail("not a JSON-RPC answer")
        by_id = {}
        for answer in answers:
            error = answer.get("error") if isinstance(answer, dict) else "not an object"
            if error:
                message = error.get("message", error) if isinstance(error, dict) else error
                code = error.get("code") if isinstance(error, dict) else None
                text = f"Solana RPC refused the call: {str(message)[:200]}"
                raise RateLimited(text) if code == 429 else check.fail(f"error {code}: {str(message)[:200]}")
            by_id[answer.get("id")] = answer.get("result")
        if len(by_id) != len(calls):
            raise check.fail(f"{len(by_id)} answers to {len(calls)} calls")
        return [by_id.get(k) for k in range(len(calls))]


_TX_OPTIONS = {"encoding": "jsonParsed", "maxSupportedTransactionVersion": 0, "commitment": "finalized"}


def _instructions(tx: dict) -> Iterator[tuple[int, dict]]:
    """(index, instruction) of the outer instructions (k + 1) and the inner ones (1000 (k + 1) + j)."""
    message = (tx.get("transaction") or {}).get("message") or {}
    for k, instruction in enumerate(message.get("instructions") or []):
        yield k + 1, instruction
    for group in (tx.get("meta") or {}).get("innerInstructions") or []:
        for j, instruction in enumerate(group.get("instructions") or []):
            yield 1000 * (group.get("index", 0) + 1) + j, instruction


def _transfers(signature: str, tx: dict, address: str, out: PageColumns, check: Garbage) -> None:
    meta = tx.get("meta") or {}
    keys = [
        k.get("pubkey") if isinstance(k, dict) else k for k in tx["transaction"]["message"].get("accountKeys") or []
    ]
    accounts = {}  # token account -> (owner, mint, decimals)
    for balance in (meta.get("preTokenBalances") or []) + (meta.get("postTokenBalances") or []):
        amount = balance.get("uiTokenAmount") or {}
        accounts[keys[balance["accountIndex"]]] = (balance.get("owner"), balance.get("mint"), amount.get("decimals"))
    slot = check.whole(tx.get("slot"), "slot")
    when = check.whole(tx.get("blockTime"), "blockTime")
    for index, instruction in _instructions(tx):
        parsed = instruction.get("parsed")
        if not isinstance(parsed, dict) or parsed.get("type") not in ("transfer", "transferChecked"):
            continue
        info = parsed.get("info") or {}
        if instruction.get("program") == "system" and "lamports" in info:
            sender, receiver, asset = info.get("source"), info.get("destination"), out.asset(*SOL)
            amount = check.whole(info["lamports"], "lamports")
        elif instruction.get("program") in _TOKEN_PROGRAMS:
            source, destination = accounts.get(info.get("source")), accounts.get(info.get("destination"))
            owner_from, mint, decimals = source or (info.get("authority"), None, None)
            owner_to = (destination or (info.get("destination"),))[0]
            mint = info.get("mint") or mint or (destination or (None, None, None))[1]
            token = info.get("tokenAmount") or {}
            decimals = token.get("decimals", decimals if decimals is not None else (destination or (0, 0, None))[2])
            if mint is None or decimals is None:
                raise check.fail(f"a token transfer in {signature[:16]}… without its mint")
            amount = check.whole(token.get("amount", info.get("amount")), "token amount")
            symbol = KNOWN_MINTS.get(mint, f"SPL {mint[:6]}")
            sender, receiver = owner_from or info.get("source"), owner_to
            asset = out.asset(symbol, check.address(mint), check.whole(decimals, "decimals"))
        else:
            continue
        sender, receiver = check.address(sender), check.address(receiver)
        if address in (sender, receiver) and amount:
            out.add(signature, index, slot, when, sender, receiver, asset, amount)
