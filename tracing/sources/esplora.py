"""Bitcoin through Esplora (Blockstream-compatible): an address's transactions as transfers.

``/address/:a/txs`` gives the newest confirmed transactions (mempool ones are left
out: they have no block yet); ``/address/:a/txs/chain/:last_txid`` the next older
page. A refresh stops at the newest block already fetched.

How a transaction becomes transfers (:func:`split_transaction`): inputs are summed per
address, outputs too. Each output is paid by the inputs in proportion to what they
put in, so input address ``a`` pays output address ``b`` ``out(b) * in(a) / sum(in)``
satoshis, rounded so every output receives exactly its value. What an address pays
to itself (change) is not a transfer. The fee (inputs minus outputs) is no transfer
either: it leaves each input in the same proportion and shows as the gap between
what an address sent and what its counterparties received. Coinbase inputs and
outputs without an address (``OP_RETURN``) take no part.
"""

from collections.abc import Iterator

from tracing.model import Chain
from tracing.model.transfer import NATIVE
from tracing.settings import Settings
from tracing.sources.base import Connector, Garbage, Known, Page, PageColumns
from tracing.sources.http import HttpClient

__all__ = ["MAX_PAIRS", "Esplora", "split_transaction"]

BTC = ("BTC", NATIVE, 8)
PAGE = 25  # confirmed transactions per Esplora page
MAX_PAIRS = 10_000  # beyond this many input x output pairs (coinjoins), only the fetched address's pairs are kept


def _sums(entries: list[tuple[str, int]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for address, value in entries:
        found[address] = found.get(address, 0) + value
    return dict(sorted(found.items()))


def split_transaction(inputs: list[tuple[str, int]], outputs: list[tuple[str, int]], focus: str | None = None):
    """``(index, sender, receiver, satoshis)`` for each input address paying each output address.

    >>> split_transaction([("A", 60), ("B", 40)], [("C", 50), ("A", 45)])  # 5 sat fee, 45 back to A
    [(2, 'A', 'C', 30), (3, 'B', 'A', 18), (4, 'B', 'C', 20)]

    ``index`` numbers the (input, output) address pairs in sorted order, so the same
    transaction gives the same transfers whichever address it was fetched for.
    """
    senders, receivers = _sums(inputs), _sums(outputs)
    total = sum(senders.values())
    if not total or not receivers:
        return []
    width, paid = len(receivers), list(senders.values())
    big = len(senders) * width > MAX_PAIRS
    found = []
    for j, (receiver, value) in enumerate(receivers.items()):
        shares = [(value * p) // total for p in paid]
        rests = sorted(range(len(shares)), key=lambda i: -((value * paid[i]) % total))
        for i in rests[: value - sum(shares)]:
            shares[i] += 1  # largest remainders first: the output receives exactly its value
        for i, (sender, amount) in enumerate(zip(senders, shares)):
            if amount and sender != receiver and (not big or focus in (sender, receiver)):
                found.append((1 + i * width + j, sender, receiver, amount))
    return sorted(found)


class Esplora(Connector):
    """The Esplora connector (a :class:`~tracing.sources.base.TransferSource`)."""

    name, title, chain = "esplora", "Esplora", Chain.BITCOIN

    def __init__(self, settings: Settings, **http):
        self.base = settings.esplora_url
        self.http = HttpClient(self.title, settings, **http)

    def pages(self, address: str, *, since: int | None = None, known: Known | None = None) -> Iterator[Page]:
        """Pages of 25 confirmed transactions, newest first, until ``known``'s block or ``since``."""
        check = Garbage(self.title, self.chain)
        oldest_block = known.block if known else 0
        path, previous = f"/address/{address}/txs", None
        while True:
            txs = check.items(self.http.get_json(self.base + path))
            out = PageColumns(self.chain)
            confirmed = [t for t in txs if isinstance(t, dict) and (t.get("status") or {}).get("confirmed")]
            for tx in confirmed:
                self._add(tx, address, out, check)
            yield Page(out.table())
            if len(confirmed) < PAGE:
                return
            last = confirmed[-1]
            block = check.whole(last["status"].get("block_height"), "block_height")
            when = check.whole(last["status"].get("block_time"), "block_time")
            if block < oldest_block or (since is not None and when < since):
                return
            txid = check.hash(last.get("txid"), "txid")
            if txid == previous:
                raise check.fail("the same page twice: its paging is stuck")
            path, previous = f"/address/{address}/txs/chain/{txid}", txid

    @staticmethod
    def _add(tx: dict, focus: str, out: PageColumns, check: Garbage) -> None:
        inputs = []
        for vin in check.items(tx, "vin"):
            prevout = vin.get("prevout") or {}
            if not vin.get("is_coinbase") and prevout.get("scriptpubkey_address"):
                inputs.append(
                    (check.address(prevout["scriptpubkey_address"]), check.whole(prevout.get("value"), "value"))
                )
        outputs = [
            (check.address(vout["scriptpubkey_address"]), check.whole(vout.get("value"), "value"))
            for vout in check.items(tx, "vout")
            if vout.get("scriptpubkey_address")
        ]
        txid = check.hash(tx.get("txid"), "txid").lower()
        status = tx["status"]
        block = check.whole(status.get("block_height"), "block_height")
        when = check.whole(status.get("block_time"), "block_time")
        btc = out.asset(*BTC)
        for index, sender, receiver, amount in split_transaction(inputs, outputs, focus):
            out.add(txid, index, block, when, sender, receiver, btc, amount)
