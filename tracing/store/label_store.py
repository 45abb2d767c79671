"""Labels in the store: add, edit, remove, search, replace a whole list; every change audit-logged.

Each change and its audit row are one transaction (see :mod:`tracing.audit`):
``label.add``, ``label.edit`` (with the fields before and after),
``label.remove`` (with the removed label), ``label.import`` and
``sanctions.update`` (with counts and the list version).
"""

import time
from dataclasses import dataclass

import sqlalchemy as sa

from tracing.audit import record
from tracing.errors import TracingError
from tracing.labels import CATEGORIES, Label
from tracing.labels.snapshot import snapshot_labels
from tracing.model import normalize_address
from tracing.store.database import Store, label_from_row, label_row
from tracing.store.schema import labels

__all__ = ["EDITABLE", "LabelNotFound", "LabelPage", "LabelStore"]

EDITABLE = ("name", "category", "detail", "confidence", "actor")
"""What an investigator may change on a stored label (its address and source are its identity)."""


class LabelNotFound(TracingError, LookupError):
    """No stored label has that id."""


@dataclass(frozen=True)
class LabelPage:
    """One page of a label search, and how many labels match in all (``shipped`` of them from the shipped list)."""

    labels: list[Label]
    total: int
    shipped: int = 0


class LabelStore:
    """The label operations of one :class:`~tracing.store.Store`."""

    def __init__(self, store: Store):
        self.store = store
        self.engine = store.engine

    def get(self, label_id: int) -> Label:
        """One stored label; raises :class:`LabelNotFound`."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(labels).where(labels.c.id == int(label_id))).mappings().first()
        if row is None:
            raise LabelNotFound(f"no label with id {label_id}")
        return label_from_row(row)

    def add(self, label: Label, user: str, *, now: float | None = None) -> Label:
        """Store one label written by ``user`` (validated like an import); return it with its id."""
        label = _checked(label).but(added_by=user, added_at=int(now if now is not None else time.time()))
        with self.engine.begin() as conn:
            if self.store.add_labels([label], conn=conn) == 0:
                raise TracingError(
                    f"{label.address} already carries {label.category} '{label.name}' from {label.source}"
                )
            row_id = conn.execute(
                sa.select(labels.c.id).where(*(labels.c[k] == v for k, v in label_row(label).items() if k in _KEY))
            ).scalar_one()
            record(conn, user, "label.add", "label", row_id, _summary(label), now=now)
        return label.but(id=int(row_id))

    def update(self, label_id: int, user: str, *, now: float | None = None, **changes) -> Label:
        """Change editable fields of a stored label; the audit row keeps the values before and after."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise TracingError(f"cannot change {', '.join(sorted(unknown))} of a label; only {', '.join(EDITABLE)}")
        before = self.get(label_id)
        after = _checked(before.but(**changes))
        delta = {
            k: {"before": getattr(before, k), "after": getattr(after, k)}
            for k in changes
            if getattr(before, k) != getattr(after, k)
        }
        if not delta:
            return before
        with self.engine.begin() as conn:
            try:
                conn.execute(
                    labels.update().where(labels.c.id == before.id).values(**{k: getattr(after, k) for k in delta})
                )
            except sa.exc.IntegrityError as err:
                raise TracingError(
                    f"{after.address} already carries {after.category} '{after.name}' from {after.source}"
                ) from err
            record(conn, user, "label.edit", "label", before.id, {**_summary(before), "changes": delta}, now=now)
        return after

    def remove(self, label_id: int, user: str, *, now: float | None = None) -> Label:
        """Delete a stored label; the audit row keeps what it said."""
        label = self.get(label_id)
        with self.engine.begin() as conn:
            conn.execute(labels.delete().where(labels.c.id == label.id))
            record(conn, user, "label.remove", "label", label.id, label.record(), now=now)
        return label

    def import_labels(self, items: list[Label], user: str, origin: str, *, now: float | None = None) -> int:
        """Store an imported file's labels (known statements kept as they are); return how many were new."""
        when = int(now if now is not None else time.time())
        items = [lb.but(added_by=lb.added_by or user, added_at=lb.added_at or when) for lb in items]
        with self.engine.begin() as conn:
            new = self.store.add_labels(items, conn=conn)
            record(conn, user, "label.import", "labels", origin, {"read": len(items), "new": new}, now=now)
        return new

    def replace_list(
        self, source: str, items: list[Label], user: str, version: str, *, now: float | None = None
    ) -> int:
        """Replace every label of list ``source`` by ``items`` in one transaction; return how many were stored."""
        when = int(now if now is not None else time.time())
        items = [lb.but(source=source, list_version=version, added_by=user, added_at=when) for lb in items]
        with self.engine.begin() as conn:
            removed = conn.execute(labels.delete().where(labels.c.source == source)).rowcount
            stored = self.store.add_labels(items, conn=conn)
            detail = {"list": source, "version": version, "entries": stored, "replaced": removed}
            record(conn, user, "sanctions.update", "labels", source, detail, now=now)
        return stored

    def search(
        self,
        text: str = "",
        *,
        category: str | None = None,
        chain: str | None = None,
        source: str | None = None,
        limit: int = 50,
        offset: int = 0,
        shipped: bool = False,
    ) -> LabelPage:
        """Stored labels whose address, name, actor or source contains ``text`` (any case), newest first; with
        ``shipped``, then the shipped OFAC SDN list's while it stands in for a stored one (read-only, ``id`` 0)."""
        limit, offset = max(1, min(limit, 1000)), max(0, offset)
        query = _matching(text, category=category, chain=chain, source=source)
        total = sa.select(sa.func.count()).select_from(query.subquery())
        page = query.order_by(labels.c.added_at.desc(), labels.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(page).mappings().all()
            count = int(conn.execute(total).scalar_one())
        listed = []
        if shipped and self.store.shipped_list_in_use():
            listed = _shipped_matching(text, category=category, chain=chain, source=source)
        found = [label_from_row(r) for r in rows]
        start = max(0, offset - count)
        found += listed[start : start + limit - len(found)]
        return LabelPage(found, count + len(listed), len(listed))

    def every(
        self, text: str = "", *, category: str | None = None, chain: str | None = None, source: str | None = None
    ) -> list[Label]:
        """Every stored label a :meth:`search` matches (not one page), newest first: what an export writes."""
        query = _matching(text, category=category, chain=chain, source=source)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(labels.c.added_at.desc(), labels.c.id.desc())).mappings().all()
        return [label_from_row(r) for r in rows]

    def of_address(self, address: str) -> list[Label]:
        """Every stored label of one address as written (any chain, including chains the product does not read)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(labels).where(labels.c.address == address)).mappings().all()
        return [label_from_row(r) for r in rows]

    def lists(self, category: str = "sanctioned") -> list[tuple[str, str, int]]:
        """The stored lists of one category: (source, newest list version, entries)."""
        query = (
            sa.select(labels.c.source, sa.func.max(labels.c.list_version), sa.func.count())
            .where(labels.c.category == category)
            .group_by(labels.c.source)
            .order_by(labels.c.source)
        )
        with self.engine.connect() as conn:
            return [(s, v, int(n)) for s, v, n in conn.execute(query).all()]


_KEY = ("chain", "address", "category", "source", "name")


def _matching(text: str, *, category: str | None, chain: str | None, source: str | None) -> sa.Select:
    """The query of the labels whose address, name, actor or source contains ``text``, of the given
    category, chain and source."""
    query = sa.select(labels)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        query = query.where(
            sa.or_(*(sa.func.lower(labels.c[k]).like(like) for k in ("address", "name", "actor", "source")))
        )
    for column, value in (("category", category), ("chain", chain), ("source", source)):
        if value:
            query = query.where(labels.c[column] == value)
    return query


def _shipped_matching(text: str, *, category: str | None, chain: str | None, source: str | None) -> list[Label]:
    """The shipped OFAC SDN snapshot's labels that :func:`_matching` would match, in the list's order."""
    needle = text.strip().lower()
    return [
        lb
        for lb in snapshot_labels()
        if (not needle or any(needle in str(getattr(lb, k)).lower() for k in ("address", "name", "actor", "source")))
        and all(
            not value or str(getattr(lb, k)) == value
            for k, value in (("category", category), ("chain", chain), ("source", source))
        )
    ]


def _checked(label: Label) -> Label:
    """The label with a canonical address, or a ``TracingError`` saying what is wrong with it."""
    chain, address = normalize_address(label.address, label.chain)
    if label.category not in CATEGORIES:
        raise TracingError(f"category {label.category!r} is not one of {', '.join(CATEGORIES)}")
    if not label.name.strip():
        raise TracingError("a label needs a name (the entity that holds the address)")
    if not 0 <= int(label.confidence) <= 100:
        raise TracingError(f"confidence {label.confidence} is not within 0-100")
    return label.but(chain=chain, address=address, name=label.name.strip()[:200], confidence=int(label.confidence))


def _summary(label: Label) -> dict:
    return {
        "chain": str(label.chain),
        "address": label.address,
        "name": label.name,
        "category": label.category,
        "source": label.source,
    }
