"""The OFAC SDN snapshot shipped with the product, so a fresh install screens out of the box.

``data/ofac_sdn.csv`` is :func:`~tracing.labels.ofac.parse_sdn_advanced`'s output for
the issue named in ``data/ofac_sdn.json`` (its publication date is the list
version). ``tracing sanctions update`` stores a newer issue in the store; the
newer of the two is what screening uses.
"""

import json
from functools import cache
from pathlib import Path

from tracing.labels.model import Label, LabelsRead
from tracing.labels.ofac import SdnList, read_sdn_csv, write_sdn_csv
from tracing.labels.sanctions import OFAC_LIST, sdn_labels

__all__ = ["SNAPSHOT_CSV", "SNAPSHOT_META", "snapshot_labels", "snapshot_version", "write_snapshot"]

_DATA = Path(__file__).parent / "data"
SNAPSHOT_CSV = _DATA / "ofac_sdn.csv"
SNAPSHOT_META = _DATA / "ofac_sdn.json"


def snapshot_version() -> str:
    """The publication date (ISO) of the shipped issue."""
    return json.loads(SNAPSHOT_META.read_text())["published"]


@cache
def _read() -> LabelsRead:
    rows = [a.to_row() for a in read_sdn_csv(SNAPSHOT_CSV.read_text(encoding="utf-8"))]
    return sdn_labels(rows, source=OFAC_LIST, version=snapshot_version())


def snapshot_labels() -> tuple[Label, ...]:
    """The shipped issue's entries as labels (parsed once per process)."""
    return tuple(_read().labels)


def write_snapshot(sdn: SdnList, origin: str) -> None:
    """Replace the shipped snapshot with ``sdn`` (a maintainer's step when a new issue is published)."""
    SNAPSHOT_CSV.write_text(write_sdn_csv(sdn.addresses), encoding="utf-8")
    meta = {"list": OFAC_LIST, "published": sdn.published, "rows": len(sdn.addresses), "origin": origin}
    SNAPSHOT_META.write_text(json.dumps(meta, indent=2) + "\n")
    _read.cache_clear()
