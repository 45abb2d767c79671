"""Test 4, relation to sanctioned or criminal entities.

The address scores 100 when it is itself listed. Otherwise, in the original
``listed`` mode, its score is the share of its transfers whose counterparty is
listed (direct exposure). Indirect exposure, counterparties that dealt with a
listed address, is reported beside it but does not raise the score: it is a
lead, not a finding.

In ``exposure`` mode (``relation_mode``), the score is instead 100 times the
largest share of one asset's inflow or outflow that came from or reached listed
addresses within a few hops under the haircut model (:mod:`tracing.flow.exposure`;
its direct shares when no flow was gathered): value, not transfer counts, and
indirect paths count.

When the sanctions API was asked (``sanctions_api``, its screening status), the
evidence carries that status; when it failed, the explanation says the answer
came from the local lists only, so a failure never reads as "not listed".
"""

import numpy as np

from tracing.flow.exposure import direct_exposure, max_share
from tracing.labels import LabelIndex
from tracing.model import TransferTable, display_address
from tracing.params import Parameters
from tracing.scoring.kernels import counterparty_cells
from tracing.scoring.result import EVIDENCE_LIMIT, TestResult

__all__ = ["relation_to_listed"]


def _listed_mask(addresses: np.ndarray, listed: np.ndarray) -> np.ndarray:
    """Which of the (sorted) ``addresses`` are in ``listed``: one binary search per listed address."""
    mask = np.zeros(len(addresses), dtype=bool)
    if len(addresses) and len(listed):
        pos = np.minimum(np.searchsorted(addresses, listed), len(addresses) - 1)
        mask[pos[addresses[pos] == listed]] = True
    return mask


def _direct_exposure(table: TransferTable, code: int, listed: np.ndarray, labels, chain) -> tuple[np.ndarray, list]:
    """Rows whose counterparty is listed, and per listed counterparty (in address order, up to the evidence
    limit): transfers, volume by asset and the sanctions entries."""
    mask = _listed_mask(table.addresses, listed)
    if code >= 0:
        mask[code] = False  # the address itself is not its own counterparty
    n_listed = int(mask.sum())
    slot = np.where(mask, np.cumsum(mask, dtype=np.int32) - 1, np.int32(n_listed))  # listed 0.., others n_listed
    transfers, volume, rows = counterparty_cells(
        table.src, table.dst, table.asset, table.value, code, slot, n_listed, max(len(table.assets), 1)
    )
    summary, codes = [], np.flatnonzero(mask)
    for i in np.flatnonzero(transfers.sum(axis=1))[:EVIDENCE_LIMIT]:
        address = str(table.addresses[codes[i]])
        summary.append(
            {
                "address": display_address(chain, address),
                "transfers": int(transfers[i].sum()),
                "volume": {table.assets[a].symbol: round(float(volume[i, a]), 6) for a in np.flatnonzero(transfers[i])},
                "listings": [lb.to_dict() for lb in labels.sanctioned(chain, address)],
            }
        )
    return rows, summary


def relation_to_listed(
    table: TransferTable,
    address: str,
    labels: LabelIndex,
    params: Parameters,
    *,
    second_hop: TransferTable | None = None,
    exposure: dict | None = None,
    sanctions_api: dict | None = None,
) -> TestResult:
    """Score the address's relation to listed entities (0-100).

    Parameters
    ----------
    table : TransferTable
        The address's own transfers.
    second_hop : TransferTable, optional
        Transfers between the address's counterparties and listed addresses, for
        indirect exposure.
    exposure : dict, optional
        The address's exposure document, for the ``exposure`` mode.
    sanctions_api : dict, optional
        The sanctions API's screening status (see :func:`tracing.screening.screen_with_api`).
    """
    chain = table.chain
    parameters = {"lists": labels.sources(chain, "sanctioned"), "mode": params.relation_mode}
    own = labels.sanctioned(chain, address)
    listed = labels.addresses(chain, "sanctioned")
    code = table.code_of(address)
    direct, counterparties = _direct_exposure(table, code, listed, labels, chain)
    n = len(table)
    indirect = []
    if second_hop is not None and len(second_hop):
        hop_listed = _listed_mask(second_hop.addresses, listed)
        src_listed, dst_listed = hop_listed[second_hop.src], hop_listed[second_hop.dst]
        middle = np.where(src_listed, second_hop.dst, second_hop.src)
        touching = np.flatnonzero(src_listed ^ dst_listed)
        for m in np.unique(middle[touching])[:EVIDENCE_LIMIT]:
            sel = touching[middle[touching] == m]
            far = np.where(src_listed[sel], second_hop.src[sel], second_hop.dst[sel])
            indirect.append(
                {
                    "via": display_address(chain, str(second_hop.addresses[m])),
                    "listed": [display_address(chain, str(second_hop.addresses[f])) for f in np.unique(far)],
                    "transfers": len(sel),
                }
            )
    evidence = {
        "listed": bool(own),
        "listings": [lb.to_dict() for lb in own],
        "direct_count": len(direct),
        "direct": counterparties,
        "indirect": indirect,
    }
    if sanctions_api is not None:
        evidence["sanctions_api"] = sanctions_api
        if sanctions_api["screened"]:
            parameters["lists"] = sorted({*parameters["lists"], sanctions_api["name"]})
    if own:
        score = 100.0
        explanation = f"The address is listed: {own[0].name} ({own[0].source})."
    elif params.relation_mode == "exposure":
        score, explanation = _exposure_score(table, address, labels, exposure, evidence)
    elif len(direct):
        score = 100.0 * len(direct) / n
        explanation = (
            f"{len(direct):,} of {n:,} transfers are with {len(evidence['direct']):,} listed counterpart"
            f"{'y' if len(evidence['direct']) == 1 else 'ies'}."
        )
    else:
        score = 0.0
        explanation = "Not listed and no transfer with a listed address" + (
            f"; {len(indirect)} counterparty(ies) dealt with listed addresses." if indirect else "."
        )
    if sanctions_api is not None and sanctions_api["status"] == "failed":
        explanation += f" {sanctions_api['name']} failed: {sanctions_api['message']}."
    return TestResult("relation", score, explanation, evidence, parameters, direct)


def _exposure_score(table: TransferTable, address: str, labels: LabelIndex, exposure: dict | None, evidence: dict):
    """The exposure mode's score and explanation; the share and where it was found go into ``evidence``."""
    doc = exposure or {"direct": direct_exposure(table, address, labels), "indirect": {}}
    kind = "indirect" if any(doc.get("indirect", {}).values()) else "direct"
    share, where = max_share(doc, ("sanctioned",), kind=kind)
    evidence["exposure"] = {"share": round(share, 6), "kind": kind, **(where or {})}
    if where is None or share <= 0:
        return 0.0, "No share of its inflow or outflow came from or reached a listed address."
    verb = "came from" if where["direction"] == "incoming" else "reached"
    hops = f"within {doc['hops']} hops" if kind == "indirect" else "directly"
    return 100.0 * share, f"{share:.1%} of its {where['direction']} {where['asset']} {verb} listed addresses {hops}."
