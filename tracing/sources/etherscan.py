"""Ethereum through Etherscan API v2 (``chainid=1``): ETH, internal ETH and ERC20 transfers of an address.

Three listings, newest first: ``txlist`` (ETH sent by transactions; failed and
zero-value ones left out), ``txlistinternal`` (ETH moved by contracts) and
``tokentx`` (ERC20, with the token's own decimals and contract). Paging is
``page``/``offset``; Etherscan serves at most 10,000 rows per query (page x offset),
so a longer history is walked by block ranges: the next query ends at the oldest
block seen (rows of that block come twice and are stored once).

Status ``"0"`` with "No transactions found" is an empty history; any other status
``"0"`` (rate limit, invalid key, bad address) is an error carrying Etherscan's message.
"""

from collections.abc import Iterator

from tracing.errors import RateLimited, SourceNotConfigured, SourceUnavailable
from tracing.model import Chain
from tracing.model.transfer import NATIVE
from tracing.settings import Settings
from tracing.sources.base import Connector, Garbage, Known, Page, PageColumns, transfer_index
from tracing.sources.http import HttpClient

__all__ = ["Etherscan"]

ETH = ("ETH", NATIVE, 18)
ACTIONS = ("txlist", "txlistinternal", "tokentx")
_EMPTY = "No transactions found"


class Etherscan(Connector):
    """The Etherscan v2 connector (a :class:`~tracing.sources.base.TransferSource`)."""

    name, title, chain = "etherscan", "Etherscan", Chain.ETHEREUM

    def __init__(self, settings: Settings, *, page_size: int = 1000, window: int = 10_000, **http):
        if not settings.etherscan_api_key:
            raise SourceNotConfigured("Etherscan needs an API key to fetch ethereum transfers: set ETHERSCAN_API_KEY")
        self.url = settings.etherscan_url
        self.key = settings.etherscan_api_key
        self.page_size, self.window = page_size, window
        self.http = HttpClient(self.title, settings, key_variable="ETHERSCAN_API_KEY", **http)

    def pages(self, address: str, *, since: int | None = None, known: Known | None = None) -> Iterator[Page]:
        """The three listings, each walked newest first down to ``known``'s block or ``since``."""
        check = Garbage(self.title, self.chain)
        for action in ACTIONS:
            yield from self._walk(action, address, since, known.block if known else 0, check)

    def _walk(self, action: str, address: str, since: int | None, start: int, check: Garbage) -> Iterator[Page]:
        end, page = 99_999_999, 1
        while True:
            rows = self._rows(action, address, start, end, page)
            out = PageColumns(self.chain)
            for row in rows:
                _PARSE[action](row, out, check)
            yield Page(out.table())
            if len(rows) < self.page_size:
                return
            if since is not None and check.whole(rows[-1].get("timeStamp"), "timeStamp") < since:
                return
            if (page + 1) * self.page_size <= self.window:
                page += 1
                continue
            oldest = check.whole(rows[-1].get("blockNumber"), "blockNumber")
            if oldest >= end:
                raise check.fail(f"more than {self.window} {action} rows in block {oldest}")
            end, page = oldest, 1  # the next window ends at the oldest block seen

    def _rows(self, action: str, address: str, start: int, end: int, page: int) -> list:
        params = {
            "chainid": 1,
            "module": "account",
            "action": action,
            "address": address,
            "startblock": start,
            "endblock": end,
            "page": page,
            "offset": self.page_size,
            "sort": "desc",
            "apikey": self.key,
        }
        document = self.http.get_json(self.url, params=params)
        if not isinstance(document, dict) or "status" not in document:
            raise Garbage(self.title, self.chain).fail("not an Etherscan document")
        if str(document["status"]) == "1":
            return Garbage(self.title, self.chain).items(document, "result")
        message, detail = str(document.get("message", "")), str(document.get("result", ""))[:200]
        if message.startswith(_EMPTY) or detail.startswith(_EMPTY):
            return []
        text = f"Etherscan refused {action}: {message}" + (f" ({detail})" if detail else "")
        if "rate limit" in detail.lower() or "rate limit" in message.lower():
            raise RateLimited(text + "; wait a moment, or use a key with a higher limit")
        if "api key" in detail.lower():
            raise SourceUnavailable(text + "; check ETHERSCAN_API_KEY")
        raise SourceUnavailable(text)


def _ether(row: dict, out: PageColumns, check: Garbage, index: int) -> None:
    if row.get("isError", "0") != "0" or str(row.get("value", "0")) == "0":
        return
    receiver = row.get("to") or row.get("contractAddress")
    out.add(
        check.hash(row.get("hash")).lower(),
        index,
        check.whole(row.get("blockNumber"), "blockNumber"),
        check.whole(row.get("timeStamp"), "timeStamp"),
        check.address(row.get("from")),
        check.address(receiver),
        out.asset(*ETH),
        check.whole(row.get("value"), "value"),
    )


def _token(row: dict, out: PageColumns, check: Garbage) -> None:
    contract = check.address(row.get("contractAddress"))
    sender, receiver = check.address(row.get("from")), check.address(row.get("to"))
    amount = check.whole(row.get("value"), "value")
    decimals = check.whole(row.get("tokenDecimal"), "tokenDecimal")
    if decimals > 36:
        raise check.fail(f"tokenDecimal {decimals}")
    tx_hash = check.hash(row.get("hash")).lower()
    out.add(
        tx_hash,
        out.token_index(tx_hash, contract, sender, receiver, amount),
        check.whole(row.get("blockNumber"), "blockNumber"),
        check.whole(row.get("timeStamp"), "timeStamp"),
        sender,
        receiver,
        out.asset(str(row.get("tokenSymbol") or "?")[:32], contract, decimals),
        amount,
    )


_PARSE = {
    "txlist": lambda row, out, check: _ether(row, out, check, 0),
    "txlistinternal": lambda row, out, check: _ether(
        row,
        out,
        check,
        transfer_index("internal", row.get("traceId") or "", row.get("from"), row.get("to"), row.get("value")),
    ),
    "tokentx": _token,
}
