"""Label files: read and write TagPack YAML, CSV and JSON.

CSV and JSON carry the same fields, one label per row or object: ``chain``
(detected from the address when empty), ``address``, ``name``, ``category``
(one of :data:`CATEGORIES`), and optionally ``source``, ``detail``,
``confidence`` (0-100), ``actor``, ``reference``, ``programs``, ``listed_on``,
``list_version``, ``added_by``, ``added_at``. An export reads back as the same
labels (a TagPack keeps chain, address, name, category, actor and a confidence level).
"""

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from tracing.errors import ImportFormatError, InvalidAddress
from tracing.labels.model import CATEGORIES, Label, LabelsRead
from tracing.labels.tagpack import read_tagpack, tagpack_text
from tracing.model import normalize_address
from tracing.spreadsheet import safe_records

__all__ = [
    "EXPORT_FORMATS",
    "FIELDS",
    "LABEL_FORMATS",
    "LabelsRead",
    "export_format",
    "label_from_mapping",
    "labels_text",
    "read_labels",
]

FIELDS = (
    "chain",
    "address",
    "name",
    "category",
    "source",
    "detail",
    "confidence",
    "actor",
    "reference",
    "programs",
    "listed_on",
    "list_version",
    "added_by",
    "added_at",
)
LABEL_FORMATS = ("tagpack", "csv", "json")


def label_from_mapping(row: Mapping, *, source: str, added_by: str = "", added_at: int = 0) -> Label:
    """One label from a CSV row or JSON object; raises ``ValueError`` (or ``InvalidAddress``) saying what is wrong."""
    chain, address = normalize_address(str(row.get("address") or ""), row.get("chain") or None)
    name = str(row.get("name") or "").strip()
    if not name:
        raise ValueError("no name")
    category = str(row.get("category") or "").strip().lower()
    if category not in CATEGORIES:
        raise ValueError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    confidence = int(row.get("confidence") or 50)
    if not 0 <= confidence <= 100:
        raise ValueError(f"confidence {confidence} is not within 0-100")
    text = {k: str(row.get(k) or "") for k in ("detail", "actor", "reference", "programs", "listed_on", "list_version")}
    return Label(
        chain,
        address,
        name[:200],
        category,
        str(row.get("source") or source)[:200],
        confidence=confidence,
        added_by=str(row.get("added_by") or added_by),
        added_at=int(row.get("added_at") or added_at),
        **text,
    )


def _rows(path: Path, fmt: str) -> list[Mapping]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFormatError(f"cannot read {path}: {err}") from err
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = {"address", "name", "category"} - set(reader.fieldnames or ())
        if missing:
            raise ImportFormatError(f"{path}: the header lacks {', '.join(sorted(missing))}")
        return list(reader)
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise ImportFormatError(f"{path}: not JSON: {err}") from err
    doc = doc.get("labels") if isinstance(doc, dict) else doc
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise ImportFormatError(f"{path}: expected a list of label objects (or {{'labels': [...]}})")
    return doc


def read_labels(path: str | Path, fmt: str | None = None, *, added_by: str = "", added_at: int = 0) -> LabelsRead:
    """Read a label file (format from ``fmt`` or the extension: .yaml/.yml TagPack, .csv, .json).

    Rows that cannot be used are skipped and listed with their line (CSV), index
    (JSON) or tag number, and the reason; a file that is not of the format raises
    ``ImportFormatError``.
    """
    path = Path(path)
    fmt = fmt or {".yaml": "tagpack", ".yml": "tagpack", ".csv": "csv", ".json": "json"}.get(path.suffix.lower())
    if fmt not in LABEL_FORMATS:
        raise ImportFormatError(f"{path}: say the format: --format {'|'.join(LABEL_FORMATS)}")
    if fmt == "tagpack":
        return read_tagpack(path, added_by=added_by, added_at=added_at)
    read, where = LabelsRead(), "line" if fmt == "csv" else "item"
    for number, row in enumerate(_rows(path, fmt), start=2 if fmt == "csv" else 1):
        try:
            read.labels.append(
                label_from_mapping(row, source=f"import:{path.name}", added_by=added_by, added_at=added_at)
            )
        except (InvalidAddress, ValueError, TypeError) as err:
            read.skipped.append(f"{where} {number}: {err}")
    return read


EXPORT_FORMATS = {"csv": ".csv", "json": ".json", "tagpack": ".yaml"}
"""Export formats and their file extensions."""


def export_format(suffix: str) -> str:
    """The export format a file extension names ('.csv', '.json', '.yaml' or '.yml'); ImportFormatError otherwise."""
    fmt = {".yml": "tagpack", **{ext: f for f, ext in EXPORT_FORMATS.items()}}.get(suffix.lower())
    if fmt is None:
        raise ImportFormatError(
            f"cannot export labels as {suffix or 'a file without extension'!r}; use .csv, .json or .yaml"
        )
    return fmt


def labels_text(labels: Iterable[Label], fmt: str) -> str:
    """Labels as CSV or JSON text (the fields of :data:`FIELDS`), or as a TagPack (``fmt`` 'tagpack')."""
    if fmt == "tagpack":
        return tagpack_text(labels)
    records = [{k: r[k] for k in FIELDS} for r in (lb.record() for lb in labels)]  # one record() per label
    if fmt == "json":
        return json.dumps({"labels": records}, indent=1, ensure_ascii=False) + "\n"
    if fmt != "csv":
        raise ImportFormatError(f"cannot export labels as {fmt!r}; use csv, json or tagpack")
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_records(records))  # a label name like "=HYPERLINK(...)" must not run
    return out.getvalue()
