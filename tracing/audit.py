"""The audit log: who did what to which object, and when, kept in the store.

Every change to a case, a note, a share link, a user or a label is one row:
``(at, actor, action, object_type, object_id, detail)``. Rows are only ever
added. A change and its audit row are written in one transaction: pass the
change's connection to :func:`record` so neither exists without the other.

>>> from tracing.store import Store
>>> log = AuditLog(Store("sqlite:///:memory:"))
>>> entry = log.record("alice", "case.create", "case", 7, {"title": "Theft"}, now=1_700_000_000)
>>> [(e.actor, e.action, e.object_id, e.detail_dict["title"]) for e in log.entries(object_type="case")]
[('alice', 'case.create', '7', 'Theft')]
"""

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracing.errors import TracingError
from tracing.store import Store
from tracing.store.schema import audit_log

__all__ = ["AuditEntry", "AuditLog", "record"]

_DEFAULT_LIMIT = 200
_MAX_LIMIT = 10_000


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: int  # Unix seconds, UTC
    actor: str
    action: str
    object_type: str
    object_id: str
    detail: str

    @property
    def detail_dict(self) -> dict[str, Any]:
        """The detail as a mapping (``{"text": ...}`` when it was recorded as plain text)."""
        try:
            value = json.loads(self.detail) if self.detail else {}
        except ValueError:
            return {"text": self.detail}
        return value if isinstance(value, dict) else {"text": self.detail}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (the API's and the report's)."""
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "detail": self.detail_dict,
        }


def _row(actor: str, action: str, object_type: str, object_id: Any, detail: Any, now: float | None) -> dict:
    if not action or not object_type:
        raise TracingError("an audit entry needs an action and an object type")
    if isinstance(detail, Mapping):
        detail = json.dumps(dict(detail), sort_keys=True, default=str)
    return {
        "at": int(now if now is not None else time.time()),
        "actor": (str(actor) or "unknown")[:80],
        "action": action[:64],
        "object_type": object_type[:32],
        "object_id": str(object_id)[:200],
        "detail": str(detail or ""),
    }


def record(
    conn: sa.Connection,
    actor: str,
    action: str,
    object_type: str,
    object_id: Any,
    detail: Mapping | str = "",
    *,
    now: float | None = None,
) -> int:
    """Add one entry inside the caller's transaction ``conn``; return its id."""
    return _insert(conn, _row(actor, action, object_type, object_id, detail, now))


def _insert(conn: sa.Connection, row: dict) -> int:
    return int(conn.execute(audit_log.insert().values(**row)).inserted_primary_key[0])


class AuditLog:
    """Writing and reading the audit log of one :class:`~tracing.store.Store`."""

    def __init__(self, store: Store):
        self.engine = store.engine

    def record(
        self,
        actor: str,
        action: str,
        object_type: str,
        object_id: Any,
        detail: Mapping | str = "",
        *,
        now: float | None = None,
    ) -> AuditEntry:
        """Add one entry in its own transaction and return it."""
        row = _row(actor, action, object_type, object_id, detail, now)
        with self.engine.begin() as conn:
            entry_id = _insert(conn, row)
        return AuditEntry(id=entry_id, **row)

    def _where(self, query, object_type, object_id, actor, action, since, until):
        for column, value in (
            (audit_log.c.object_type, object_type),
            (audit_log.c.actor, actor),
        ):
            if value is not None:
                query = query.where(column == value)
        if object_id is not None:
            query = query.where(audit_log.c.object_id == str(object_id))
        if action is not None:  # "case" matches "case.create", "case.close", ...
            query = query.where(sa.or_(audit_log.c.action == action, audit_log.c.action.startswith(action + ".")))
        if since is not None:
            query = query.where(audit_log.c.at >= int(since))
        if until is not None:
            query = query.where(audit_log.c.at <= int(until))
        return query

    def entries(
        self,
        *,
        object_type: str | None = None,
        object_id: Any = None,
        actor: str | None = None,
        action: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = _DEFAULT_LIMIT,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Entries matching every filter given, newest first.

        ``action`` matches itself and its sub-actions (``"case"`` matches ``"case.create"``).
        """
        limit = max(1, min(int(limit), _MAX_LIMIT))
        query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        query = self._where(query, object_type, object_id, actor, action, since, until)
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(limit).offset(max(0, int(offset)))).all()
        return [AuditEntry(int(r.id), int(r.at), r.actor, r.action, r.object_type, r.object_id, r.detail) for r in rows]

    def count(
        self,
        *,
        object_type: str | None = None,
        object_id: Any = None,
        actor: str | None = None,
        action: str | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> int:
        """How many entries match the filters."""
        query = sa.select(sa.func.count()).select_from(audit_log)
        query = self._where(query, object_type, object_id, actor, action, since, until)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())
