"""Server-side paging, sorting and filtering of the address page's transfer table."""

import math
from datetime import UTC, datetime, timedelta

from dashboard.components.transfers import transfers_table
from dashboard.services import Investigation
from tracing.summaries import TransferQuery, select_transfers, transfer_records

__all__ = ["PAGE_SIZE", "date_bounds", "table_query", "transfer_page"]

PAGE_SIZE = 15


def _epoch(day: str | None, *, end: bool = False) -> int | None:
    """A picked date (``YYYY-MM-DD``, UTC) as epoch seconds; an end date includes its whole day."""
    if not day:
        return None
    moment = datetime.fromisoformat(day[:10]).replace(tzinfo=UTC) + (timedelta(days=1) if end else timedelta())
    return int(moment.timestamp()) - (1 if end else 0)


def date_bounds(table) -> tuple[str | None, str | None, str | None]:
    """``(first day, last day, first month)`` of the table's transfers, for the date picker (UTC)."""
    if not len(table):
        return None, None, None
    first, last = (datetime.fromtimestamp(int(t), UTC).date() for t in (table.timestamp.min(), table.timestamp.max()))
    return first.isoformat(), last.isoformat(), first.replace(day=1).isoformat()


def table_query(sort: str, start, end, low, high, flagged_by) -> TransferQuery:
    """The table's controls as a :class:`TransferQuery` (``sort`` is ``column:asc`` or ``column:desc``)."""
    column, _, direction = (sort or "timestamp:asc").partition(":")
    return TransferQuery(
        since=_epoch(start),
        until=_epoch(end, end=True),
        min_value=float(low) if low not in (None, "") else None,
        max_value=float(high) if high not in (None, "") else None,
        flagged_by=None if flagged_by in (None, "", "all") else flagged_by,
        sort=column,
        descending=direction == "desc",
    )


def transfer_page(found: Investigation, page: int, query: TransferQuery):
    """``(table of the page, page count, page shown, "N of M transfers")``; pages count from 1."""
    rows = select_transfers(found.report, query, found.z)
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    records = transfer_records(found.report, shown, found.labels, found.z)
    table = found.report.table
    return (
        transfers_table(records, table.chain, found.report.address),
        pages,
        page,
        f"{len(rows):,} of {len(found.report.table):,} transfers",
    )
