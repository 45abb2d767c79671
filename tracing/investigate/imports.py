"""Imported files into the store: what was read, what was new, what was skipped (the CLI and the upload page alike)."""

from dataclasses import dataclass

from tracing.sources.files import ImportResult
from tracing.store import Store

__all__ = ["ImportSummary", "store_import"]


@dataclass(frozen=True)
class ImportSummary:
    """Per chain: transfers read and new; the rows skipped with their line and reason."""

    counts: tuple[tuple[str, int, int], ...]
    skipped: tuple[str, ...]

    @property
    def new(self) -> int:
        """New transfers over every chain."""
        return sum(new for _, _, new in self.counts)

    def lines(self) -> list[str]:
        """One line per chain: read, new, already stored."""
        return [
            f"{chain}: {read} transfers read, {new} new, {read - new} already stored"
            for chain, read, new in self.counts
        ]


def store_import(store: Store, result: ImportResult, source: str) -> ImportSummary:
    """Store every table of a parsed file under ``source`` (importing twice stores once)."""
    counts = tuple(
        (chain.value, len(table), store.add_transfers(table, source)) for chain, table in result.tables.items()
    )
    return ImportSummary(counts, tuple(result.skipped))
