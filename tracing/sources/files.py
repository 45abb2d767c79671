"""Importing CSV exports: read a batch of rows at a time, exactly and with line-numbered errors.

The formats are described in :mod:`tracing.sources.formats`. :func:`open_transfers` checks the
header and returns a :class:`TransferReader`, whose batches an import stores one by one inside one
transaction (bounded memory whatever the file's size; an error anywhere stores nothing).
:func:`read_transfers` and :func:`parse_transfers` read a whole file into tables.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np

from tracing.errors import ImportFormatError
from tracing.model import Chain, TransferTable, checks
from tracing.sources.file_options import import_options
from tracing.sources.formats import FORMATS, Addresses, detect_format

__all__ = [
    "BATCH_ROWS",
    "FORMATS",
    "ImportResult",
    "Part",
    "TransferReader",
    "detect_format",
    "open_transfers",
    "parse_transfers",
    "read_transfers",
]

BATCH_ROWS = 5000  # rows parsed, checked and stored at a time: memory stays bounded whatever the file's size
MAX_REASONS = 1000  # skipped rows listed with their reason (the rest are counted)


@dataclass
class ImportResult:
    """What a file held: one table per chain, and the rows skipped with why."""

    tables: dict[Chain, TransferTable]
    rows: int
    skipped: list[str] = field(default_factory=list)
    format: str = ""

    def __len__(self) -> int:
        return sum(len(t) for t in self.tables.values())


@dataclass(frozen=True)
class Part:
    """Rows of one chain from one batch, and the file line each came from."""

    table: TransferTable
    lines: np.ndarray


class _Columns:
    """Rows gathered column by column, per chain (one batch; the same transfer twice is kept once)."""

    _NAMES = ("tx_hash", "index", "block", "timestamp", "sender", "receiver", "asset", "amount", "line")

    def __init__(self):
        self.by_chain: dict[Chain, dict[str, list]] = {}
        self.seen: dict[tuple[Chain, str, int], tuple] = {}

    def __len__(self) -> int:
        return len(self.seen)

    def add(self, line, chain: Chain, tx_hash, index, block, timestamp, sender, receiver, asset, amount) -> None:
        key = (chain, tx_hash, index)
        row = (block, timestamp, sender, receiver, asset, amount)
        if key in self.seen:
            if self.seen[key] != row:  # one identity, two different transfers: which one is true?
                raise ImportFormatError(
                    f"line {line}: " + checks.clash_message(tx_hash, index, f"amount {self.seen[key][5]}", amount)
                )
            return  # the same transfer twice in one file is one transfer
        self.seen[key] = row
        cols = self.by_chain.setdefault(chain, {k: [] for k in self._NAMES})
        for name, value in zip(self._NAMES, (tx_hash, index, *row, line)):
            cols[name].append(value)

    def take(self) -> dict[Chain, Part]:
        """The rows gathered so far, one part per chain; starts a new batch."""
        parts = {}
        for chain, cols in self.by_chain.items():
            lines = np.asarray(cols.pop("line"), dtype=np.int64)
            parts[chain] = Part(TransferTable.from_columns(chain, **cols), lines)
        self.by_chain, self.seen = {}, {}
        return parts


class TransferReader:
    """A CSV export read a batch of rows at a time (see :func:`open_transfers`).

    After :meth:`batches` has run: ``rows`` read, ``skipped`` (the first :data:`MAX_REASONS`
    reasons) and ``skipped_count``.
    """

    batch_rows = BATCH_ROWS

    def __init__(self, opener: Callable[[], TextIO], fmt: str, name: str, options: dict):
        self._open, self.format, self.name, self.options = opener, fmt, name, options
        self.rows, self.skipped, self.skipped_count = 0, [], 0

    def _rows(self, required: tuple[str, ...], name: str) -> Iterator[tuple[int, dict]]:
        """(line number, row) pairs of one pass over the file, whose header must hold ``required``."""
        with self._open() as stream:
            reader = csv.DictReader(stream)
            try:
                header = [h.strip() for h in (reader.fieldnames or [])]
                missing = [c for c in required if c not in header]
                if missing:
                    raise ImportFormatError(
                        f"line 1: not a {name} file: missing column(s) {', '.join(missing)} "
                        f"(header has: {', '.join(header) or 'nothing'})"
                    )
                reader.fieldnames = header
                for row in reader:
                    yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
            except UnicodeDecodeError:
                raise ImportFormatError(f"{self.name}: not a UTF-8 text file (line {reader.line_num + 1})") from None
            except csv.Error as err:
                raise ImportFormatError(f"line {reader.line_num}: {err}") from None

    def _skip(self, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_REASONS:
            self.skipped.append(reason)

    def batches(self, *, whole: bool = False) -> Iterator[dict[Chain, Part]]:
        """Parsed, checked rows, ``batch_rows`` at a time (all in one with ``whole``), one :class:`Part` per chain.

        Raises ImportFormatError naming the line of the first wrong row.
        """
        out = _Columns()
        for parsed in FORMATS[self.format](self._rows, Addresses(), self.options, self._skip):
            self.rows += 1
            out.add(*parsed)
            if not whole and len(out) >= self.batch_rows:
                yield out.take()
        self.rows += self.skipped_count
        if len(out):
            yield out.take()


def _first_line(opener: Callable[[], TextIO], name: str) -> str:
    """The header line; ImportFormatError when the file is not UTF-8 text or holds only blanks."""
    try:
        with opener() as stream:
            first = stream.readline()
            if first.strip():
                return first
            while chunk := stream.read(1 << 16):
                if chunk.strip():
                    return first
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name}: not a UTF-8 text file") from None
    raise ImportFormatError(f"{name}: the file is empty")


def open_transfers(
    source: str | Path | bytes, fmt: str | None = None, *, name: str | None = None, **options
) -> TransferReader:
    """Open a CSV export (a path, or the bytes of an upload) to read in batches; the header is checked now.

    Parameters
    ----------
    source : str, Path or bytes
        The file, or its contents.
    fmt : str, optional
        One of :data:`FORMATS`; by default the header decides (:func:`detect_format`).
    name : str, optional
        What messages call the file (its path by default).
    **options
        ``asset``, ``contract``, ``decimals`` for exports that do not carry them, checked against
        the format (:func:`~tracing.sources.file_options.import_options`).

    Raises
    ------
    BadParameters
        An option is wrong or does not apply to the format; ``field`` names it.
    ImportFormatError
        The file is missing, empty, not text or of no known format (a wrong row is found by
        :meth:`TransferReader.batches`, with its line).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if isinstance(source, bytes):
        name = name or "the file"

        def opener() -> TextIO:
            return io.TextIOWrapper(io.BytesIO(source), encoding="utf-8-sig", newline="")
    else:
        path = Path(source)
        name = name or str(path)
        if path.is_dir():
            raise ImportFormatError(f"{path}: a folder, not a file")
        if not path.is_file():
            raise ImportFormatError(f"{path}: no such file")

        def opener() -> TextIO:
            return path.open(encoding="utf-8-sig", newline="")

    first = _first_line(opener, name)  # refuses an empty file whatever the format
    fmt = fmt or detect_format(first)
    return TransferReader(opener, fmt, name, import_options(fmt, **options))


def _whole(reader: TransferReader) -> ImportResult:
    parts = next(reader.batches(whole=True), {})
    tables = {chain: part.table.sorted() for chain, part in parts.items()}
    return ImportResult(tables, reader.rows, reader.skipped, reader.format)


def read_transfers(path: str | Path, fmt: str | None = None, **options) -> ImportResult:
    """Read a whole file of transfers into tables, one per chain (an import streams instead: :func:`open_transfers`).

    Raises ImportFormatError like :func:`open_transfers`, and naming the line of a wrong row.
    """
    return _whole(open_transfers(path, fmt, **options))


def parse_transfers(data: bytes, fmt: str | None = None, *, name: str = "the file", **options) -> ImportResult:
    """Parse the bytes of a CSV export into whole tables like :func:`read_transfers`."""
    return _whole(open_transfers(data, fmt, name=name, **options))
