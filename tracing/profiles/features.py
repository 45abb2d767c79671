"""Behavioural features of addresses, computed from a transfer table in one vectorised pass.

Every feature is defined once, in :data:`FEATURES` (name and meaning); the README's
"Behavioural profiles" section lists them. Each transfer counts once for its
sender (an *out* side) and once for its receiver (an *in* side); the sides are
grouped by address with one stable sort, so the cost is a few sorts of twice
the table, never a loop per transfer or per address.

Amounts of different assets are never compared directly: a transfer's size is
``log10(value / reference median of its asset)``, the reference medians coming
from the training table (:class:`Reference`), so one address's features do not
depend on which other addresses are in the table it is computed from.
"""

from dataclasses import dataclass

import numpy as np

from tracing.labels import LabelIndex
from tracing.model import TransferTable
from tracing.params import Parameters
from tracing.scoring.hiding import pass_through_links

__all__ = ["FEATURES", "FEATURE_NAMES", "RISKY_CATEGORIES", "FeatureMatrix", "Reference", "address_features"]

DAY = 86_400
QUICK_GAP = 3_600  # seconds: a gap shorter than this is "quick"
RISKY_CATEGORIES = ("sanctioned", "mixer", "scam", "hack")

FEATURES: dict[str, str] = {
    "transfers_in": "transfers received",
    "transfers_out": "transfers sent",
    "counterparties_in": "distinct addresses that paid it",
    "counterparties_out": "distinct addresses it paid",
    "assets": "distinct assets it moved",
    "active_days": "distinct UTC days with a transfer",
    "span_days": "days from its first to its last transfer",
    "idle_days": "days from its last transfer to the reference end (the newest transfer of the training data)",
    "gap_log_median": "log10 of the median seconds between its consecutive transfers "
    "(one transfer: log10 of the reference span)",
    "quick_gap_share": "share of its consecutive transfers less than an hour apart",
    "value_log_mean": "mean of log10(value / the asset's reference median) over its transfers",
    "value_log_spread": "standard deviation of the same",
    "round_share": "share of its transfers of a whole number of tokens with at most two significant digits",
    "fan_balance": "(payers - payees) / (payers + payees): +1 only collects, -1 only distributes",
    "pass_through_share": "share of its transfers that forward or are forwarded (the hiding test's links: "
    "same amount, within the time window, to someone else)",
    "kept_share": "share of the value received (in reference units) that it has not sent on",
    "hour_entropy": "entropy of its hour-of-day histogram / log(24): 0 one hour, 1 round the clock",
    "exchange_share": "share of its transfers with addresses labelled exchange",
    "risky_share": "share of its transfers with addresses labelled " + ", ".join(RISKY_CATEGORIES),
}
FEATURE_NAMES = tuple(FEATURES)


@dataclass(frozen=True)
class Reference:
    """What features are measured against: each asset's median value and the data's time range."""

    medians: dict[tuple[str, str], float]
    start: int
    end: int

    @classmethod
    def of(cls, table: TransferTable) -> "Reference":
        """The reference of a (training) table: medians of its positive values per asset."""
        medians = {}
        for code, asset in enumerate(table.assets):
            values = table.value[(table.asset == code) & (table.value > 0)]
            medians[(asset.symbol, asset.contract)] = float(np.median(values)) if len(values) else 1.0
        stamps = table.timestamp
        return cls(medians, int(stamps.min()) if len(stamps) else 0, int(stamps.max()) if len(stamps) else 0)

    def median_of(self, table: TransferTable) -> np.ndarray:
        """Reference median of each of ``table``'s assets (1.0 for an asset it has not seen)."""
        return np.array([self.medians.get((a.symbol, a.contract), 1.0) for a in table.assets] or [1.0])

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"medians": [[*k, v] for k, v in self.medians.items()], "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict) -> "Reference":
        """Inverse of :meth:`to_dict`."""
        return cls({(s, c): float(v) for s, c, v in data["medians"]}, int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class FeatureMatrix:
    """One row of :data:`FEATURE_NAMES` per address."""

    addresses: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.addresses)

    def row(self, address: str) -> np.ndarray | None:
        """The features of ``address`` (None when it is not in the matrix)."""
        at = np.flatnonzero(self.addresses == address)
        return self.values[at[0]] if len(at) else None


def _group_medians(group: np.ndarray, values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Lower median of non-negative integer ``values`` (< 2^40) per ``group``, at the groups' ``starts``/``counts``.

    One sort of packed ``(group, value)`` keys: cheaper than a lexsort of two columns.
    """
    packed = np.sort((group.astype(np.int64) << 40) | values)
    return packed[starts + (counts - 1) // 2] & ((1 << 40) - 1)


def _distinct_per(owner: np.ndarray, other: np.ndarray, size: int, width: int) -> np.ndarray:
    """How many distinct ``other`` values each owner has (owner < size, other < width).

    One sort of packed ``(owner, other)`` keys (integer sorts are SIMD-fast), then the changes are counted.
    """
    pairs = np.sort(owner.astype(np.int64) * width + other)
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] // width, minlength=size)


def _runs_per(owner: np.ndarray, key: np.ndarray, size: int) -> np.ndarray:
    """Distinct ``key`` values per owner when each owner's keys are already non-decreasing (sides in time order)."""
    first = np.ones(len(owner), dtype=bool)
    first[1:] = (owner[1:] != owner[:-1]) | (key[1:] != key[:-1])
    return np.bincount(owner[first], minlength=size)


def _round_amounts(value: np.ndarray) -> np.ndarray:
    """Whether each value is a whole number of tokens with at most two significant digits."""
    with np.errstate(divide="ignore", invalid="ignore"):
        step = 10.0 ** np.maximum(np.floor(np.log10(np.maximum(value, 1.0))) - 1, 0)
        whole = np.abs(value - np.rint(value)) < 1e-9 * np.maximum(value, 1.0)
        mantissa = value / step
        return (value >= 1) & whole & (np.abs(mantissa - np.rint(mantissa)) < 1e-6)


def _shares(owner, flags, counts, size) -> np.ndarray:
    return np.bincount(owner, weights=flags, minlength=size) / np.maximum(counts, 1)


def address_features(
    table: TransferTable,
    *,
    reference: Reference | None = None,
    labels: LabelIndex | None = None,
    addresses: np.ndarray | None = None,
    params: Parameters | None = None,
) -> FeatureMatrix:
    """The features of every address in ``table`` (or only of ``addresses``), see :data:`FEATURES`.

    Parameters
    ----------
    table : TransferTable
        Every transfer of the addresses to describe (and, for the pass-through share, the
        transfers that may forward theirs), in any order.
    reference : Reference, optional
        Asset medians and time range to measure against; by default the table's own.
    labels : LabelIndex, optional
        Labels for the exchange and risky shares (zero without labels).
    addresses : array of str, optional
        Describe only these (those the table does not hold are left out).
    params : Parameters, optional
        ``hiding_tolerance`` and ``time_difference`` of the pass-through links.
    """
    table = table.sorted()
    reference = reference or Reference.of(table)
    params = params or Parameters()
    size = len(table.addresses)
    wanted = np.ones(size, dtype=bool) if addresses is None else np.isin(table.addresses, addresses)
    links = pass_through_links(table, tolerance=params.hiding_tolerance, window=params.time_difference)
    # Side 2r is row r's out side (its sender), 2r + 1 its in side (its receiver): sides run in time order.
    owner = np.column_stack([table.src, table.dst]).ravel()
    row = np.repeat(np.arange(len(table)), 2)
    incoming = np.tile(np.array([False, True]), len(table))
    other = np.column_stack([table.dst, table.src]).ravel()
    if addresses is not None:
        keep = wanted[owner]
        owner, row, incoming, other = owner[keep], row[keep], incoming[keep], other[keep]
    # Sides grouped by owner; the table is in time order, so a stable sort keeps each group in time order.
    order = np.argsort(owner, kind="stable")
    owner, row, incoming, other = owner[order], row[order], incoming[order], other[order]
    stamp = table.timestamp[row]
    counts = np.bincount(owner, minlength=size)
    n_in = np.bincount(owner, weights=incoming, minlength=size)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    present = np.flatnonzero(counts)
    first = np.full(size, reference.end, dtype=np.int64)
    last = np.full(size, reference.end, dtype=np.int64)
    first[present] = stamp[starts[present]]
    last[present] = stamp[starts[present] + counts[present] - 1]
    cp_in = _distinct_per(owner[incoming], other[incoming], size, size)
    cp_out = _distinct_per(owner[~incoming], other[~incoming], size, size)
    day = (stamp - min(reference.start, int(stamp.min()) if len(stamp) else 0)) // DAY
    active_days = _runs_per(owner, day, size)
    n_assets = max(len(table.assets), 1)
    assets = np.bincount(owner.astype(np.int64) * n_assets + table.asset[row], minlength=size * n_assets) > 0
    assets = assets.reshape(size, n_assets).sum(axis=1)
    # Gaps between consecutive transfers of the same owner.
    same = owner[1:] == owner[:-1]
    gap_owner, gap = owner[1:][same], np.diff(stamp)[same]
    gap_counts = np.bincount(gap_owner, minlength=size)
    gap_median = np.full(size, max(reference.end - reference.start, 1), dtype=np.float64)
    with_gaps = np.flatnonzero(gap_counts)
    gap_starts = np.concatenate([[0], np.cumsum(gap_counts)[:-1]])
    gap_median[with_gaps] = _group_medians(gap_owner, gap, gap_starts[with_gaps], gap_counts[with_gaps])
    quick = _shares(gap_owner, gap < QUICK_GAP, gap_counts, size)
    # Sizes relative to each asset's reference median, on a log scale.
    ref_median = reference.median_of(table)[table.asset[row]]
    relative = table.value[row] / ref_median
    size_log = np.log10(np.maximum(relative, 1e-12))
    mean_log = _shares(owner, size_log, counts, size)
    spread = np.sqrt(np.maximum(_shares(owner, size_log**2, counts, size) - mean_log**2, 0))
    received = np.bincount(owner, weights=relative * incoming, minlength=size)
    sent = np.bincount(owner, weights=relative * ~incoming, minlength=size)
    kept = np.where(received > 0, np.clip(1 - sent / np.maximum(received, 1e-300), 0, 1), 0.0)
    forwarding = np.where(incoming, links.succ[row] >= 0, links.pred[row] >= 0)
    # Hour-of-day entropy from the occupied (owner, hour) cells only: H = log n - sum(c log c) / n.
    cells = np.bincount(owner.astype(np.int64) * 24 + (stamp % DAY) // 3600, minlength=size * 24)
    occupied = np.flatnonzero(cells)
    c = cells[occupied]
    concentration = np.bincount(occupied // 24, weights=c * np.log(c), minlength=size)
    entropy = np.maximum(np.log(np.maximum(counts, 1)) - concentration / np.maximum(counts, 1), 0) / np.log(24)
    exchange, risky = (_labelled(table, labels, categories) for categories in (("exchange",), RISKY_CATEGORIES))
    parties = np.maximum(cp_in + cp_out, 1)
    columns = {
        "transfers_in": n_in,
        "transfers_out": counts - n_in,
        "counterparties_in": cp_in,
        "counterparties_out": cp_out,
        "assets": assets,
        "active_days": active_days,
        "span_days": (last - first) / DAY,
        "idle_days": np.maximum(reference.end - last, 0) / DAY,
        "gap_log_median": np.log10(np.maximum(gap_median, 1)),
        "quick_gap_share": quick,
        "value_log_mean": mean_log,
        "value_log_spread": spread,
        "round_share": _shares(owner, _round_amounts(table.value[row]), counts, size),
        "fan_balance": (cp_in - cp_out) / parties,
        "pass_through_share": _shares(owner, forwarding, counts, size),
        "kept_share": kept,
        "hour_entropy": entropy,
        "exchange_share": _shares(owner, exchange[other], counts, size),
        "risky_share": _shares(owner, risky[other], counts, size),
    }
    matrix = np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURE_NAMES])
    described = np.flatnonzero(wanted & (counts > 0))
    return FeatureMatrix(table.addresses[described], matrix[described])


def _labelled(table: TransferTable, labels: LabelIndex | None, categories: tuple[str, ...]) -> np.ndarray:
    """Whether each address of ``table`` carries a label of one of ``categories``."""
    if labels is None or not len(table.addresses):
        return np.zeros(len(table.addresses), dtype=bool)
    listed = np.concatenate([labels.addresses(table.chain, c) for c in categories])
    return np.isin(table.addresses, listed)
