"""Exposure: how much of an address's money came from, or went to, each labelled category and entity.

- **direct**: the share of the address's inflow (outflow) that came from (went
  to) labelled counterparties, per asset, by category and by entity;
- **indirect**: the same through up to ``hops`` transfers with the haircut model
  (:mod:`tracing.flow.taint`): forward, the share of everything the address sent
  that reached each labelled address; backward, the share of its receipts that
  came from each. Exchanges, mixers and bridges end a path (exits); other
  labelled addresses are counted and followed, so an amount that passes a listed
  address and then reaches an exchange counts for both and the shares of one
  direction may add up to more than 1.

Amounts are in each asset's token units; assets are never added together.
"""

import numpy as np

from tracing.errors import AddressNotFound, BadParameters
from tracing.flow.params import TraceParameters
from tracing.flow.tracer import describe, trace
from tracing.labels import LabelIndex
from tracing.model import TransferTable, display_address

__all__ = ["DEFAULT_HOPS", "direct_exposure", "exposure", "indirect_exposure", "max_share"]

DEFAULT_HOPS = 5
_DIRECTIONS = (("incoming", "backward"), ("outgoing", "forward"))


def _breakdown(chain, asset, total: float, rows: list[tuple[str, str, str, float]]) -> dict:
    """``{"asset", "total", "categories": [...], "entities": [...]}`` from (address, category, name, amount) rows."""
    cats: dict[str, float] = {}
    ents: dict[tuple[str, str], list] = {}
    for address, category, name, amount in rows:
        cats[category] = cats.get(category, 0.0) + amount
        entry = ents.setdefault((name, category), [0.0, []])
        entry[0] += amount
        entry[1].append(display_address(chain, address))
    dec = asset.decimals

    def share(x: float) -> float:
        return round(x / total, 6) if total > 0 else 0.0

    return {
        "asset": asset.symbol,
        "total": round(total, dec),
        "categories": [
            {"category": c, "amount": round(a, dec), "share": share(a)}
            for c, a in sorted(cats.items(), key=lambda x: -x[1])
        ],
        "entities": [
            {"name": n, "category": c, "amount": round(a, dec), "share": share(a), "addresses": sorted(set(addr))[:10]}
            for (n, c), (a, addr) in sorted(ents.items(), key=lambda x: -x[1][0])
        ],
    }


def direct_exposure(table: TransferTable, address: str, labels: LabelIndex) -> dict:
    """``{"incoming": [per asset], "outgoing": [per asset]}`` of the address's own transfers with labelled parties."""
    chain, code = table.chain, table.code_of(address)
    out = {"incoming": [], "outgoing": []}
    if code < 0 or not len(table):
        return out
    labelled = np.isin(table.addresses, labels.addresses(chain))
    labelled[code] = False
    named = {int(c): describe(labels, chain, str(table.addresses[c])) for c in np.flatnonzero(labelled)}
    for name, mine, other in (("incoming", table.dst, table.src), ("outgoing", table.src, table.dst)):
        rows_mine = mine == code
        for a in np.unique(table.asset[rows_mine]).tolist():
            rows = rows_mine & (table.asset == a)
            total = float(table.value[rows].sum())
            hit = rows & labelled[other]
            parties, sums = np.unique(other[hit], return_inverse=True)
            amounts = np.bincount(sums, weights=table.value[hit], minlength=len(parties))
            found = [
                (str(table.addresses[p]), named[int(p)][1], named[int(p)][0], float(x))
                for p, x in zip(parties.tolist(), amounts.tolist())
            ]
            out[name].append(_breakdown(chain, table.assets[a], total, found))
    return out


def indirect_exposure(
    backward: TransferTable, forward: TransferTable, address: str, labels: LabelIndex, *, hops: int = DEFAULT_HOPS
) -> dict:
    """``{"incoming": [...], "outgoing": [...]}`` through up to ``hops`` transfers (haircut), per asset.

    ``backward`` holds the transfers the address's funds came through, ``forward``
    those they went on through (the same table will do for both).
    """
    out = {"incoming": [], "outgoing": []}
    for name, direction in _DIRECTIONS:
        table = backward if direction == "backward" else forward
        chain, code = table.chain, table.code_of(address)
        if code < 0:
            continue
        side = table.dst if direction == "backward" else table.src
        for a in np.unique(table.asset[side == code]).tolist():
            asset = table.assets[a]
            params = TraceParameters(direction=direction, hops=hops, model="haircut", asset=asset.symbol)
            try:
                result = trace(table.take(table.asset == a), address, params, labels=labels)
            except (AddressNotFound, BadParameters):
                continue
            category = np.array(result.category, dtype=str)
            reached = np.flatnonzero((category != "") & (result.received > 0) & (result.addresses != address))
            found = [
                (str(result.addresses[i]), str(category[i]), result.label[i], float(result.received[i]))
                for i in reached
            ]
            out[name].append(_breakdown(chain, asset, float(result.seed), found))
    return out


def exposure(
    own: TransferTable,
    address: str,
    labels: LabelIndex,
    *,
    backward: TransferTable | None = None,
    forward: TransferTable | None = None,
    hops: int = DEFAULT_HOPS,
) -> dict:
    """Direct exposure from ``own`` (the address's transfers), indirect through ``backward`` and ``forward`` (the
    transfers up to ``hops`` away on each side; ``own`` when not given).

    >>> from tracing.testing import make_table
    >>> from tracing.labels import Label
    >>> from tracing.model import Chain
    >>> t = make_table([100, 60, 40], times=[0, 10, 20], senders=["V", "T", "T"], receivers=["T", "X", "B"])
    >>> doc = exposure(t, "T", LabelIndex([Label(Chain.TRON, "X", "Some Exchange", "exchange", "test")]))
    >>> doc["direct"]["outgoing"][0]["categories"]
    [{'category': 'exchange', 'amount': 60.0, 'share': 0.6}]
    """
    return {
        "hops": hops,
        "model": "haircut",
        "direct": direct_exposure(own, address, labels),
        "indirect": indirect_exposure(
            own if backward is None else backward, own if forward is None else forward, address, labels, hops=hops
        ),
    }


def max_share(doc: dict, categories: tuple[str, ...], *, kind: str = "indirect") -> tuple[float, dict | None]:
    """The largest share, over assets and directions, that ``categories`` take in ``doc[kind]``, and where."""
    best, where = 0.0, None
    for direction, items in doc.get(kind, {}).items():
        for item in items:
            share = sum(c["share"] for c in item["categories"] if c["category"] in categories)
            if share > best:
                best, where = share, {"direction": direction, "asset": item["asset"], "total": item["total"]}
    return best, where
