"""Scoring from the store: gather an address's neighbourhood, then score it.

This is the one place that turns "an address" into the tables the pure scoring
engine needs. Each hop of the neighbourhood is one batched query, never one per
counterparty.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tracing.errors import AddressNotFound
from tracing.flow.exposure import DEFAULT_HOPS as EXPOSURE_HOPS
from tracing.flow.exposure import exposure
from tracing.investigate.trace import gather_around
from tracing.labels import LabelIndex
from tracing.model import Chain, TransferTable, normalize_address
from tracing.params import Parameters
from tracing.scoring import ScoreReport, score_tables
from tracing.scoring.hiding import pass_through_links
from tracing.screening import screen_with_api
from tracing.store import Store

__all__ = [
    "GATHERING",
    "Neighbourhood",
    "busiest_counterparties",
    "gather",
    "identities",
    "pass_through_context",
    "score_address",
]


def identities(table: TransferTable) -> np.ndarray:
    """``tx_hash:index`` of each row: what makes a transfer the same transfer."""
    return np.char.add(np.char.add(table.tx_hash.astype(str), ":"), table.index.astype(str))


def pass_through_context(
    store: Store, chain: Chain, address: str, own: TransferTable, params: Parameters
) -> TransferTable:
    """The address's transfers plus every transfer that may chain with them through intermediaries.

    Hop by hop: the arrivals at the senders of the chain's earliest transfers
    (just before them), and the departures from the receivers of its latest
    transfers (just after them). Only accounts whose transfers link in are
    followed further. ``own`` holds every transfer of ``address``, so those are
    never fetched again.
    """
    window = params.time_difference
    context = own
    back_rows = fwd_rows = np.arange(len(own))
    seen_back: set[str] = set()
    seen_fwd: set[str] = set()
    for _ in range(params.hiding_max_hops):
        senders = set(context.sender[back_rows]) - seen_back
        receivers = set(context.receiver[fwd_rows]) - seen_fwd
        if not senders and not receivers:
            break
        seen_back |= senders
        seen_fwd |= receivers
        times = context.timestamp[np.concatenate([back_rows, fwd_rows])]
        extra = store.transfers_where(
            chain,
            senders=receivers,
            receivers=senders,
            since=int(times.min()) - window,
            until=int(times.max()) + window,
            exclude=[address],
        )
        if not len(extra):
            break
        fresh = ~np.isin(identities(extra), identities(context))
        context = TransferTable.concat([context, extra.take(fresh)]).sorted()
        links = pass_through_links(context, tolerance=params.hiding_tolerance, window=window)
        linked_new = (links.pred >= 0) | (links.succ >= 0)
        back_rows = np.flatnonzero(linked_new & (links.pred < 0))  # chain heads: look further back
        fwd_rows = np.flatnonzero(linked_new & (links.succ < 0))  # chain tails: look further on
        if not fresh.any():
            break
    return context


@dataclass(frozen=True)
class Neighbourhood:
    """What the store knows around an address: every table the four tests need.

    It depends on the parameters only through :data:`GATHERING`, so one
    neighbourhood can be scored again with other thresholds or weights.
    """

    chain: Chain
    address: str
    context: TransferTable
    labels: LabelIndex
    second_hop: TransferTable | None
    source: str
    backward: TransferTable | None = None  # up to EXPOSURE_HOPS transfers before it, for exposure
    forward: TransferTable | None = None  # and after it
    sanctions_api: dict | None = None  # the sanctions API's screening status (None: no API configured)

    def __len__(self) -> int:
        """The transfers it holds."""
        extra = (self.second_hop, self.backward, None if self.forward is self.backward else self.forward)
        return len(self.context) + sum(len(t) for t in extra if t is not None)

    @cached_property
    def flow_exposure(self) -> dict | None:
        """The address's exposure when the flow around it was gathered (it depends on no parameter)."""
        if self.backward is None:
            return None
        own = self.context.take((self.context.sender == self.address) | (self.context.receiver == self.address))
        return exposure(own, self.address, self.labels, backward=self.backward, forward=self.forward)

    def score(self, params: Parameters) -> ScoreReport:
        """The score report of the address under ``params`` (with its exposure when the flow was gathered)."""
        return score_tables(
            self.address,
            self.context,
            self.labels,
            params,
            second_hop=self.second_hop,
            data_source=self.source,
            exposure=self.flow_exposure,
            sanctions_api=self.sanctions_api,
        )


GATHERING = ("time_difference", "hiding_tolerance", "hiding_max_hops")
"""The parameters that decide which transfers are gathered around an address."""


def gather(
    store: Store,
    address: str,
    chain: Chain | str | None = None,
    params: Parameters | None = None,
    *,
    labels: LabelIndex | None = None,
    api=None,
    api_budget: int = 20,
) -> Neighbourhood:
    """Validate ``address`` and load what the store knows around it.

    With ``api`` (a :class:`~tracing.sources.chainalysis.ChainalysisSanctions`), the
    address and its ``api_budget`` direct counterparties with the most transfers
    are screened too: identifications join the labels as entries of the API's
    list, and the screening's status (a failure included) travels with the scores.

    Raises
    ------
    InvalidAddress
        The address is malformed for its chain.
    AddressNotFound
        The store holds no transfer of it and no list names it.
    """
    params = params or Parameters()
    chain, address = normalize_address(address, chain)
    labels = labels if labels is not None else store.label_index(chain)
    own = store.transfers_of(chain, address)
    screening = None
    if api is not None:
        found, screening = screen_with_api(
            api, chain, [address, *busiest_counterparties(own, address)], budget=api_budget
        )
        labels = labels.plus(found)
    if not len(own) and not labels.of(chain, address):
        raise AddressNotFound(
            f"no transfers are stored for {chain.value} address {address}; import or fetch its transfers first"
        )
    context = pass_through_context(store, chain, address, own, params)
    listed = labels.addresses(chain, "sanctioned")
    second_hop = None
    if len(listed):
        # Counterparties' dealings with listed addresses: indirect exposure.
        parties = np.setdiff1d(np.union1d(own.sender, own.receiver), np.append(listed, address))
        second_hop = store.transfers_between(chain, listed, parties)
    source = ", ".join(store.sources_of(chain, address)) or "labels only"
    around = gather_around(store, chain, address, EXPOSURE_HOPS, labels=labels)
    return Neighbourhood(chain, address, context, labels, second_hop, source, around, around, screening)


def busiest_counterparties(own: TransferTable, address: str) -> list[str]:
    """The counterparties of ``address`` in its transfers ``own``, most transfers first (then by address)."""
    code = own.code_of(address)
    other = np.where(own.src == code, own.dst, own.src)
    counts = np.bincount(other[other != code], minlength=len(own.addresses))
    found = np.flatnonzero(counts)
    return own.addresses[found[np.lexsort((own.addresses[found], -counts[found]))]].tolist()


def score_address(
    store: Store, address: str, chain: Chain | str | None = None, params: Parameters | None = None, **screening
) -> ScoreReport:
    """Validate ``address``, load what the store knows around it and score it (``screening``: ``api``,
    ``api_budget``; see :func:`gather`)."""
    params = params or Parameters()
    return gather(store, address, chain, params, **screening).score(params)
