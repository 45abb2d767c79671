"""TRON through TronGrid: every TRC20 token transfer and native TRX transfer of an address.

- ``/v1/accounts/{address}/transactions/trc20``: token transfers, amounts in base
  units scaled by ``token_info.decimals``, the contract kept. A token calling itself
  USDT (or USDC) from another contract than the real one is stored as
  ``"<symbol> (look-alike)"``: the address-poisoning pattern, where a fake token
  sends dust from an address that looks like a real counterparty.
- ``/v1/accounts/{address}/transactions``: native TRX (``TransferContract``), hex
  ``41…`` addresses converted to base58 ``T…``; failed transactions are left out.

Both walk newest first by ``meta.fingerprint``; ``min_timestamp`` asks only for what
is newer on a refresh. ``TRON-PRO-API-KEY`` is sent when ``TRONGRID_API_KEY`` is set.
"""

from collections.abc import Iterator

from tracing.model import Chain
from tracing.model.transfer import NATIVE
from tracing.settings import Settings
from tracing.sources.base import Connector, Garbage, Known, Page, PageColumns
from tracing.sources.http import HttpClient

__all__ = ["OFFICIAL_TOKENS", "TronGrid"]

OFFICIAL_TOKENS = {"USDT": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "USDC": "TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8"}
LOOK_ALIKE = " (look-alike)"
TRX = ("TRX", NATIVE, 6)


class TronGrid(Connector):
    """The TronGrid connector (a :class:`~tracing.sources.base.TransferSource`)."""

    name, title, chain = "trongrid", "TronGrid", Chain.TRON

    def __init__(self, settings: Settings, *, page_size: int = 200, **http):
        self.base = settings.trongrid_url
        self.page_size = page_size
        self.headers = {"TRON-PRO-API-KEY": settings.trongrid_api_key} if settings.trongrid_api_key else {}
        self.http = HttpClient(self.title, settings, key_variable="TRONGRID_API_KEY", **http)

    def pages(self, address: str, *, since: int | None = None, known: Known | None = None) -> Iterator[Page]:
        """Token transfers, then native TRX transfers, newest first, each page parsed."""
        oldest = max(since or 0, known.timestamp if known else 0)
        params = {"limit": self.page_size, "only_confirmed": "true"}
        if oldest:
            params["min_timestamp"] = oldest * 1000
        check = Garbage(self.title, self.chain)
        yield from self._walk(f"/v1/accounts/{address}/transactions/trc20", params, check, self._tokens)
        yield from self._walk(f"/v1/accounts/{address}/transactions", params, check, self._native)

    def _walk(self, path: str, params: dict, check: Garbage, parse) -> Iterator[Page]:
        params, previous = dict(params), None
        while True:
            document = self.http.get_json(self.base + path, params=params, headers=self.headers)
            if not isinstance(document, dict) or document.get("success") is False:
                message = document.get("error") or document.get("Error") if isinstance(document, dict) else None
                raise check.fail(f"success false: {str(message)[:200]}" if message else "not a TronGrid document")
            out = PageColumns(self.chain)
            for item in check.items(document, "data"):
                parse(item, out, check)
            yield Page(out.table())
            fingerprint = (document.get("meta") or {}).get("fingerprint")
            if not fingerprint or not document["data"]:
                return
            if fingerprint == previous:
                raise check.fail("the same page cursor twice: its paging is stuck")
            params["fingerprint"] = previous = fingerprint

    @staticmethod
    def _tokens(item: dict, out: PageColumns, check: Garbage) -> None:
        if item.get("type", "Transfer") != "Transfer":
            return  # approvals move nothing
        info = item.get("token_info")
        if not isinstance(info, dict):
            raise check.fail("a TRC20 transfer without token_info")
        contract = check.address(info.get("address"))
        decimals = check.whole(info.get("decimals"), "token decimals")
        symbol = str(info.get("symbol") or "?")[:16]
        official = OFFICIAL_TOKENS.get(symbol.strip().upper())
        if official is not None and official != contract:
            symbol = symbol.strip() + LOOK_ALIKE
        sender, receiver = check.address(item.get("from")), check.address(item.get("to"))
        amount = check.whole(item.get("value"), "value")
        if decimals > 36:
            raise check.fail(f"token decimals {decimals}")
        tx_hash = check.hash(item.get("transaction_id")).lower()
        out.add(
            tx_hash,
            out.token_index(tx_hash, contract, sender, receiver, amount),
            0,  # the trc20 listing carries no block number
            check.whole(item.get("block_timestamp"), "block_timestamp") // 1000,
            sender,
            receiver,
            out.asset(symbol, contract, decimals),
            amount,
        )

    @staticmethod
    def _native(item: dict, out: PageColumns, check: Garbage) -> None:
        ret = item.get("ret") or [{}]
        if ret[0].get("contractRet", "SUCCESS") != "SUCCESS":
            return
        contracts = (item.get("raw_data") or {}).get("contract") or []
        if not contracts or contracts[0].get("type") != "TransferContract":
            return  # token calls, freezes, votes: not TRX moving between accounts
        value = (contracts[0].get("parameter") or {}).get("value") or {}
        out.add(
            check.hash(item.get("txID")).lower(),
            0,
            check.whole(item.get("blockNumber", 0), "blockNumber"),
            check.whole(item.get("block_timestamp"), "block_timestamp") // 1000,
            check.address(value.get("owner_address")),
            check.address(value.get("to_address")),
            out.asset(*TRX),
            check.whole(value.get("amount"), "amount"),
        )
