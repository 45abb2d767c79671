"""Imported files into the store: what was read, what was new, what was skipped, what disagreed with the store.

The file is parsed and checked a batch of rows at a time (memory stays bounded whatever the
file's size) into a private temporary file, then the batches go into the store in one
transaction: a wrong row anywhere stores nothing, and SQLite's write lock (which makes the web
app's own writes wait) is held only while the rows go in, not while the file is parsed. A row whose identity
``(chain, tx_hash, index)`` is already stored with other contents is not stored (the stored
transfer is kept), listed in the summary, and recorded in the audit log in the same
transaction, so the disagreement is never lost. The CLI and the upload panel alike.
"""

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tracing.audit import record
from tracing.sources.files import TransferReader
from tracing.store import Store
from tracing.store.writer import Clash

__all__ = ["ImportSummary", "import_transfers"]


@dataclass(frozen=True)
class ImportSummary:
    """Per chain: transfers read, new and clashing; the rows skipped and the clashes, with their lines."""

    counts: tuple[tuple[str, int, int, int], ...]
    skipped: tuple[str, ...]
    skipped_count: int = 0
    clashes: tuple[Clash, ...] = ()
    clash_count: int = 0

    @property
    def new(self) -> int:
        """New transfers over every chain."""
        return sum(new for _, _, new, _ in self.counts)

    def lines(self) -> list[str]:
        """One line per chain: read, new, already stored, and stored otherwise when any."""
        return [
            f"{chain}: {read} transfers read, {new} new, {read - new - clashing} already stored"
            + (f", {clashing} stored otherwise (kept as stored; these rows were not imported)" if clashing else "")
            for chain, read, new, clashing in self.counts
        ]

    def warnings(self, most: int = 10) -> list[str]:
        """The first ``most`` skipped rows and clashes, each a line, and how many more there are."""
        out = [f"skipped {reason}" for reason in self.skipped[:most]]
        if self.skipped_count > most:
            out.append(f"... and {self.skipped_count - most} more rows skipped")
        out += [f"disagrees with the store: {clash.describe()}" for clash in self.clashes[:most]]
        if self.clash_count > most:
            out.append(f"... and {self.clash_count - most} more rows that disagree with the store")
        return out


def _spooled(spool: BinaryIO) -> Iterator[dict]:
    """The batches written to ``spool`` (this import's own private file), one at a time."""
    while True:
        try:
            yield pickle.load(spool)  # written by this process a moment ago, never by a user
        except EOFError:
            return


def import_transfers(store: Store, reader: TransferReader, name: str, *, actor: str) -> ImportSummary:
    """Store a file read by ``reader`` under the source ``import:<format>:<name>``, all or nothing.

    ``actor`` is who imports (the audit log's entry for rows that disagree with the store names them).

    Raises
    ------
    ImportFormatError
        A row is wrong (the message names its line); nothing is stored.
    """
    source = f"import:{reader.format}:{name}"
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryFile() as spool:
        for batch in reader.batches():  # the whole file parsed and checked before the store is touched
            pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.seek(0)
        with store.transfer_writer(source) as writer:  # SQLite's write lock: only while the batches go in
            for batch in _spooled(spool):
                for chain, part in batch.items():
                    added = writer.add(part.table, part.lines)
                    count = totals.setdefault(chain.value, [0, 0, 0])
                    count[0] += added.read
                    count[1] += added.new
                    count[2] += added.clashing
            if writer.clash_count:
                detail = {"rows": writer.clash_count, "first": [c.describe() for c in writer.clashes[:20]]}
                record(writer.conn, actor, "transfers.import_clash", "import", source, detail)
    return ImportSummary(
        tuple((chain, *count) for chain, count in totals.items()),
        tuple(reader.skipped),
        reader.skipped_count,
        tuple(writer.clashes),
        writer.clash_count,
    )
