"""Tabular views of a score report: counterparties, per-transfer flags, filtered transfer pages.

Pure functions of a :class:`~tracing.scoring.ScoreReport` (and labels), for the
dashboard's tables and the case reports.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from tracing.labels import LabelIndex
from tracing.model import display_address
from tracing.model.transfer import format_units
from tracing.scoring import ScoreReport, zscores

__all__ = [
    "TransferQuery",
    "counterparties",
    "flag_masks",
    "report_zscores",
    "select_transfers",
    "transfer_records",
]

SORTABLE = ("timestamp", "value", "z")


def flag_masks(report: ScoreReport) -> dict[str, np.ndarray]:
    """For each test, which rows of ``report.table`` it flagged (boolean arrays)."""
    masks = {}
    for name, test in report.tests.items():
        mask = np.zeros(len(report.table), dtype=bool)
        mask[test.rows] = True
        masks[name] = mask
    return masks


def report_zscores(report: ScoreReport) -> np.ndarray:
    """The z-score of each of the report's transfers, by the method its parameters name."""
    return zscores(report.table, report.params.value_method)


def counterparties(report: ScoreReport, labels: LabelIndex, limit: int = 10) -> list[dict]:
    """The address's top ``limit`` counterparties of each asset by volume, with their labels.

    Amounts of different tokens are never ranked together: rows come grouped by
    asset (the asset with the most transfers first), largest volume first within each.
    """
    table = report.table
    if not len(table):
        return []
    code = table.code_of(report.address)
    outgoing = table.src == code
    other = np.where(outgoing, table.dst, table.src).astype(np.int64)
    n_assets = max(len(table.assets), 1)
    key = other * n_assets + table.asset
    keys, inverse = np.unique(key, return_inverse=True)
    sent = np.bincount(inverse, weights=np.where(outgoing, table.value, 0.0))
    received = np.bincount(inverse, weights=np.where(outgoing, 0.0, table.value))
    count = np.bincount(inverse)
    asset_of = keys % n_assets
    by_frequency = np.argsort(-np.bincount(table.asset, minlength=n_assets), kind="stable")
    rank = np.empty(n_assets, dtype=np.int64)
    rank[by_frequency] = np.arange(n_assets)
    order = np.lexsort((-(sent + received), rank[asset_of]))
    first_of_asset = np.searchsorted(rank[asset_of][order], rank[asset_of][order], side="left")
    rows = []
    for k in order[np.arange(len(order)) - first_of_asset < limit]:
        party, asset = divmod(int(keys[k]), n_assets)
        address = str(table.addresses[party])
        rows.append(
            {
                "address": display_address(table.chain, address),
                "label": ", ".join(sorted({f"{lb.name} ({lb.category})" for lb in labels.of(table.chain, address)})),
                "sanctioned": bool(labels.sanctioned(table.chain, address)),
                "asset": table.assets[asset].symbol,
                "received_from": round(float(received[k]), 6),
                "sent_to": round(float(sent[k]), 6),
                "transfers": int(count[k]),
            }
        )
    return rows


@dataclass(frozen=True)
class TransferQuery:
    """Which transfers to list: a time range, an amount range, one test's flags, an order."""

    since: int | None = None
    until: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    flagged_by: str | None = None
    sort: str = "timestamp"
    descending: bool = False


def select_transfers(report: ScoreReport, query: TransferQuery, z: np.ndarray | None = None) -> np.ndarray:
    """Rows of ``report.table`` that match ``query``, in its order."""
    table = report.table
    keep = np.ones(len(table), dtype=bool)
    for column, bound, keep_if in (
        (table.timestamp, query.since, np.greater_equal),
        (table.timestamp, query.until, np.less_equal),
        (table.value, query.min_value, np.greater_equal),
        (table.value, query.max_value, np.less_equal),
    ):
        if bound is not None:
            keep &= keep_if(column, bound)
    if query.flagged_by:
        keep &= flag_masks(report)[query.flagged_by]
    rows = np.flatnonzero(keep)
    if query.sort not in SORTABLE:
        raise ValueError(f"cannot sort by {query.sort!r}; expected one of {', '.join(SORTABLE)}")
    column = {"timestamp": table.timestamp, "value": table.value}.get(query.sort)
    if column is None:
        column = z if z is not None else report_zscores(report)
    order = np.argsort(column[rows], kind="stable")
    return rows[order[::-1] if query.descending else order]


def transfer_records(report: ScoreReport, rows: np.ndarray, labels: LabelIndex, z: np.ndarray | None = None):
    """The transfers at ``rows`` as JSON-ready dicts for a table."""
    table = report.table
    z = z if z is not None else report_zscores(report)
    masks = flag_masks(report)
    code = table.code_of(report.address)
    records = []
    for r in np.asarray(rows, dtype=np.int64):
        outgoing = table.src[r] == code
        other = str(table.addresses[table.dst[r] if outgoing else table.src[r]])
        asset = table.assets[table.asset[r]]
        records.append(
            {
                "timestamp": datetime.fromtimestamp(int(table.timestamp[r]), UTC).strftime("%Y-%m-%d %H:%M:%S"),
                "direction": "out" if outgoing else "in",
                "counterparty": display_address(table.chain, other),
                "label": ", ".join(sorted({lb.name for lb in labels.of(table.chain, other)})),
                "sanctioned": bool(labels.sanctioned(table.chain, other)),
                "asset": asset.symbol,
                "amount": format_units(int(table.amount[r]), asset.decimals),
                "value": float(table.value[r]),
                "z": round(float(z[r]), 2),
                "flags": ", ".join(name for name, mask in masks.items() if mask[r]),
                "tx_hash": str(table.tx_hash[r]),
            }
        )
    return records
