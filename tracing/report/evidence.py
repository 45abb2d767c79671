"""The evidence of a report: one JSON-ready document, and the charts drawn from the same data.

The document holds what the report states (case, scores with every test's evidence, risk
rating, traces with exits, transfers, labels with their sources, notes, parameters,
provenance) and the transfers the scores rest on. Its SHA-256 over a canonical JSON form
is printed in the report and recomputed by ``tracing report verify``.
"""

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import plotly.graph_objects as go
import sqlalchemy as sa

from tracing import figures
from tracing.audit import AuditLog
from tracing.cases import Cases
from tracing.errors import TracingError
from tracing.flow import TraceParameters
from tracing.investigate import gather, trace_stored
from tracing.investigate.profiles import scored_profile
from tracing.labels import OFAC_LIST
from tracing.labels.snapshot import snapshot_labels, snapshot_version
from tracing.model import Chain, normalize_address
from tracing.model.transfer import format_units
from tracing.params import Parameters
from tracing.store import Store
from tracing.store.schema import fetches, labels
from tracing.summaries import counterparties, flag_masks, report_zscores

__all__ = [
    "FORMAT_VERSION",
    "MAX_CHART_POINTS",
    "MAX_TRANSFER_ROWS",
    "Evidence",
    "address_evidence",
    "canonical_hash",
    "case_evidence",
]

FORMAT_VERSION = 1
MAX_TRANSFER_ROWS = 5_000
"""Transfers listed per address in the evidence; all of them are hashed whatever their number."""
MAX_CHART_POINTS = 2_000
"""Above this many transfers a report's timeline is the time x amount grid of counts (a PDF stays light)."""


def canonical_hash(doc: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of ``doc``: sorted keys, no spaces, UTF-8."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Evidence:
    """The document, its hash and, per address, the figures the report draws (per asset: timeline, histogram)."""

    doc: dict[str, Any]
    charts: dict[str, list[go.Figure]] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """The evidence hash printed in the report."""
        return canonical_hash(self.doc)


def _transfer_rows(report) -> tuple[list[dict], str]:
    """The analysed transfers as rows with exact amounts, and the SHA-256 of all of them."""
    t = report.table
    sender, receiver = t.sender, t.receiver
    rows = [
        {
            "tx_hash": str(t.tx_hash[i]),
            "index": int(t.index[i]),
            "timestamp": int(t.timestamp[i]),
            "from": str(sender[i]),
            "to": str(receiver[i]),
            "asset": t.assets[t.asset[i]].symbol,
            "amount": format_units(int(t.amount[i]), t.assets[t.asset[i]].decimals),
        }
        for i in range(len(t))
    ]
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return rows, digest


def _labels(labels, chain: Chain, address: str) -> list[dict]:
    """The address's labels with their provenance (list, version, reference, confidence)."""
    keys = ("name", "category", "source", "detail", "confidence", "reference", "programs", "listed_on", "list_version")
    return [{k: getattr(lb, k, "") for k in keys} for lb in labels.of(chain, address)]


def _charts(report, params: Parameters) -> list[go.Figure]:
    """The timeline and the z-score histogram of each asset the address moved, as the address page draws them."""
    masks = flag_masks(report)
    z = report_zscores(report)
    out = []
    for symbol in sorted({a.symbol for a in report.table.assets}):
        rows = figures.asset_rows(report.table, symbol)
        if not len(rows):
            continue
        out.append(figures.timeline(report.table, report.address, masks, asset=symbol, max_points=MAX_CHART_POINTS))
        out.append(
            figures.zscore_histogram(
                z[rows],
                masks["value"][rows],
                params.minimum_threshold,
                params.maximum_threshold,
                method=params.value_method,
                symbol=symbol,
            )
        )
    return out


def _address_section(store: Store, chain: str | None, address: str, params: Parameters, charts: dict) -> dict:
    """Score one address and gather everything the report says about it."""
    hood = gather(store, address, chain, params)
    report = hood.score(params)
    doc = report.to_dict()
    rows, digest = _transfer_rows(report)
    charts[doc["address"]] = _charts(report, params)
    return {
        "chain": hood.chain.value,
        "address": doc["address"],
        "score": doc,
        "risk": doc.get("risk"),
        "labels": _labels(hood.labels, hood.chain, hood.address),
        "counterparties": counterparties(report, hood.labels),
        "profile": scored_profile(store, report),
        "sources": store.sources_of(hood.chain, hood.address),
        "transfers": {"count": len(rows), "sha256": digest, "rows": rows[:MAX_TRANSFER_ROWS]},
    }


def _trace_section(store: Store, chain: str, address: str, params: dict) -> dict:
    result = trace_stored(store, address, TraceParameters.from_mapping(params), chain=chain)
    doc = result.to_dict()
    sanctioned = [a for a in doc["addresses"] if a["sanctioned"] and a["received"] > 0]  # a listed exchange too
    return {**doc, "sanctioned": sanctioned, "total_to_exits": round(sum(e["amount"] for e in doc["exits"]), 6)}


def _transfer_section(store: Store, chain: str, address: str, ref: str) -> dict:
    tx, _, index = ref.partition(":")
    table = store.transfers_of(chain, address)
    rows = np.flatnonzero((table.tx_hash == tx) & (table.index == int(index or 0)))
    if not len(rows):
        return {"chain": chain, "address": address, "ref": ref, "error": "this transfer is not in the store"}
    i = int(rows[0])
    asset = table.assets[table.asset[i]]
    index = store.label_index(chain)
    ends = {end: str(who[i]) for end, who in (("from", table.sender), ("to", table.receiver))}
    return {
        **{f"{end}_labels": _labels(index, table.chain, who) for end, who in ends.items()},
        "chain": chain,
        "address": address,
        "ref": ref,
        "tx_hash": tx,
        "index": int(table.index[i]),
        "timestamp": int(table.timestamp[i]),
        "from": str(table.sender[i]),
        "to": str(table.receiver[i]),
        "asset": asset.symbol,
        "amount": format_units(int(table.amount[i]), asset.decimals),
    }


def _provenance(store: Store, items: set[tuple[str, str]]) -> dict:
    """Where the data came from: the label lists (with version and newest addition) and the API fetches."""
    chains = sorted({chain for chain, _ in items})
    lists = (
        sa.select(
            labels.c.source, labels.c.category, labels.c.list_version, sa.func.count(), sa.func.max(labels.c.added_at)
        )
        .where(labels.c.chain.in_(chains))
        .group_by(labels.c.source, labels.c.category, labels.c.list_version)
        .order_by(labels.c.source, labels.c.category, labels.c.list_version)
    )
    pulls = (
        sa.select(fetches.c.chain, fetches.c.address, fetches.c.source, fetches.c.fetched_at, fetches.c.complete)
        .where(sa.tuple_(fetches.c.chain, fetches.c.address).in_(sorted(items)))
        .order_by(fetches.c.chain, fetches.c.address, fetches.c.source)
    )
    with store.engine.connect() as conn:
        label_rows = conn.execute(lists).all()
        fetch_rows = conn.execute(pulls).all() if items else []
    sources = [
        {"source": s, "category": c, "list_version": v, "labels": int(n), "added_at": int(a or 0)}
        for s, c, v, n, a in label_rows
    ]
    return {
        "label_sources": _with_snapshot(sources, chains),
        "fetches": [
            {"chain": c, "address": a, "source": s, "fetched_at": int(t), "complete": bool(done)}
            for c, a, s, t, done in fetch_rows
        ],
    }


def _with_snapshot(sources: list[dict], chains: list[str]) -> list[dict]:
    """The stored lists, with the shipped OFAC snapshot in place of a stored OFAC issue while it is the newer
    (what screening used: see :meth:`Store.label_index`)."""
    stored = max((s["list_version"] for s in sources if s["source"] == OFAC_LIST), default="")
    if snapshot_version() <= stored:
        return sources
    shipped = sum(1 for lb in snapshot_labels() if str(lb.chain) in chains)
    row = {"source": OFAC_LIST, "category": "sanctioned", "list_version": snapshot_version(), "labels": shipped}
    return [s for s in sources if s["source"] != OFAC_LIST] + [{**row, "added_at": 0}]


def _meta(investigator: str, now: float | None, kind: str) -> dict:
    at = int(now if now is not None else time.time())
    return {
        "format": FORMAT_VERSION,
        "kind": kind,
        "report_id": uuid.uuid4().hex[:16],
        "generated_at": at,
        "investigator": investigator,
    }


def _safe(section, *args) -> dict:
    """A section, or the reason it could not be built (the report still states what it could)."""
    try:
        return section(*args)
    except TracingError as err:
        return {"error": str(err)}


def case_evidence(store: Store, case_id: int, *, investigator: str, now: float | None = None) -> Evidence:
    """Everything a case report states, for the case ``case_id``."""
    cases = Cases(store)
    case = cases.get(case_id)
    charts: dict = {}
    addresses, traces, transfers = [], [], []
    for item in cases.items(case.id):
        head = {"item": item.id, "added_by": item.added_by, "added_at": item.added_at, "params": item.params}
        if item.kind == "address":
            params = Parameters.from_mapping(item.params)
            section = _safe(_address_section, store, item.chain, item.address, params, charts)
            addresses.append({**head, "chain": item.chain, "address": item.address, **section})
        elif item.kind == "trace":
            section = _safe(_trace_section, store, item.chain, item.address, item.params)
            traces.append({**head, "chain": item.chain, "address": item.address, **section})
        else:
            transfers.append({**head, **_safe(_transfer_section, store, item.chain, item.address, item.ref)})
    doc = {
        "report": _meta(investigator, now, "case"),
        "case": case.to_dict(),
        "addresses": addresses,
        "traces": traces,
        "transfers": transfers,
        "notes": [n.to_dict() for n in cases.notes(case.id)],
        "audit": [e.to_dict() for e in reversed(AuditLog(store).entries(object_type="case", object_id=case.id))],
        "provenance": _provenance(store, {(i.chain, i.address) for i in cases.items(case.id)}),
    }
    return Evidence(doc, charts)


def address_evidence(
    store: Store,
    address: str,
    chain: str | None = None,
    params: Parameters | None = None,
    *,
    investigator: str,
    trace: TraceParameters | None = None,
    now: float | None = None,
) -> Evidence:
    """The report of one address (from its page or the CLI): its score and a forward trace from it."""
    params = params or Parameters()
    found, address = normalize_address(address, chain)
    charts: dict = {}
    section = _address_section(store, found.value, address, params, charts)  # no data: AddressNotFound
    head = {"item": None, "added_by": investigator, "added_at": None, "params": params.to_dict()}
    trace_params = (trace or TraceParameters()).to_dict()
    traced = _safe(_trace_section, store, found.value, address, trace_params)
    doc = {
        "report": _meta(investigator, now, "address"),
        "case": None,
        "addresses": [{**head, **section}],
        "traces": [{**head, "params": trace_params, "chain": found.value, "address": address, **traced}],
        "transfers": [],
        "notes": [],
        "audit": [],
        "provenance": _provenance(store, {(found.value, address)}),
    }
    return Evidence(doc, charts)
